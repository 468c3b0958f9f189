package migration

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Pool sign-in attributes, as CreateUserPool names them.
const (
	AttrEmail             = "email"
	AttrPhone             = "phone_number"
	AttrPreferredUsername = "preferred_username"
)

// PoolShape mirrors how the user pool signs users in, so that a migration
// answer fits it (Cognito fails the sign-in otherwise):
//
//   - UsernameAttributes (the pool's UsernameAttributes: email and/or
//     phone_number is the user name): the answer never carries a username;
//     Cognito assigns one.
//   - AliasAttributes (email, phone_number, preferred_username): a sign-in
//     with an alias value gets a username that is neither email- nor
//     phone-shaped (the legacy username, else a stable generated one) and
//     the typed alias as a verified attribute — an alias is active only once
//     verified. A legacy user whose typed alias is not verified is refused
//     with ErrAliasUnverified: nothing proves the address, and Cognito could
//     not map it; the legacy username still works.
//   - neither (a username-only pool): the username is left out, so Cognito
//     keeps the request's.
//
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html
type PoolShape struct {
	UsernameAttributes []string
	AliasAttributes    []string
	// PhoneRegion is the CLDR region ("US", "BR") of phone numbers stored
	// without a country code; "" accepts only numbers that carry one.
	PhoneRegion string
}

// ErrAliasUnverified: the user signed in with an email or phone alias the
// legacy record does not say is verified.
var ErrAliasUnverified = errors.New("the alias the user signed in with is not verified in the legacy record")

// Answer is the part of a UserMigration response the pool's shape decides.
type Answer struct {
	// Attributes are the user's Cognito attributes, phone in E.164.
	Attributes map[string]string
	// Username is the response's username; "" leaves it out.
	Username string
	// Notes are for the log (a phone number dropped…), never for the user.
	Notes []string
}

// CanReceiveCode reports whether Cognito can deliver a code to the answer's
// verified email or (normalized) phone.
func (a Answer) CanReceiveCode() bool {
	return (a.Attributes[AttrEmail] != "" && a.Attributes["email_verified"] == "true") ||
		(a.Attributes[AttrPhone] != "" && a.Attributes["phone_number_verified"] == "true")
}

// Answer maps legacy user u, found by login, to the response for this pool.
func (s PoolShape) Answer(login string, u User) (Answer, error) {
	a := Answer{Attributes: Attributes(u)}
	var phone string
	if u.Phone != "" {
		n, err := NormalizePhone(u.Phone, s.PhoneRegion)
		if err != nil {
			delete(a.Attributes, AttrPhone)
			delete(a.Attributes, "phone_number_verified")
			a.Notes = append(a.Notes, "phone number dropped: "+err.Error())
		} else {
			phone = n
			a.Attributes[AttrPhone] = n
		}
	}
	if len(s.UsernameAttributes) > 0 || len(s.AliasAttributes) == 0 {
		return a, nil
	}
	typed := strings.TrimSpace(login)
	var alias string
	switch {
	case u.Email != "" && strings.EqualFold(typed, strings.TrimSpace(u.Email)) && slices.Contains(s.AliasAttributes, AttrEmail):
		if !u.EmailVerified {
			return a, fmt.Errorf("email: %w", ErrAliasUnverified)
		}
		alias = AttrEmail
	case phone != "" && samePhone(typed, phone, s.PhoneRegion) && slices.Contains(s.AliasAttributes, AttrPhone):
		if !u.PhoneVerified {
			return a, fmt.Errorf("phone_number: %w", ErrAliasUnverified)
		}
		alias = AttrPhone
	default:
		return a, nil // the legacy username: Cognito keeps the request's
	}
	a.Username = CognitoUsername(u)
	if alias == AttrEmail {
		a.Attributes[AttrEmail], a.Attributes["email_verified"] = typed, "true"
	} else {
		a.Attributes["phone_number_verified"] = "true"
	}
	return a, nil
}

// CognitoUsername is the username a migrated user gets in a pool with alias
// attributes: the legacy username unless it is email- or phone-shaped
// (Cognito refuses those there), else the legacy id if it is not, else a
// stable name derived from the legacy id.
func CognitoUsername(u User) string {
	for _, c := range []string{u.Username, u.ID} {
		if c != "" && !aliasShaped(c) {
			return c
		}
	}
	sum := sha256.Sum256([]byte("poolside legacy user " + u.LegacyID()))
	return "legacy-" + hex.EncodeToString(sum[:12])
}

// aliasShaped reports whether s looks like an email address or a phone
// number, which a username of an alias pool may not.
func aliasShaped(s string) bool {
	if strings.Contains(s, "@") {
		return true
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+ -().", r):
		default:
			return false
		}
	}
	return digits >= 5
}

func samePhone(typed, e164, region string) bool {
	n, err := NormalizePhone(typed, region)
	return err == nil && n == e164
}
