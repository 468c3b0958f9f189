package migration

import "strings"

// Attributes maps a legacy user to Cognito standard attributes. Verified
// flags are set only when the legacy record says so; sub is never set.
func Attributes(u User) map[string]string {
	a := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			a[k] = v
		}
	}
	set("email", strings.TrimSpace(u.Email))
	if u.EmailVerified && u.Email != "" {
		a["email_verified"] = "true"
	}
	set("phone_number", u.Phone)
	if u.PhoneVerified && u.Phone != "" {
		a["phone_number_verified"] = "true"
	}
	set("given_name", u.GivenName)
	set("family_name", u.FamilyName)
	set("name", u.FullName())
	set("locale", u.Locale)
	return a
}

// SignedInWithAlias reports whether login named the user by an alias (the
// email or phone) rather than by the legacy username: only then does the
// migration response carry "username".
func SignedInWithAlias(login string, u User) bool {
	return login != u.Username && u.Username != ""
}
