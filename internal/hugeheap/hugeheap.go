// Package hugeheap lets the heap a Lambda cold start grows into be backed by
// transparent huge pages, when the kernel offers them on request.
//
// A cold start pays for every 4 KiB page it touches for the first time: a
// page fault, and the kernel zeroing the page. In a microVM each fault costs
// microseconds (on the benchmark's Firecracker machine ≈ 11 µs for an
// anonymous 4 KiB page, ≈ 125 µs for a whole 2 MiB huge page), and the store
// and sender functions' first event grows the heap by hundreds of pages: the
// custom SMS sender's heap took 300 faults of its 614 (README "Performance").
// Go leaves the heap to the kernel's default, which on most distributions is
// "madvise": huge pages only where asked for (Lambda does not document its
// kernel's).
//
// The package's init asks for them. The 2 MiB block the runtime is already
// allocating in was populated with small pages by the runtime's own start-up,
// and the kernel only gives a huge page to an empty block, so the init first
// moves the allocator past that block: a few allocations fill what is left of
// it (address space only; fresh memory is not zeroed, so not one of their
// pages is touched). It checks with mincore that no page of the next block is
// resident (else it moves one block further) and advises 4 MiB from there with
// MADV_HUGEPAGE: the first touch faults in a whole huge page, and the rest of
// the first event's heap, goroutine stacks included, lands in it. The
// fillers are dropped at once, so the first garbage collection reclaims them.
// With more than one P, another P's page cache may still place some small
// spans below the block; the deployment recipes run GOMAXPROCS=1.
//
// It costs at most 4 MiB of address space and 2 MiB more resident memory than
// the pages would have taken one by one (P5 in the README), and nothing when
// the kernel's setting is "never" (the advice is then ignored) or "always"
// (the heap had huge pages already). GODEBUG=disablethp=1, Go's own switch to
// keep huge pages out of the heap, turns it off, and so does a kernel whose
// base page is not 4 KiB (where a huge page is not 2 MiB).
//
// Only the Lambda artifacts link it (cmd/poolside's aws_lambda.go). It
// imports only syscall and unsafe, so its init runs early (15th of 130 in a
// sender), before the larger package inits grow the heap.
package hugeheap

const (
	hugePage = 2 << 20 // the PMD-sized transparent huge page of a 4 KiB-page kernel
	advised  = 4 << 20 // the runtime maps the heap in 4 MiB chunks
	filler   = 64 << 10
)
