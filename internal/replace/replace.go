// Package replace substitutes strings as strings.Replacer does, for pairs
// known only per call: a Replacer built to be used once costs more than the
// replacement (a single pair allocates a 2 KB skip table).
package replace

import "strings"

// InOrder returns s with every old string of pairs (old, new, old, new…)
// replaced by its new one, exactly as strings.NewReplacer(pairs...).Replace(s)
// does: left to right, without overlapping matches, the first old string in
// argument order winning where several match, a new string never scanned
// again. It panics, as NewReplacer does, on an odd number of arguments.
func InOrder(s string, pairs ...string) string {
	if len(pairs)%2 == 1 {
		panic("replace: odd argument count")
	}
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i] == "" { // an empty old string matches between every rune
			return strings.NewReplacer(pairs...).Replace(s)
		}
	}
	var b strings.Builder
	last := 0 // s[last:i] is not yet written
	for i := 0; i < len(s); {
		matched := false
		for j := 0; j < len(pairs); j += 2 {
			if strings.HasPrefix(s[i:], pairs[j]) {
				if b.Len() == 0 {
					b.Grow(len(s))
				}
				b.WriteString(s[last:i])
				b.WriteString(pairs[j+1])
				i += len(pairs[j])
				last, matched = i, true
				break
			}
		}
		if !matched {
			i++
		}
	}
	if last == 0 {
		return s // nothing matched
	}
	b.WriteString(s[last:])
	return b.String()
}
