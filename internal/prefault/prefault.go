// Package prefault maps the whole of a Lambda artifact's executable code into
// the process at once, early in its start-up, instead of one page fault per
// 64 KiB of it as the code first runs.
//
// A Go program's package initialisers sit beside their packages' code, so a
// cold start runs code in nearly every part of the binary before its first
// event is answered: measured on the benchmark's machine (README
// "Performance"), every function touches 91–96 % of the 64 KiB windows of its
// text (UserMigration, which links every legacy source, 75 %), and so does
// the smallest aws-lambda-go handler. Each first touch of a window is a page
// fault: a trap into the kernel, which then maps the 16 cached pages around
// the address. In a microVM the trap is the dear part (13–26 µs a fault on
// the benchmark's Firecracker machine). The package's init asks the kernel
// to map every page of the text mapping in one call (MADV_POPULATE_READ):
// the same page-table work for the windows the start-up would have touched
// anyway, without the traps that remain: ≈ 70 of a custom sender's 85 (its
// init is the 16th; the start-up has touched ≈ 15 windows by then).
//
// It reads no page the binary does not hold and changes no mapping: the
// pages are the executable's own, shared with the page cache, and the few
// windows no code path touched (4–9 %; UserMigration's 25 %) cost their
// page-table entries. What it saves is the price of a trap, which is high in
// the benchmark's VM and lower where the kernel handles a guest's faults
// without leaving it; where the binary is not yet in the page cache, it reads
// the text in one sequential request instead of one per window. On a kernel
// before Linux 5.14 (no MADV_POPULATE_READ) the call fails and nothing
// happens.
//
// Only the Lambda artifacts link it (cmd/poolside's aws_lambda.go). Like
// internal/hugeheap, it imports only syscall and unsafe, so its init runs
// early.
package prefault
