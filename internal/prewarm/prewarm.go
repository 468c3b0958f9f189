// Package prewarm does, off the critical path, work Go defers to a first use
// that a function's first event is known to make.
//
// P384 is the one such work today. Go builds P-384's table of generator
// multiples the first time a P-384 key is derived or a signature checked:
// about 22 M instructions, 5–10 ms on one core, more than the rest of a
// custom sender's first event together (README "Performance"). Cognito signs
// every custom sender message with ECDSA P-384 (the Encryption SDK's default
// algorithm suite), so each sender's first Decrypt paid it after KMS had
// answered. delivery.KMS.Decrypt calls Start as it begins: the tables are
// built in a goroutine while the KMS call and the send claim wait on the
// network. With one P (the deployment recipes set GOMAXPROCS=1: no function
// gets more than one vCPU) that goroutine runs exactly then, in the CPU the
// waits leave idle; started earlier (from an init) it would take
// the P when the process first polls for an event and hold the event back
// for as long as the tables take. That is work moved, not added: the first
// signature check needs the tables anyway.
package prewarm

import (
	"crypto/ecdh"
	"sync"
)

// P384 builds, once per process, the P-384 generator tables crypto/ecdsa's
// signature check uses. crypto/ecdh and crypto/ecdsa share Go's one P-384
// implementation (crypto/internal/fips140/nistec) and so its tables;
// TestP384 fails if a Go release stops sharing them. Safe to call from any
// goroutine, any number of times: a call made while another builds the
// tables waits for it.
func P384() {
	var one [48]byte // the scalar 1: a valid key; nothing is kept
	one[len(one)-1] = 1
	_, _ = ecdh.P384().NewPrivateKey(one[:])
}

var started sync.Once

// Start runs P384 in a goroutine, the first time it is called in the
// process; later calls do nothing. It returns at once.
func Start() { started.Do(func() { go P384() }) }
