//go:build linux

package hugeheap

import (
	"syscall"
	"unsafe"
)

const madvHugepage = 14 // MADV_HUGEPAGE, <linux/mman.h>; the syscall package does not name it

// fill holds the fillers until init returns; a package variable, so the
// compiler cannot drop allocations nothing reads.
var fill [][]byte

func init() {
	godebug, _ := syscall.Getenv("GODEBUG")
	if syscall.Getpagesize() != 4096 || disabled(godebug) {
		return
	}
	if start, end := advise(); end > start {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, start, end-start, madvHugepage)
	}
	fill = nil
}

// disabled reports whether the GODEBUG value sets disablethp=1 (the last
// setting of a key wins, as in the runtime). It does not import strings:
// the linker orders package inits by import path among those whose imports
// are ready, and waiting for strings would put this init after ~30 others.
func disabled(godebug string) bool {
	on := false
	for godebug != "" {
		kv := godebug
		if i := index(godebug, ','); i >= 0 {
			kv, godebug = godebug[:i], godebug[i+1:]
		} else {
			godebug = ""
		}
		if i := index(kv, '='); i >= 0 && kv[:i] == "disablethp" {
			on = kv[i+1:] == "1"
		}
	}
	return on
}

func index(s string, c byte) int {
	for i := range len(s) {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// advise moves the allocator past the huge-page block it is allocating in
// and returns the range to advise: from the start of the first block after
// it that nothing has touched yet, advised bytes. It returns an empty range
// when it finds none within two blocks.
func advise() (start, end uintptr) {
	first := alloc(filler)
	block := (addr(first) + filler + hugePage - 1) &^ (hugePage - 1)
	for range 2 {
		fillTo(block)
		// The kernel gives a huge page only to a block with no page yet: an
		// allocation placed there before this init (a large one lands on
		// the lowest free run that fits, which may lie beyond the rest of
		// the runtime's start-up) would leave it to small pages.
		if untouched(block) {
			return block, block + advised
		}
		block += hugePage
	}
	return 0, 0
}

// fillTo allocates until the page allocator hands out memory at or past
// block. The page allocator takes the lowest free run that fits: one filler
// takes the run up to the block, and more fill the gaps still left below it
// until one lands past it (the last one also makes the runtime map the chunk
// after the block, if it had not).
func fillTo(block uintptr) {
	if last := fill[len(fill)-1]; addr(last)+uintptr(len(last)) < block {
		alloc(int(block - addr(last) - uintptr(len(last))))
	}
	for range hugePage / filler {
		if addr(alloc(filler)) >= block {
			return
		}
	}
}

// untouched reports whether no page of the huge-page block at p is resident.
func untouched(p uintptr) bool {
	var vec [hugePage / 4096]byte
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, p, hugePage, uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		return false
	}
	for _, v := range vec {
		if v&1 != 0 {
			return false
		}
	}
	return true
}

func alloc(n int) []byte {
	b := make([]byte, n)
	fill = append(fill, b)
	return b
}

func addr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
