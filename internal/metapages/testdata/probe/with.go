//go:build !nometapages

package main

import _ "github.com/poolside-io/poolside/internal/metapages"
