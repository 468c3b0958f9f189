package migration

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound: no legacy user has that username or email.
var ErrNotFound = errors.New("legacy user not found")

// User is one user of the legacy system. Its JSON form is the legacy line
// format (README "Embedded default: the legacy users file"); id, name,
// phone_number and phone_number_verified are optional.
type User struct {
	ID            string    `json:"id,omitempty"` // legacy id; the username when absent
	Username      string    `json:"username"`
	Email         string    `json:"email"`
	EmailVerified bool      `json:"email_verified"`
	Phone         string    `json:"phone_number,omitempty"`
	PhoneVerified bool      `json:"phone_number_verified,omitempty"`
	GivenName     string    `json:"given_name"`
	FamilyName    string    `json:"family_name"`
	Name          string    `json:"name,omitempty"`
	Locale        string    `json:"locale"`
	PasswordHash  string    `json:"password_hash"`
	TenantID      string    `json:"tenant_id"`
	Role          string    `json:"role"`
	CreatedAt     time.Time `json:"created_at"`
	Disabled      bool      `json:"disabled"`

	// PasswordHashFormat names the format of a PasswordHash that carries no
	// marker of its own ("aspnet-identity", "firebase-scrypt", "keycloak");
	// empty: the format is read from the hash (README "Hash formats").
	PasswordHashFormat string `json:"password_hash_format,omitempty"`
	// PasswordSalt is the salt of a format that stores it apart from the
	// hash (Firebase's passwordSalt, Keycloak's secretData.salt), as exported.
	PasswordSalt string `json:"password_salt,omitempty"`
	// PasswordHashParams are a format's parameters stored apart from the
	// hash (Keycloak's credentialData: algorithm, hashIterations).
	PasswordHashParams map[string]any `json:"password_hash_params,omitempty"`
}

// LegacyID is the user's id in the legacy system: ID, else the username.
func (u User) LegacyID() string {
	if u.ID != "" {
		return u.ID
	}
	return u.Username
}

// FullName is Name, else given and family name joined.
func (u User) FullName() string {
	if u.Name != "" {
		return u.Name
	}
	return strings.TrimSpace(u.GivenName + " " + u.FamilyName)
}

// CanReceiveCode reports whether Cognito can deliver a reset code: a verified
// email or phone number.
func (u User) CanReceiveCode() bool {
	return (u.EmailVerified && u.Email != "") || (u.PhoneVerified && u.Phone != "")
}

// String never shows the password hash.
func (u User) String() string { return fmt.Sprintf("legacy user %q", u.Username) }

// match picks the user a login names among candidates: a username match wins
// over an email match (another user's username may look like an email).
func match(login string, candidates []User) (User, error) {
	var byEmail *User
	for i, u := range candidates {
		if u.Username == login {
			return u, nil
		}
		if byEmail == nil && u.Email != "" && strings.EqualFold(u.Email, strings.TrimSpace(login)) {
			byEmail = &candidates[i]
		}
	}
	if byEmail != nil {
		return *byEmail, nil
	}
	return User{}, ErrNotFound
}

// record decodes a user from loosely typed fields (DynamoDB items, SQL rows):
// strings, booleans or "true"/"1", times as RFC 3339 text, time.Time or Unix
// seconds.
func record(fields map[string]any) (User, error) {
	var u User
	var errs []error
	str := func(k string) string {
		switch v := fields[k].(type) {
		case nil:
			return ""
		case string:
			return v
		case fmt.Stringer:
			return v.String()
		default:
			return fmt.Sprint(v)
		}
	}
	boolean := func(k string) bool {
		switch v := fields[k].(type) {
		case nil:
			return false
		case bool:
			return v
		case string:
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil && v != "" {
				errs = append(errs, fmt.Errorf("%s: %q is not a boolean", k, v))
			}
			return b
		case int64:
			return v != 0
		case float64:
			return v != 0
		}
		errs = append(errs, fmt.Errorf("%s: %T is not a boolean", k, fields[k]))
		return false
	}
	u.ID, u.Username, u.Email = str("id"), str("username"), str("email")
	u.EmailVerified, u.Phone, u.PhoneVerified = boolean("email_verified"), str("phone_number"), boolean("phone_number_verified")
	u.GivenName, u.FamilyName, u.Name, u.Locale = str("given_name"), str("family_name"), str("name"), str("locale")
	u.PasswordHash, u.TenantID, u.Role = str("password_hash"), str("tenant_id"), str("role")
	u.Disabled = boolean("disabled")
	u.PasswordHashFormat, u.PasswordSalt = str("password_hash_format"), str("password_salt")
	switch v := fields["password_hash_params"].(type) {
	case nil:
	case map[string]any:
		u.PasswordHashParams = v
	case string, []byte: // a JSON or text column
		var text []byte
		if s, ok := v.(string); ok {
			text = []byte(s)
		} else {
			text = v.([]byte)
		}
		if len(bytes.TrimSpace(text)) > 0 {
			if err := json.Unmarshal(text, &u.PasswordHashParams); err != nil {
				// never quote it: it sits beside the hash
				errs = append(errs, errors.New("password_hash_params: not a JSON object"))
			}
		}
	default:
		errs = append(errs, fmt.Errorf("password_hash_params: %T is not an object", v))
	}
	switch v := fields["created_at"].(type) {
	case nil:
	case time.Time:
		u.CreatedAt = v.UTC()
	case string:
		if v != "" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				if n, nerr := strconv.ParseInt(v, 10, 64); nerr == nil {
					t, err = time.Unix(n, 0), nil
				}
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("created_at: %q is not RFC 3339", v))
			}
			u.CreatedAt = t.UTC()
		}
	case int64:
		u.CreatedAt = time.Unix(v, 0).UTC()
	case float64:
		u.CreatedAt = time.Unix(int64(v), 0).UTC()
	default:
		errs = append(errs, fmt.Errorf("created_at: %T is not a time", v))
	}
	if u.Username == "" {
		errs = append(errs, errors.New("username is empty"))
	}
	return u, errors.Join(errs...)
}

// decodeLine reads one JSON Lines record with the same loose typing as the
// other sources: booleans as true or "true", created_at as RFC 3339 text or
// Unix seconds. The user comes back with whatever did decode, so a bad
// record can still be told apart by its username or email.
func decodeLine(line []byte) (User, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	var fields map[string]any
	if err := dec.Decode(&fields); err != nil {
		// json's syntax errors never quote the input (it holds a hash)
		return User{}, err
	}
	if dec.More() {
		return User{}, errors.New("more than one JSON value on the line")
	}
	return record(fields)
}
