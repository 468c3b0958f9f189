package signup

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NameRules bound a person's name attribute (given_name, family_name…).
type NameRules struct {
	MinLen, MaxLen int // in characters (runes), after nothing is trimmed
}

// DefaultNameRules accept 1 to 64 characters.
var DefaultNameRules = NameRules{MinLen: 1, MaxLen: 64}

// maxMarks caps combining marks on one letter: real scripts need a few
// (Vietnamese stacks two), "Zalgo" text stacks dozens.
const maxMarks = 4

// Reasons CheckName refuses a name (for the log; the user reads a localized
// messages.CodeInvalidName message).
var (
	ErrNameLength     = errors.New("length out of bounds")
	ErrNameControl    = errors.New("control, format or bidi-override characters")
	ErrNameMarkup     = errors.New("markup")
	ErrNameURL        = errors.New("a URL or domain")
	ErrNameCharacters = errors.New("characters other than letters, marks, spaces, hyphens and apostrophes")
	ErrNameShape      = errors.New("must start and end with a letter, with single separators between words")
)

// apostrophes are the characters people type for one: ASCII, U+2019 and
// U+02BC (the latter is a letter already).
func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' }

func isSeparator(r rune) bool { return r == ' ' || r == '-' || isApostrophe(r) }

// Check reports why name is not acceptable, or nil. Allowed: Unicode letters,
// combining marks (at most a few per letter), single spaces, hyphens and
// apostrophes between letters. Control and format characters (bidi
// overrides, zero-width joiners), markup and URLs are refused.
func (nr NameRules) Check(name string) error {
	if !utf8.ValidString(name) || hasControl(name) {
		return ErrNameControl
	}
	if strings.ContainsAny(name, "<>&") {
		return ErrNameMarkup
	}
	lower := strings.ToLower(name)
	if strings.Contains(lower, "://") || strings.Contains(lower, "www.") || strings.ContainsAny(name, "./:@") {
		return ErrNameURL
	}
	n := utf8.RuneCountInString(name)
	if n < nr.MinLen || (nr.MaxLen > 0 && n > nr.MaxLen) {
		return fmt.Errorf("%w: %d characters, want %d to %d", ErrNameLength, n, nr.MinLen, nr.MaxLen)
	}
	var prev rune
	marks := 0
	for i, r := range name {
		switch {
		case unicode.IsLetter(r):
			marks = 0
		case unicode.IsMark(r):
			marks++
			if i == 0 || marks > maxMarks || isSeparator(prev) {
				return ErrNameShape
			}
		case isSeparator(r):
			if i == 0 || isSeparator(prev) {
				return ErrNameShape
			}
		default:
			return fmt.Errorf("%w: %U", ErrNameCharacters, r)
		}
		prev = r
	}
	if isSeparator(prev) {
		return ErrNameShape
	}
	return nil
}
