//go:build linux

package metapages

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestInit runs testdata/probe, a fresh process, built with and without this
// package. With it, the itab the probe makes in main lands in memory its init
// already mapped, and so do the pages after it, where the runtime's next
// metadata goes; without it, only the pages the runtime has touched so far
// are (the itab's own, and none after it, as the chunk is bump-allocated).
// The probe runs with GOMAXPROCS=1, as the deployment recipes run every
// function.
func TestInit(t *testing.T) {
	dir := t.TempDir()
	run := func(tags string) (resident, pages int) {
		t.Helper()
		bin := filepath.Join(dir, "probe"+tags)
		out, err := exec.Command("go", "build", "-tags="+tags, "-o", bin, "./testdata/probe").CombinedOutput()
		require.NoError(t, err, "%s", out)
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
		out, err = cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		_, err = fmt.Sscanf(string(out), "resident: %d of %d pages\n", &resident, &pages)
		require.NoError(t, err, "%s", out)
		return resident, pages
	}
	for range 3 {
		resident, pages := run("")
		require.Equal(t, pages, resident, "with the package: the rest of the chunk is mapped")
		resident, pages = run("nometapages")
		require.Less(t, resident, pages/2, "without it: the rest of the chunk is not mapped yet")
	}
}
