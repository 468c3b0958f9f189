package migration

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidTablePrefix(t *testing.T) {
	for p, want := range map[string]bool{
		"": true, "wp_": true, "WP2_": true, strings.Repeat("a", 32): true,
		strings.Repeat("a", 33): false, "wp-": false, "wp_;drop": false, "wp ": false, "é_": false, "wp.": false,
	} {
		assert.Equal(t, want, validTablePrefix(p), "%q", p)
	}
}
