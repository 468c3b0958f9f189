//go:build linux

package hugeheap

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestInit runs testdata/probe, a fresh process with this package's init,
// under several GODEBUG values: the heap it grows by lands in memory marked
// for huge pages (VmFlags "hg", whatever the kernel's setting) and, unless the
// kernel's setting is "never", in a huge page; unless Go's own switch says
// no. The probe runs with GOMAXPROCS=1, as the deployment recipes run every
// function. Where the runtime's start-up left its allocations depends on its
// goroutines' timing, so each setting runs five times and the median share
// counts; every run must advise the heap and get its huge page, or have the
// kernel try for one and decline (its thp_fault_fallback counter moves: on a
// busy machine whose memory is fragmented, it backs the block with small
// pages, which is no fault of the block's).
func TestInit(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "probe")
	build := exec.Command("go", "build", "-o", bin, "./testdata/probe")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	// With the kernel's setting at "madvise" (or "always"), the first touch
	// of the advised block faults in a huge page; at "never" none.
	setting, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	require.NoError(t, err)
	thp := !strings.Contains(string(setting), "[never]")

	run := func(godebug string) (mappings, pct, hugeKB int) {
		t.Helper()
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "GODEBUG="+godebug, "GOMAXPROCS=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		_, err = fmt.Sscanf(string(out), "advised mappings: %d\nnew objects there: %d%%\nhuge pages there: %d kB\n", &mappings, &pct, &hugeKB)
		require.NoError(t, err, "%s", out)
		return mappings, pct, hugeKB
	}
	for _, godebug := range []string{"", "madvdontneed=1", "disablethp=1,disablethp=0"} {
		var pcts []int
		for range 5 {
			fallbacks := thpFallbacks(t)
			mappings, pct, hugeKB := run(godebug)
			require.GreaterOrEqual(t, mappings, 1, "GODEBUG=%q", godebug)
			if thp {
				if hugeKB == 0 && thpFallbacks(t) > fallbacks {
					t.Logf("GODEBUG=%q: the kernel had no huge page to give (thp_fault_fallback moved)", godebug)
				} else {
					require.GreaterOrEqual(t, hugeKB, 2048, "GODEBUG=%q: the advised block was empty, so its first touch took a huge page", godebug)
				}
			} else {
				require.Zero(t, hugeKB, "GODEBUG=%q: the kernel gives no huge pages", godebug)
			}
			pcts = append(pcts, pct)
		}
		slices.Sort(pcts)
		require.GreaterOrEqual(t, pcts[len(pcts)/2], 90, "GODEBUG=%q: the heap grows into the advised block, not around it (%v)", godebug, pcts)
	}
	for _, godebug := range []string{"disablethp=1", "gctrace=0,disablethp=1"} {
		mappings, _, _ := run(godebug)
		require.Zero(t, mappings, "GODEBUG=%q: Go's switch keeps huge pages out of the heap", godebug)
	}
}

// thpFallbacks reads how many times the kernel has tried to fault in a huge
// page and fallen back to small ones (system-wide; -1 where it does not say).
func thpFallbacks(t *testing.T) int {
	t.Helper()
	vmstat, err := os.ReadFile("/proc/vmstat")
	require.NoError(t, err)
	n := -1
	for line := range strings.Lines(string(vmstat)) {
		name, value, _ := strings.Cut(strings.TrimSpace(line), " ")
		if name == "thp_fault_fallback" || name == "thp_fault_fallback_charge" {
			v, err := strconv.Atoi(value)
			require.NoError(t, err, "%s", line)
			n = max(n, 0) + v
		}
	}
	return n
}

func TestDisabled(t *testing.T) {
	for godebug, want := range map[string]bool{
		"":                            false,
		"disablethp=1":                true,
		"disablethp=0":                false,
		"gctrace=1,disablethp=1":      true,
		"disablethp=1,gctrace=1":      true,
		"disablethp=1,disablethp=0":   false,
		"xdisablethp=1":               false,
		"disablethp=10":               false,
		"disablethp":                  false,
		",,disablethp=1,":             true,
		"madvdontneed=1,disablethp=1": true,
	} {
		require.Equal(t, want, disabled(godebug), "GODEBUG=%q", godebug)
	}
}
