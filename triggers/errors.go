package triggers

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/poolside-io/poolside/messages"
)

// Refusal is a decision the end user reads: Code picks the text, which the
// router looks up in the user's locale (package messages) and Cognito shows
// on the sign-up or sign-in page ("PreSignUp failed with error <text>.").
// Field is the attribute the refusal concerns, if any. Reason is for the log
// only and never reaches the caller; it must not hold a password, a code or a
// token.
type Refusal struct {
	Code   messages.Code
	Field  string
	Reason string
}

func (r *Refusal) Error() string {
	if r.Field != "" {
		return fmt.Sprintf("refused (%s %s): %s", r.Code, r.Field, r.Reason)
	}
	return fmt.Sprintf("refused (%s): %s", r.Code, r.Reason)
}

// Refuse returns a refusal the user reads in their language, with a reason for the log.
func Refuse(code messages.Code, reason string) error { return &Refusal{Code: code, Reason: reason} }

// InvalidEventError reports an event that is not a Cognito trigger event.
type InvalidEventError struct{ Err error }

func (e *InvalidEventError) Error() string { return "invalid trigger event: " + e.Err.Error() }
func (e *InvalidEventError) Unwrap() error { return e.Err }

// UnknownSourceError reports a triggerSource this router has never heard of.
type UnknownSourceError struct{ Source Source }

func (e *UnknownSourceError) Error() string {
	if e.Source == "" {
		return "invalid trigger event: triggerSource is missing"
	}
	return fmt.Sprintf("unknown triggerSource %q", string(e.Source))
}

// NotEnabledError reports a known triggerSource whose trigger is switched off
// in this deployment (POOLSIDE_TRIGGERS) or has no handler.
type NotEnabledError struct {
	Source  Source
	Trigger Trigger
}

func (e *NotEnabledError) Error() string {
	return fmt.Sprintf("trigger %s is not enabled in this deployment (triggerSource %s)", e.Trigger, e.Source)
}

// Lambda errorType values poolside answers with.
const (
	errTypeRefused      = "Refused"
	errTypeInvalidEvent = "InvalidEvent"
	errTypeUnknown      = "UnknownTriggerSource"
	errTypeNotEnabled   = "TriggerNotEnabled"
	errTypeInternal     = "InternalError"
)

// publicError maps any handler error to what the caller may see: its text and
// Lambda errorType. A refusal reads as its code's text in the user's locale;
// everything not known to be safe becomes messages.CodeInternal's text with a
// correlation reference. text looks a code up in the user's locale.
func publicError(err error, text func(messages.Code, messages.Args) string) (message, errType, ref string) {
	var (
		refusal *Refusal
		invalid *InvalidEventError
		unknown *UnknownSourceError
		off     *NotEnabledError
	)
	switch {
	case errors.As(err, &refusal):
		// Cognito appends "." to the text ("… failed with error <text>."):
		// the catalog's texts end without one.
		return text(refusal.Code, messages.Args{Field: refusal.Field}), errTypeRefused, ""
	case errors.As(err, &invalid):
		return invalid.Error(), errTypeInvalidEvent, ""
	case errors.As(err, &unknown):
		return unknown.Error(), errTypeUnknown, ""
	case errors.As(err, &off):
		return off.Error(), errTypeNotEnabled, ""
	}
	ref = newRef()
	return text(messages.CodeInternal, messages.Args{Ref: ref}), errTypeInternal, ref
}

func newRef() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
