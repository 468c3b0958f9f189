//go:build !sdkoverlay

package main

// aheadUsed is -1: without the overlay nothing is checked ahead.
func aheadUsed() int64 { return -1 }
