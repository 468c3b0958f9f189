package migration

// Phone numbers are parsed with github.com/nyaruka/phonenumbers, whose
// metadata costs ~2.5 MB of allocations when loaded: only the UserMigration
// artifact and the command-line binary link package migration (config's and
// triggers' build tags), and go.mod replaces the library with
// third_party/phonenumbers, which loads the metadata on the first number
// normalized instead of at package init (#17).

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone returns raw in E.164 (+5511987654321), the only form
// Cognito accepts, with github.com/nyaruka/phonenumbers (libphonenumber's Go
// port); region is the CLDR region of numbers without a country code. A
// number that does not parse or is not a valid number is an error: it is
// dropped, never sent raw.
func NormalizePhone(raw, region string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("empty phone number")
	}
	n, err := phonenumbers.Parse(raw, strings.ToUpper(region))
	if err != nil {
		return "", fmt.Errorf("not a phone number (%v)", err)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", errors.New("not a valid phone number")
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}
