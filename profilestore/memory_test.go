package profilestore_test

import (
	"testing"

	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/profilestore/conformance"
)

func TestMemoryConformance(t *testing.T) {
	conformance.Run(t, func(*testing.T) profilestore.Store { return profilestore.NewMemory(nil) })
}
