package deepstack

import (
	"runtime"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// stackInUse reports the bytes of goroutine stacks in use after starting n
// goroutines that call grow (when set) and then wait.
func stackInUse(t *testing.T, n int, grow bool) uint64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var started sync.WaitGroup
	release := make(chan struct{})
	var done sync.WaitGroup
	for range n {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			if grow {
				Grow()
			}
			started.Done()
			<-release
		}()
	}
	started.Wait()
	runtime.ReadMemStats(&after)
	close(release)
	done.Wait()
	return after.StackInuse - before.StackInuse
}

func TestGrowGivesTheGoroutineRoomUpFront(t *testing.T) {
	// A collection shrinks stacks their goroutines do not use, which these
	// waiting goroutines would be: none may run while the stacks are counted.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	const n = 16
	grown := stackInUse(t, n, true)
	require.GreaterOrEqual(t, grown, uint64(n*64<<10), "each goroutine that called Grow holds a 64 KiB stack")
	plain := stackInUse(t, n, false)
	require.Less(t, plain, uint64(n*32<<10), "the comparison: goroutines that did not call Grow keep small stacks")
}
