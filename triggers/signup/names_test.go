package signup

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNameRules(t *testing.T) {
	rules := NameRules{MinLen: 1, MaxLen: 20}
	accept := []string{
		"Ana", "Lima de Souza", "Jean-Luc", "O'Brien", "D\u2019Artagnan", "Nguyễn", "Zoë",
		"Ana\u0301", // combining acute
		"Müller", "Łukasz", "Søren", "Ἀλέξανδρος", "Иван", "李小龍", "محمد", "שלום", "हिन्दी", "ʻOlelo",
		strings.Repeat("a", 20),
	}
	for _, name := range accept {
		t.Run("accept/"+name, func(t *testing.T) {
			require.NoError(t, rules.Check(name))
		})
	}
	refuse := map[string]struct {
		in   string
		want error
	}{
		"empty":               {"", ErrNameLength},
		"too long":            {strings.Repeat("a", 21), ErrNameLength},
		"too long in runes":   {strings.Repeat("é", 21), ErrNameLength},
		"RLO bidi override":   {"Ana\u202egnp.exe", ErrNameControl},
		"LRI isolate":         {"\u2066Ana", ErrNameControl},
		"zero width joiner":   {"A\u200dna", ErrNameControl},
		"BOM":                 {"\ufeffAna", ErrNameControl},
		"newline":             {"Ana\nBcc", ErrNameControl},
		"tab":                 {"Ana\tLima", ErrNameControl},
		"NUL":                 {"Ana\x00", ErrNameControl},
		"invalid UTF-8":       {"Ana\xc3", ErrNameControl},
		"script tag":          {"<script>alert(1)</script>", ErrNameMarkup},
		"img onerror":         {"<img src=x onerror=alert(1)>", ErrNameMarkup},
		"HTML entity":         {"Ana&nbsp;Lima", ErrNameMarkup},
		"URL":                 {"https://evil.example", ErrNameURL},
		"www":                 {"www.evil", ErrNameURL},
		"bare domain":         {"evil.com", ErrNameURL},
		"email":               {"ana@example", ErrNameURL},
		"digits":              {"Ana2", ErrNameCharacters},
		"emoji":               {"Ana😀", ErrNameCharacters},
		"punctuation":         {"Ana!", ErrNameCharacters},
		"SQL":                 {"Robert'); DROP TABLE", ErrNameCharacters},
		"non-breaking space":  {"Ana\u00a0Lima", ErrNameCharacters},
		"fullwidth less-than": {"\uff1cb\uff1e", ErrNameCharacters},
		"leading space":       {" Ana", ErrNameShape},
		"trailing hyphen":     {"Ana-", ErrNameShape},
		"double space":        {"Ana  Lima", ErrNameShape},
		"only separators":     {"-'-", ErrNameShape},
		"leading mark":        {"\u0301Ana", ErrNameShape},
		"zalgo":               {"A" + strings.Repeat("\u0336", 8), ErrNameShape},
	}
	for name, c := range refuse {
		t.Run("refuse/"+name, func(t *testing.T) {
			require.ErrorIs(t, rules.Check(c.in), c.want)
		})
	}
}
