// Package profile holds the profile types, errors and store interfaces of
// package profilestore without its DynamoDB store, so the triggers that only
// read these types link no AWS SDK (cold start, #17). Package profilestore
// re-exports all of it under the same names.
package profile

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Sentinel errors. Implementations convert their storage errors to these in
// one place; callers compare with errors.Is.
var (
	// ErrNotFound: no profile has that id, email or handle.
	ErrNotFound = errors.New("profile not found")
	// ErrExists: a different profile already holds that email or handle.
	ErrExists = errors.New("profile email or handle already taken")
	// ErrConflict: the profile changed while it was being updated (optimistic
	// concurrency); the caller may read it again and retry.
	ErrConflict = errors.New("profile changed concurrently")
	// ErrInvalid: the profile or the change is not valid (no id, bad status…).
	ErrInvalid = errors.New("invalid profile")
)

// Status is a profile's account status.
type Status string

// Profile statuses. SUSPENDED and DISABLED stop token issue (the kill switch).
const (
	StatusConfirmed Status = "CONFIRMED"
	StatusSuspended Status = "SUSPENDED"
	StatusDisabled  Status = "DISABLED"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusConfirmed || s == StatusSuspended || s == StatusDisabled
}

// Active reports whether tokens may be issued to the profile's user.
func (s Status) Active() bool { return s == "" || s == StatusConfirmed }

// Defaults for new profiles.
const (
	DefaultRole     = "USER"
	BadgeNewMember  = "NEW_MEMBER"
	SourceLegacy    = "legacy"
	PendingIDPrefix = "pending:"
)

// Preferences are the user's display preferences.
type Preferences struct {
	Lang      string `json:"lang,omitempty" dynamodbav:"lang,omitempty"`
	Currency  string `json:"currency,omitempty" dynamodbav:"currency,omitempty"`
	AvatarURL string `json:"avatarUrl,omitempty" dynamodbav:"avatarUrl,omitempty"`
}

// Profile is the record poolside keeps beside each Cognito user.
//
// ID is the Cognito sub. A profile imported by the migration trigger, which
// runs before Cognito has created the user, has the ID PendingIDPrefix+legacyId
// until the first Ensure with the user's sub adopts it (see doc.go).
type Profile struct {
	ID                string         `json:"id" dynamodbav:"id"`
	Username          string         `json:"username,omitempty" dynamodbav:"username,omitempty"`
	Email             string         `json:"email,omitempty" dynamodbav:"email,omitempty"`
	DisplayEmail      string         `json:"displayEmail,omitempty" dynamodbav:"displayEmail,omitempty"`
	GivenName         string         `json:"givenName,omitempty" dynamodbav:"givenName,omitempty"`
	FamilyName        string         `json:"familyName,omitempty" dynamodbav:"familyName,omitempty"`
	Name              string         `json:"name,omitempty" dynamodbav:"name,omitempty"`
	Handle            string         `json:"handle" dynamodbav:"handle"`
	CreatedAt         time.Time      `json:"createdAt" dynamodbav:"createdAt"`
	UpdatedAt         time.Time      `json:"updatedAt" dynamodbav:"updatedAt"`
	LastLoginAt       *time.Time     `json:"lastLoginAt,omitempty" dynamodbav:"lastLoginAt,omitempty"`
	PasswordChangedAt *time.Time     `json:"passwordChangedAt,omitempty" dynamodbav:"passwordChangedAt,omitempty"`
	Role              string         `json:"role" dynamodbav:"role"`
	Groups            []string       `json:"groups,omitempty" dynamodbav:"groups,omitempty"`
	Status            Status         `json:"status" dynamodbav:"status"`
	TenantID          string         `json:"tenantId,omitempty" dynamodbav:"tenantId,omitempty"`
	SourceSystem      string         `json:"sourceSystem,omitempty" dynamodbav:"sourceSystem,omitempty"`
	Badges            []string       `json:"badges,omitempty" dynamodbav:"badges,omitempty"`
	Preferences       Preferences    `json:"preferences" dynamodbav:"preferences"`
	Data              map[string]any `json:"data,omitempty" dynamodbav:"data,omitempty"`
	LegacyID          string         `json:"legacyId,omitempty" dynamodbav:"legacyId,omitempty"`
	// NewGroups are Cognito groups poolside has just added the user to (a
	// migrated user's first sign-in) that the next token must carry: Cognito
	// built that token's event before the groups existed. Cleared once used.
	NewGroups []string `json:"newGroups,omitempty" dynamodbav:"newGroups,omitempty"`
	Version   int64    `json:"version" dynamodbav:"version"`
}

// Pending reports whether the profile waits for its Cognito sub (migration).
func (p Profile) Pending() bool { return strings.HasPrefix(p.ID, PendingIDPrefix) }

// PendingID is the ID of a profile imported for legacy user legacyID.
func PendingID(legacyID string) string { return PendingIDPrefix + legacyID }

