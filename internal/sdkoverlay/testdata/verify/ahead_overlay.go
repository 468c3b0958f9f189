//go:build sdkoverlay

package main

import "github.com/aws/aws-cryptographic-material-providers-library/releases/go/primitives/Signature"

// aheadUsed counts the checks the overlay's PoolsideVerifyAhead answered
// (built with -tags sdkoverlay, against the Lambda artifacts' go.mod only).
func aheadUsed() int64 { return Signature.PoolsideAheadUsed() }
