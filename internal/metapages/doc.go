// Package metapages maps, at init, the memory the Go runtime will keep its
// own metadata in during a Lambda cold start, in one call instead of one
// page fault per page.
//
// Besides the heap (see internal/hugeheap), the runtime allocates metadata
// that is never freed with persistentalloc: the blocks of its span sets
// (one per size class whose first span fills up), the itabs it builds for
// type assertions the linker did not foresee, and more. It bump-allocates
// them from a 256 KiB chunk it maps per P, and every page of the chunk costs
// a page fault on first touch. A custom sender's first event touched about 65
// such pages more than hello's (31 for span set blocks, 19 for itabs: `perf
// record -e page-faults -d`, README "Performance"), each a trap into the
// kernel, dear in a microVM.
//
// The init finds the chunk the runtime is allocating from: it makes the
// runtime build an itab (a type assertion to an interface the linker has no
// itab for), whose address is the chunk's next free bytes. It then asks the
// kernel to map the rest of the chunk at once, with
// madvise(MADV_POPULATE_WRITE, Linux 5.14; on an older kernel the call fails
// and nothing happens). The chunk is where its mapping starts and was, at
// this init, 12 KiB used in every template function (Go 1.26), so the call
// covers the window pages after the itab's page: up to the chunk's end when
// less than 16 KiB was used, or a few pages of the next mapping when more (memory the
// process has mapped anyway; the call stops at any hole or guard page).
//
// With more than one P, another P's allocations use another chunk; the
// deployment recipes run GOMAXPROCS=1. Only the Lambda artifacts link it
// (cmd/poolside's aws_lambda.go). It imports only syscall and unsafe, so its
// init runs early (16th of 131 in a sender), before the larger package inits.
package metapages
