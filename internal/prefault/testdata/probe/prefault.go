//go:build !noprefault

package main

import _ "github.com/poolside-io/poolside/internal/prefault"
