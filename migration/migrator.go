package migration

import (
	"context"
	"errors"
	"sync"
)

// DefaultDummyCost is the bcrypt cost of the dummy hash an unknown user is
// checked against; set it to the cost of most legacy hashes.
const DefaultDummyCost = 10

// Authenticator verifies legacy credentials so that an unknown user and a
// wrong password cost the same time: an unknown user's password is still
// compared against a dummy bcrypt hash of DummyCost.
type Authenticator struct {
	Source    Source
	DummyCost int
	// Verifier checks stored hashes (nil: the zero Verifier, which has no
	// Firebase project parameters).
	Verifier *Verifier
	// Breached, when set, checks a verified password against known breaches
	// (POOLSIDE_MIGRATION_BREACHED); it runs only after a right password, so
	// it changes nothing of the unknown-user and wrong-password timing.
	Breached BreachChecker

	once  sync.Once
	dummy string
	err   error
}

// Check is the outcome of one sign-in attempt.
type Check struct {
	// User is the legacy user (zero when not Found).
	User  User
	Found bool
	// Verified: the password matches the user's hash.
	Verified bool
	// Problem is a data problem with the stored hash (ErrUnknownFormat,
	// ErrMalformed, ErrParams): log it; the password counts as wrong.
	Problem error
	// Breached: the verified password is known from breaches; the user must
	// set a new one.
	Breached bool
	// BreachProblem: the breach check did not answer (outage, timeout); the
	// sign-in went on as if the password were not breached. Log it.
	BreachProblem error
	// Format names the hash family the password was checked against (a
	// Formats name), FormatExternal when the legacy system checked it, "" when
	// the user was not found or the hash names no known family. A metric
	// dimension: one of a short, fixed list.
	Format string
}

// FormatExternal is Check.Format when the legacy system checks the password itself.
const FormatExternal = "external"

// Authenticate looks login up and verifies password. An unknown user or a
// wrong password is a Check with Verified false and a nil error; the error
// is for the source failing.
func (a *Authenticator) Authenticate(ctx context.Context, login string, password []byte) (Check, error) {
	if pc, ok := a.Source.(PasswordChecker); ok {
		// the legacy system checks the password itself (and takes its own time)
		c, err := pc.CheckPassword(ctx, login, password)
		if c.Found {
			c.Format = FormatExternal
		}
		if err == nil && c.Verified && a.Breached != nil {
			c.Breached, c.BreachProblem = a.Breached.Breached(ctx, password)
		}
		return c, err
	}
	u, err := a.Source.Lookup(ctx, login)
	switch {
	case errors.Is(err, ErrNotFound):
		a.burn(password)
		return Check{}, nil
	case err != nil:
		return Check{}, err
	}
	v := a.Verifier
	if v == nil {
		v = &Verifier{}
	}
	ok, problem := v.Verify(u.Stored(), password)
	if problem != nil {
		a.burn(password) // a broken hash costs what a real one does
	}
	c := Check{User: u, Found: true, Verified: ok && problem == nil, Problem: problem}
	if f, err := lookupFormat(u.Stored()); err == nil {
		c.Format = f.Name
	}
	if c.Verified && a.Breached != nil {
		c.Breached, c.BreachProblem = a.Breached.Breached(ctx, password)
	}
	return c, nil
}

// Lookup returns the legacy user for a password reset (no password).
func (a *Authenticator) Lookup(ctx context.Context, login string) (User, error) {
	return a.Source.Lookup(ctx, login)
}

// burn spends one bcrypt comparison at DummyCost.
func (a *Authenticator) burn(password []byte) {
	a.once.Do(func() {
		cost := a.DummyCost
		if cost == 0 {
			cost = DefaultDummyCost
		}
		a.dummy, a.err = BcryptHash([]byte("poolside dummy password"), cost)
	})
	if a.err == nil {
		_, _ = Verify(a.dummy, password)
	}
}
