// Command probe is a fresh process for hugeheap's tests: after the package's
// init it allocates 1 MiB of small objects, as a first event does, and
// reports which mappings are marked for huge pages, how many of the new
// objects landed in them, and how much of them the kernel backed with huge
// pages.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unsafe"

	_ "github.com/poolside-io/poolside/internal/hugeheap"
)

type span struct{ lo, hi uintptr }

// advised returns the mappings whose VmFlags hold "hg" (MADV_HUGEPAGE), and
// the kB of huge pages in them.
func advised() (_ []span, hugeKB int) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	var out []span
	var cur span
	var huge int
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if first, _, _ := strings.Cut(line, " "); !strings.HasSuffix(first, ":") {
			if lo, hi, ok := strings.Cut(first, "-"); ok {
				a, _ := strconv.ParseUint(lo, 16, 64)
				b, _ := strconv.ParseUint(hi, 16, 64)
				cur = span{uintptr(a), uintptr(b)}
			}
			continue
		}
		if v, ok := strings.CutPrefix(line, "AnonHugePages:"); ok {
			huge, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && strings.Contains(flags+" ", " hg ") {
			out = append(out, cur)
			hugeKB += huge
		}
	}
	return out, hugeKB
}

func main() {
	objs := make([]*[512]byte, 2048)
	for i := range objs {
		objs[i] = new([512]byte)
	}
	hg, hugeKB := advised()
	in := 0
	for _, o := range objs {
		p := uintptr(unsafe.Pointer(o))
		for _, m := range hg {
			if p >= m.lo && p < m.hi {
				in++
				break
			}
		}
	}
	fmt.Printf("advised mappings: %d\nnew objects there: %d%%\nhuge pages there: %d kB\n", len(hg), in*100/len(objs), hugeKB)
}
