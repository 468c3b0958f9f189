package signup

import "strings"

// Canonicalizer folds an address to the form a mailbox provider delivers
// to, for the duplicate-email check only: the stored address never changes.
type Canonicalizer struct {
	// FoldTags drops a "+tag" suffix of the local part (ana+1@x → ana@x).
	FoldTags bool
	// DotInsensitive lists domains (lower case) whose provider ignores dots
	// in the local part (gmail.com, googlemail.com): a.na@gmail.com → ana@gmail.com.
	DotInsensitive []string
}

// Canonical returns addr lower-cased and folded; an address without "@" is
// returned lower-cased.
func (c Canonicalizer) Canonical(addr string) string {
	local, domain, ok := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !ok {
		return strings.ToLower(addr)
	}
	if c.FoldTags {
		if i := strings.IndexByte(local, '+'); i > 0 {
			local = local[:i]
		}
	}
	for _, d := range c.DotInsensitive {
		if domain == d {
			if folded := strings.ReplaceAll(local, ".", ""); folded != "" {
				local = folded
			}
			break
		}
	}
	return local + "@" + domain
}

// Active reports whether Canonical can differ from the lower-cased address.
func (c Canonicalizer) Active() bool { return c.FoldTags || len(c.DotInsensitive) > 0 }
