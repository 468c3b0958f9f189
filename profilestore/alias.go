package profilestore

import "github.com/poolside-io/poolside/profilestore/profile"

// The profile types, errors and interfaces live in package profile (no AWS
// SDK: the triggers import it, #17); these are the same values and types.

// Sentinel errors (profile's): compare with errors.Is.
var (
	ErrNotFound = profile.ErrNotFound
	ErrExists   = profile.ErrExists
	ErrConflict = profile.ErrConflict
	ErrInvalid  = profile.ErrInvalid
)

type (
	// Status is a profile's account status (profile.Status).
	Status = profile.Status
	// Preferences are the user's display preferences (profile.Preferences).
	Preferences = profile.Preferences
	// Profile is the stored profile (profile.Profile).
	Profile = profile.Profile
	// Reader reads profiles (profile.Reader).
	Reader = profile.Reader
	// EmailGuard says what a create does with the email guard (profile.EmailGuard).
	EmailGuard = profile.EmailGuard
	// Store is everything a profile store does (profile.Store).
	Store = profile.Store
)

// Profile statuses (profile's).
const (
	StatusConfirmed = profile.StatusConfirmed
	StatusSuspended = profile.StatusSuspended
	StatusDisabled  = profile.StatusDisabled
)

// Defaults for new profiles (profile's).
const (
	DefaultRole     = profile.DefaultRole
	BadgeNewMember  = profile.BadgeNewMember
	SourceLegacy    = profile.SourceLegacy
	PendingIDPrefix = profile.PendingIDPrefix
)

// PendingID is profile.PendingID.
func PendingID(legacyID string) string { return profile.PendingID(legacyID) }

// NormalizeEmail is profile.NormalizeEmail.
func NormalizeEmail(email string) string { return profile.NormalizeEmail(email) }

// NormalizeHandle is profile.NormalizeHandle.
func NormalizeHandle(h string) string { return profile.NormalizeHandle(h) }

// HandleBase is profile.HandleBase.
func HandleBase(p Profile) string { return profile.HandleBase(p) }
