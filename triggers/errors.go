package triggers

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

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
// Error says in plain words which field is wrong and what was expected; Err
// keeps the decoder's own text for the log.
type InvalidEventError struct{ Err error }

func (e *InvalidEventError) Error() string {
	return "invalid trigger event: " + plainDecodeError(e.Err)
}
func (e *InvalidEventError) Unwrap() error { return e.Err }

// plainDecodeError rewrites the JSON decoder's error without Go's names for
// types ("json: cannot unmarshal number into Go struct field
// Header.triggerSource of type triggers.Source" reads "triggerSource must be
// a string, not a number"), keeping the context the event types add
// ("request: ", "attribute \"email\": ").
func plainDecodeError(err error) string {
	var (
		typ    *json.UnmarshalTypeError
		syntax *json.SyntaxError
	)
	switch {
	case errors.As(err, &typ):
		context := strings.TrimSuffix(err.Error(), typ.Error())
		got := jsonValueKind(typ.Value)
		switch c := strings.TrimSuffix(context, ": "); {
		case typ.Field != "":
			return fmt.Sprintf("%s%s must be %s, not %s", context, typ.Field, jsonKind(typ.Type), got)
		case context == "":
			return fmt.Sprintf("the event must be %s, not %s", jsonKind(typ.Type), got)
		case strings.Contains(c[strings.LastIndex(c, ": ")+1:], "must be") || strings.Contains(c[strings.LastIndex(c, ": ")+1:], "want "):
			return fmt.Sprintf("%s, not %s", c, got) // "attributes must be an object, not an array"
		default:
			return fmt.Sprintf("%s must be %s, not %s", c, jsonKind(typ.Type), got) // "request must be an object, not a number"
		}
	case errors.As(err, &syntax):
		context := strings.TrimSuffix(err.Error(), syntax.Error())
		return fmt.Sprintf("%snot valid JSON: %s (at byte %d)", context, syntax.Error(), syntax.Offset)
	case errors.Is(err, errNotAnObject):
		return "the event must be a JSON object"
	}
	return err.Error()
}

// errNotAnObject: the payload is JSON but not an object (null).
var errNotAnObject = errors.New("want a JSON object")

// jsonKind names what JSON a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another kind of value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "another kind of value"
}

// jsonValueKind turns the decoder's name for what it read ("number",
// "number 1e999", "bool", "array"…) into words.
func jsonValueKind(v string) string {
	kind, detail, _ := strings.Cut(v, " ")
	word := map[string]string{"number": "a number", "string": "a string", "bool": "true or false",
		"array": "an array", "object": "an object"}[kind]
	switch {
	case word == "":
		return "that value"
	case detail != "":
		return word + " out of range"
	}
	return word
}

// UnknownSourceError reports a triggerSource this router has never heard of.
type UnknownSourceError struct{ Source Source }

// maxQuotedSource is how much of an unknown triggerSource an answer quotes.
const maxQuotedSource = 64

func (e *UnknownSourceError) Error() string {
	if e.Source == "" {
		return "invalid trigger event: triggerSource is missing"
	}
	if s := string(e.Source); len(s) > maxQuotedSource {
		cut := maxQuotedSource
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return fmt.Sprintf("unknown triggerSource %q… (%d bytes)", s[:cut], len(s))
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
