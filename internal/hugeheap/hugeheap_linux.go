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
	if syscall.Getpagesize() != 4096 || disabled(syscall.Getenv("GODEBUG")) {
		return
	}
	start, end := advise()
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, start, end-start, madvHugepage)
	fill = nil
}

// disabled reports whether the GODEBUG value sets disablethp=1 (the last
// setting of a key wins, as in the runtime). It does not import strings:
// the linker orders package inits by import path among those whose imports
// are ready, and waiting for strings would put this init after ~30 others.
func disabled(godebug string, _ bool) bool {
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
// and returns the range to advise: from the end of that block, advised bytes.
func advise() (start, end uintptr) {
	first := alloc(filler)
	block := (addr(first) + filler + hugePage - 1) &^ (hugePage - 1)
	if rest := block - (addr(first) + filler); rest > 0 {
		alloc(int(rest))
	}
	// The page allocator takes the lowest free run that fits, so the rest
	// may not have landed right after the first filler: fill the gaps still
	// left below the block until a filler lands past it (the last one also
	// makes the runtime map the chunk after the block, if it had not).
	for range hugePage / filler {
		if addr(alloc(filler)) >= block {
			break
		}
	}
	return block, block + advised
}

func alloc(n int) []byte {
	b := make([]byte, n)
	fill = append(fill, b)
	return b
}

func addr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
