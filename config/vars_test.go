package config

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/triggers"
)

// readNames returns every POOLSIDE_* name FromEnv asks for, under each of the
// given base environments (some variables are read only for some sources).
func readNames(t *testing.T, bases ...map[string]string) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	for _, base := range bases {
		_, _ = FromEnv(func(k string) string {
			if strings.HasPrefix(k, "POOLSIDE_") {
				seen[k] = true
			}
			return base[k]
		})
	}
	return seen
}

func TestEveryVariableReadIsListed(t *testing.T) {
	seen := readNames(t,
		map[string]string{},
		map[string]string{"POOLSIDE_LEGACY_SOURCE": "postgres://u@127.0.0.1/db"},
		map[string]string{"POOLSIDE_LEGACY_SOURCE": "dynamodb://legacy"},
		map[string]string{"POOLSIDE_PROFILE_STORE": "dynamodb://profiles"},
	)
	require.NotEmpty(t, seen)
	for name := range seen {
		_, ok := LookupVar(name)
		assert.True(t, ok, "FromEnv reads %s but config.Vars does not list it: add it to config/vars.go with the triggers that read it", name)
	}
}

func TestEveryListedVariableIsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for _, v := range Vars {
		assert.True(t, strings.Contains(string(readme), "`"+v.Name+"`"), "README.md's configuration tables do not document %s", v.Name)
	}
	names := map[string]bool{}
	for _, v := range Vars {
		assert.False(t, names[v.Name], "%s listed twice", v.Name)
		names[v.Name] = true
		for _, tr := range v.ReadBy {
			_, known := triggers.ParseTrigger(string(tr))
			assert.True(t, known, "%s: read by unknown trigger %q", v.Name, tr)
		}
	}
}
