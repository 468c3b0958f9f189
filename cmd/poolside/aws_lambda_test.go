//go:build poolside.lambda

package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLoadAWSLendFirstCollection: the first collection's goal moves up by
// the garbage (2 MiB on a 4 MiB heap minimum: GOGC 100 → 150, rounded up),
// and GOGC comes back once a collection has run; GOGC=off and no garbage are
// left alone. (Named for make test's -tags poolside.lambda -run TestLoadAWS.)
func TestLoadAWSLendFirstCollection(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))

	calls := make(chan int, 8)
	set := func(p int) int { calls <- p; return debug.SetGCPercent(p) }
	lendFirstCollection(2<<20, set)
	require.Equal(t, -1, <-calls, "reads GOGC")
	require.Equal(t, 150, <-calls, "raises it by the garbage's share of the heap minimum")
	require.Equal(t, 150, debug.SetGCPercent(150))
	runtime.GC()
	select {
	case p := <-calls:
		require.Equal(t, 100, p, "puts GOGC back after the first collection")
	case <-time.After(30 * time.Second):
		t.Fatal("the finalizer did not run after a collection")
	}
	require.Equal(t, 100, debug.SetGCPercent(100))

	lendFirstCollection(1, set) // rounds up: any garbage moves the goal
	require.Equal(t, -1, <-calls)
	require.Equal(t, 101, <-calls)
	debug.SetGCPercent(100)

	var fake []int
	off := func(p int) int { fake = append(fake, p); return -1 }
	lendFirstCollection(2<<20, off)
	require.Equal(t, []int{-1, -1}, fake, "GOGC=off stays off")

	fake = nil
	lendFirstCollection(0, off)
	require.Empty(t, fake, "no garbage, nothing to lend")
}
