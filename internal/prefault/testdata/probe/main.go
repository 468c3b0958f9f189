// Command probe is a fresh process for prefault's tests: at the start of
// main it reports how much of its executable mapping (its text) is mapped
// into the process (smaps "Rss") against the mapping's size. Built with
// -tags noprefault it does not link the package.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	unused()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	in := false
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if fields := strings.Fields(line); len(fields) >= 6 && strings.Contains(fields[0], "-") {
			in = fields[1] == "r-xp" && fields[5] == exe
			continue
		}
		if !in {
			continue
		}
		for _, key := range []string{"Size:", "Rss:"} {
			if v, ok := strings.CutPrefix(line, key); ok {
				kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
				if err != nil {
					panic(err)
				}
				fmt.Printf("%s %d\n", strings.ToLower(strings.TrimSuffix(key, ":")), kb)
			}
		}
	}
}
