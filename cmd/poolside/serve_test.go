package main

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/triggers"
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

// The Invoke API picks the function by the key the router reads: exactly
// "triggerSource", not another spelling of it.
func TestEventSourceReadsTheRoutersKey(t *testing.T) {
	assert.Equal(t, triggers.Source("PreSignUp_SignUp"), eventSource([]byte(`{"triggerSource":"PreSignUp_SignUp"}`)))
	assert.Equal(t, triggers.Source("PreSignUp_SignUp"),
		eventSource([]byte(`{"triggerSource":"PreSignUp_SignUp","TriggerSource":"PostConfirmation_ConfirmSignUp"}`)))
	assert.Equal(t, triggers.Source(""), eventSource([]byte(`{"TRIGGERSOURCE":"PreSignUp_SignUp"}`)))
	assert.Equal(t, triggers.Source(""), eventSource([]byte(`not json`)))
	assert.Equal(t, triggers.Source(""), eventSource([]byte(`{"triggerSource":7}`)))
}
