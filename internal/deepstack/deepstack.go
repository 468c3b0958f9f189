// Package deepstack gives a goroutine, up front, the stack the AWS SDK's
// call depth needs.
//
// A goroutine starts with a 2 KiB stack, and each time a call does not fit
// the runtime copies the whole stack into one twice the size, walking every
// frame's metadata to move its pointers. A first request through the SDK's
// middleware (and, at start-up, the regexp compiles of its endpoint tables)
// runs about 60 KiB deep, so on a cold start the same frames are walked and
// copied five times over: 5–10 % of the instructions exec → first response
// (README "Performance"). One frame as large as that depth, entered near the
// bottom of the stack, grows it once while there is almost nothing to copy.
// Stack pages are touched only as they are used, so this costs no memory the
// calls would not have taken; a garbage collection may shrink the stack of a
// goroutine that no longer needs it, as ever.
package deepstack

// room leaves the largest frame below 64 KiB in a fresh stack: the runtime
// doubles the stack until the frame fits, so one growth from a few KiB used
// lands on 64 KiB.
const room = 56 << 10

var (
	never bool // false; the compiler cannot know it, so the frame stays
	index int
)

// Grow gives the calling goroutine a stack of at least 64 KiB. Call it first
// in a goroutine that goes on to make AWS calls; the Lambda function's main
// goroutine gets it from this package's init.
//
//go:noinline
func Grow() byte {
	if never {
		var frame [room]byte // declared, so sized into the frame, but never zeroed or touched
		frame[index] = 1
		return frame[index/2]
	}
	return 0
}

// init runs early (this package imports nothing, so it initialises as soon
// as its name comes up), which covers the package inits that recurse (the
// SDK's endpoint regexps) as well as the first invocation: aws-lambda-go
// answers events on the main goroutine.
func init() { Grow() }
