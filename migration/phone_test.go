package migration

import (
	"slices"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// phoneRegions (checked at start-up without loading the library's metadata) is
// the library's list of regions; after a phonenumbers upgrade that adds or
// drops one, paste the list this test prints.
func TestPhoneRegionsAreTheLibrarys(t *testing.T) {
	var lib []string
	for r := range phonenumbers.GetSupportedRegions() {
		lib = append(lib, r)
	}
	slices.Sort(lib)
	require.Equal(t, strings.Join(lib, " "), phoneRegions, "migration/phoneregions.go's list")
	for _, r := range lib {
		assert.True(t, KnownPhoneRegion(r), r)
		assert.True(t, KnownPhoneRegion(strings.ToLower(r)), r)
		assert.NotZero(t, phonenumbers.GetCountryCodeForRegion(r), r)
	}
	for _, r := range []string{"", "X", "XX", "ZZ", "001", "usa", "U ", " S", "S ", "SA ", "us\x00"} {
		assert.False(t, KnownPhoneRegion(r), "%q", r)
		assert.Zero(t, phonenumbers.GetCountryCodeForRegion(strings.ToUpper(r)), "%q", r)
	}
}
