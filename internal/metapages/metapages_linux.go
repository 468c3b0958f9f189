//go:build linux

package metapages

import (
	"syscall"
	"unsafe"
)

const (
	madvPopulateWrite = 23 // MADV_POPULATE_WRITE, <linux/mman.h>; the syscall package does not name it
	// chunk is the runtime's persistentChunkSize (runtime/malloc.go).
	chunk = 256 << 10
	// window is what the init maps from the page of its probe itab: the
	// chunk less the 16 KiB the runtime's start-up used of it, rounded up.
	window = chunk - 16<<10
)

func init() {
	if p := chunkPage(uintptr(syscall.Getpagesize())); p != 0 {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, p, window, madvPopulateWrite)
	}
}

// probe is an interface no code converts probeType to statically, so the
// linker makes no itab for the pair: the type assertion in chunkPage makes the
// runtime build one, in persistentalloc's current chunk.
type probe interface{ metapagesProbe() }

type probeType struct{ _ byte }

func (probeType) metapagesProbe() {}

var probeValue any = probeType{}

// chunkPage returns the page of the runtime's persistent chunk its next
// allocations go to, or 0.
func chunkPage(pageSize uintptr) uintptr {
	v, ok := probeValue.(probe)
	if !ok {
		return 0
	}
	itab := (*[2]uintptr)(unsafe.Pointer(&v))[0] // an interface value is (itab, data)
	return itab &^ (pageSize - 1)
}
