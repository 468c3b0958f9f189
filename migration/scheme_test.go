package migration

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSchemesRegistered(t *testing.T) {
	all := Schemes()
	require.NotEmpty(t, all)
	for _, s := range all {
		for _, n := range append([]string{s.Name}, s.Aliases...) {
			got, ok := LookupScheme(n)
			require.True(t, ok, n)
			assert.Equal(t, s.Name, got.Name)
			_, parsed, err := ParseSourceURL(n + "://x")
			require.NoError(t, err, n)
			assert.Equal(t, s.Name, parsed.Name)
		}
		assert.True(t, strings.HasPrefix(s.Example, s.Name+"://"), "%s: example %q names its scheme", s.Name, s.Example)
		assert.Contains(t, SchemeExamples(true), s.Example)
		assert.Equal(t, !s.DevOnly, strings.Contains(SchemeExamples(false), s.Example), s.Name)
	}
}

func TestOpenUnknownScheme(t *testing.T) {
	_, err := Open("ftp://user:secret@host/x", Deps{})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret", "the password stays out of the error")
	for _, s := range Schemes() {
		assert.Contains(t, err.Error(), s.Example, "the error lists every registered source")
	}
}

func TestRegisterSchemeTwicePanics(t *testing.T) {
	s, ok := LookupScheme("file")
	require.True(t, ok)
	assert.Panics(t, func() { RegisterScheme(s) })
	assert.Panics(t, func() {
		RegisterScheme(Scheme{Name: "x-test", Example: "x-test://", Open: func(*url.URL, string, Deps) (Store, error) { return nil, nil }, Aliases: []string{"postgresql"}})
	})
	_, ok = LookupScheme("x-test")
	assert.False(t, ok, "a refused registration leaves nothing behind")
}
