//go:build linux

package prefault

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestInit runs testdata/probe, a fresh process, with and without this
// package: with it, every page of the executable's text is mapped by the time
// main runs; without it, only the pages around the code the start-up ran.
// (MADV_POPULATE_READ is Linux 5.14: on an older kernel the first check
// fails.)
func TestInit(t *testing.T) {
	text := func(tags string) (sizeKB, rssKB int) {
		t.Helper()
		bin := filepath.Join(t.TempDir(), "probe")
		out, err := exec.Command("go", "build", "-tags", tags, "-o", bin, "./testdata/probe").CombinedOutput()
		require.NoError(t, err, "%s", out)
		out, err = exec.Command(bin).CombinedOutput()
		require.NoError(t, err, "%s", out)
		_, err = fmt.Sscanf(string(out), "size %d\nrss %d\n", &sizeKB, &rssKB)
		require.NoError(t, err, "%s", out)
		require.Positive(t, sizeKB, "%s", out)
		return sizeKB, rssKB
	}
	size, rss := text("")
	require.Equal(t, size, rss, "with prefault, the whole text (%d kB) is mapped before main", size)
	size, rss = text("noprefault")
	require.Less(t, rss, size*95/100, "without it, the start-up maps only part of the text (%d of %d kB): the probe shows the difference", rss, size)
}

func TestParseLine(t *testing.T) {
	for line, want := range map[string]struct {
		lo, hi   uintptr
		exec, ok bool
	}{
		"00400000-00978000 r-xp 00000000 fe:00 10216049   /var/task/bootstrap": {0x400000, 0x978000, true, true},
		"00978000-010dc000 r--p 00578000 fe:00 10216049   /var/task/bootstrap": {0x978000, 0x10dc000, false, true},
		"7ffc4dd11000-7ffc4dd32000 rw-p 00000000 00:00 0  [stack]":             {0x7ffc4dd11000, 0x7ffc4dd32000, false, true},
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]":   {0xffffffffff600000, 0xffffffffff601000, true, true},
		"00400000-00978000":                 {},
		"00400000 r-xp":                     {},
		"00978000-00400000 r-xp 0 0 0 x":    {},
		"-00978000 r-xp 00000000 fe:00 1 x": {},
		"00400000-0097800g r-xp 0 0 0 x":    {},
		"10000000000000000-2 r-xp 0 0 0 x":  {},
		"":                                  {},
	} {
		lo, hi, exec, ok := parseLine([]byte(line))
		require.Equal(t, want.ok, ok, "%q", line)
		if ok {
			require.Equal(t, []any{want.lo, want.hi, want.exec}, []any{lo, hi, exec}, "%q", line)
		}
	}
}

func TestTextMappingHoldsThisCode(t *testing.T) {
	lo, hi := textMapping()
	require.Less(t, lo, hi)
	pc := ownCode()
	require.True(t, lo <= pc && pc < hi, "%#x not in %#x-%#x", pc, lo, hi)
}
