package main

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A taken port is named, said to be in use, and the way to pick another given.
func TestServeOnATakenPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	addr := ln.Addr().String()
	t.Setenv("POOLSIDE_TRIGGERS", "CustomMessage")
	var stdout, stderr bytes.Buffer
	code := run([]string{"serve", "--addr", addr}, strings.NewReader(""), &stdout, &stderr)
	assert.Equal(t, 1, code)
	msg := stderr.String()
	assert.Contains(t, msg, addr+" is already in use")
	assert.Contains(t, msg, "--addr")
	assert.Contains(t, msg, "make run ADDR=")
}
