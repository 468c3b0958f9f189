package config

import (
	"os"
	"slices"
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

// Every row of README's configuration tables has a "Read by" cell, and for the
// variables of Vars it is the registry's ReadByText (variables of one row
// joined by " / " where they differ): the column cannot drift from Vars.
func TestReadmeReadByColumnMatchesVars(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	rows, documented := 0, map[string]bool{}
	inTable := false
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| Variable |") {
			require.Equal(t, "| Variable | Default | Read by | Meaning |", line, "a configuration table's header")
			inTable = true
			continue
		}
		if inTable && strings.HasPrefix(line, "|---") {
			continue
		}
		if !inTable || !strings.HasPrefix(line, "| ") {
			inTable = false
			continue
		}
		cells := strings.SplitN(line, " | ", 4)
		require.Len(t, cells, 4, "a row of 4 cells: %s", line)
		want := []string{}
		for _, name := range backticked(cells[0]) {
			documented[name] = true
			text := "tests"
			if v, ok := LookupVar(name); ok {
				text = v.ReadByText()
			}
			if !slices.Contains(want, text) {
				want = append(want, text)
			}
		}
		rows++
		assert.Equal(t, strings.Join(want, " / "), cells[2], "README's Read by cell of %s (from config.Vars)", cells[0])
	}
	require.NotZero(t, rows)
	for _, v := range Vars {
		assert.True(t, documented[v.Name], "%s has no row in README's configuration tables", v.Name)
	}
}

// backticked returns the `POOLSIDE_*` names of a table cell.
func backticked(cell string) []string {
	var names []string
	for _, part := range strings.Split(cell, "`")[1:] {
		if strings.HasPrefix(part, "POOLSIDE_") && !strings.ContainsAny(part, " =") {
			names = append(names, part)
		}
	}
	return names
}
