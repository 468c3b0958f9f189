package triggers

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Refusal is a decision the end user may read: Cognito shows Message on the
// sign-up or sign-in page ("PreSignUp failed with error <Message>."). Reason
// is for the log only and never reaches the caller; it must not hold a
// password, a code or a token.
type Refusal struct {
	Message string
	Reason  string
}

func (r *Refusal) Error() string { return r.Message }

// Refuse returns a user-safe refusal with a reason for the log.
func Refuse(message, reason string) error { return &Refusal{Message: message, Reason: reason} }

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

// genericMessage is what the user reads when something unexpected failed; the
// reference ties it to the log line that holds the details.
const genericMessage = "Something went wrong on our side. Please try again in a moment. (ref %s)"

// Lambda errorType values poolside answers with.
const (
	errTypeRefused      = "Refused"
	errTypeInvalidEvent = "InvalidEvent"
	errTypeUnknown      = "UnknownTriggerSource"
	errTypeNotEnabled   = "TriggerNotEnabled"
	errTypeInternal     = "InternalError"
)

// publicError maps any handler error to what the caller may see: its text and
// Lambda errorType. Everything not known to be safe becomes the generic message
// with a correlation reference.
func publicError(err error) (message, errType, ref string) {
	var (
		refusal *Refusal
		invalid *InvalidEventError
		unknown *UnknownSourceError
		off     *NotEnabledError
	)
	switch {
	case errors.As(err, &refusal):
		// Cognito appends "." to the text ("… failed with error <text>."):
		// a message ending in one would read "..".
		return strings.TrimSuffix(strings.TrimSpace(refusal.Message), "."), errTypeRefused, ""
	case errors.As(err, &invalid):
		return invalid.Error(), errTypeInvalidEvent, ""
	case errors.As(err, &unknown):
		return unknown.Error(), errTypeUnknown, ""
	case errors.As(err, &off):
		return off.Error(), errTypeNotEnabled, ""
	}
	ref = newRef()
	return fmt.Sprintf(genericMessage, ref), errTypeInternal, ref
}

func newRef() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