// NormalizeEmail is the form emails are unique in: trimmed, lower-case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// NormalizeHandle is the form handles are unique in: lower-case with the @.
func NormalizeHandle(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if h != "" && !strings.HasPrefix(h, "@") {
		h = "@" + h
	}
	return h
}

// HandleBase is the handle a profile asks for before uniqueness: "@" + the
// PascalCase of its name folded to ASCII letters and digits ("Ana Lima" and
// "ana-lima" → "@AnaLima", "Zoë Ødegård" → "@ZoeOdegard"). With no usable
// name it falls back to the email's local part, then to "@user".
func HandleBase(p Profile) string {
	for _, src := range []string{p.Name, strings.TrimSpace(p.GivenName + " " + p.FamilyName), localPart(p.Email), p.Username} {
		if h := pascalASCII(src); h != "" {
			if len(h) > 30 {
				h = h[:30]
			}
			return "@" + h
		}
	}
	return "@user"
}

func localPart(email string) string {
	if i := strings.IndexByte(email, '@'); i > 0 {
		return email[:i]
	}
	return ""
}

// transliterations for letters NFD does not decompose to ASCII.
var foldSpecial = strings.NewReplacer("ß", "ss", "ø", "o", "Ø", "O", "æ", "ae", "Æ", "AE", "œ", "oe", "Œ", "OE",
	"đ", "d", "Đ", "D", "ł", "l", "Ł", "L", "þ", "th", "Þ", "TH", "ı", "i")

func pascalASCII(s string) string {
	s = foldSpecial.Replace(s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		return ""
	}
	var b strings.Builder
	upper := true
	for _, r := range folded {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	return b.String()
}

// Reader reads profiles.
type Reader interface {
	// Get returns the profile with that id, or ErrNotFound.
	Get(ctx context.Context, id string) (Profile, error)
	// GetByEmail returns the profile with that email (any case), or ErrNotFound.
	GetByEmail(ctx context.Context, email string) (Profile, error)
	// GetByHandle returns the profile with that handle (any case, @ optional), or ErrNotFound.
	GetByHandle(ctx context.Context, handle string) (Profile, error)
}

// EmailGuard says what a create does with the email guard, the item that
// makes an email unique among profiles. The zero value takes a free guard.
//
// The guard is poolside's bookkeeping, never a reason to refuse a user Cognito
// allowed (Cognito has no delete trigger: a deleted user's profile keeps its
// guard). The caller, who can ask Cognito, decides: Skip when the holder is a
// live user (two users of a username pool may share an address) or the email
// is unverified; From when the holder's Cognito user no longer exists.
type EmailGuard struct {
	// Skip stores the profile without the email guard; whoever holds it keeps it.
	Skip bool
	// From takes the guard over from the profile with this id, which must
	// still hold it (ErrConflict otherwise). That profile stays, unguarded.
	From string
}

// Store is everything a profile store does. Consumers declare the subset they call.
type Store interface {
	Reader
	// Create stores a new profile and returns it as stored. It is idempotent:
	// when a profile with p.ID exists it is returned unchanged. A different
	// profile holding the same email or handle gives ErrExists (a pending
	// profile too: only Adopt re-keys one). Create fills Handle (unique),
	// CreatedAt, UpdatedAt, Role, Status, Badges (NEW_MEMBER) and Version
	// when they are empty.
	Create(ctx context.Context, p Profile) (Profile, error)
	// CreateGuarded is Create with a choice about the email guard; created
	// is false when a profile with p.ID already existed. ErrExists when the
	// guard is taken (and g is zero) or the handle is; ErrConflict when g.From
	// no longer holds the guard.
	CreateGuarded(ctx context.Context, p Profile, g EmailGuard) (prof Profile, created bool, err error)
	// Ensure returns the profile with p.ID, creating it from p when absent;
	// created says which. Errors as Create.
	Ensure(ctx context.Context, p Profile) (prof Profile, created bool, err error)
	// Adopt gives the pending (migrated) profile pendingID the id p.ID, with
	// its guards, keeping what the legacy import recorded (doc.go). The
	// caller has checked that p's user owns the legacy account (verified
	// email, matching username). Idempotent: when p.ID exists it is returned.
	// ErrNotFound when pendingID does not exist; ErrInvalid when it is not pending.
	Adopt(ctx context.Context, pendingID string, p Profile) (Profile, error)
	// Update applies change to the stored profile (optimistic concurrency:
	// ErrConflict after a few lost races) and returns it. change may not alter
	// ID, Email or Handle (ErrInvalid); its error is returned as is. ErrNotFound.
	// The per-field setters (SetStatus, SetRole, AddBadge…) are functions
	// on top of it (update.go).
	Update(ctx context.Context, id string, change func(*Profile) error) (Profile, error)
	// TouchLogin sets LastLoginAt. ErrNotFound when absent.
	TouchLogin(ctx context.Context, id string, at time.Time) error
	// SetPasswordChanged sets PasswordChangedAt. ErrNotFound when absent.
	SetPasswordChanged(ctx context.Context, id string, at time.Time) error
	// Delete removes the profile and frees its email and handle. ErrNotFound.
	Delete(ctx context.Context, id string) error
}
