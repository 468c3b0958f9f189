// Command probe is a fresh process for metapages' tests: in main, after every
// package's init, it makes the runtime build an itab, as a first event's
// type assertions do, and reports how many of the pages from that itab's
// page on are already mapped (resident, by mincore): the rest of the
// runtime's metadata chunk, which its next allocations will touch.
package main

import (
	"fmt"
	"syscall"
	"unsafe"
)

type probe interface{ probeMain() }

type probeType struct{ _ byte }

func (probeType) probeMain() {}

var probeValue any = probeType{}

// span is how far past the itab's page the probe looks: well within the
// chunk's rest when the package's init ran (its window ends 4 KiB before the
// chunk's end, and this itab is a few bytes further on).
const span = 192 << 10

func main() {
	v, ok := probeValue.(probe)
	if !ok {
		panic("no itab")
	}
	page := uintptr(syscall.Getpagesize())
	p := (*[2]uintptr)(unsafe.Pointer(&v))[0] &^ (page - 1)
	vec := make([]byte, span/page)
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, p, span, uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		fmt.Printf("mincore: %v\n", e)
		return
	}
	resident := 0
	for _, b := range vec {
		resident += int(b & 1)
	}
	fmt.Printf("resident: %d of %d pages\n", resident, len(vec))
}
