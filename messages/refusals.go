package messages

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Code names a refusal: what a trigger answers when it says no. Handlers
// return a code; the text is looked up in the user's locale at the edge
// (triggers' router), from the locale's refusals.txt, which defines one
// template per code.
//
// Code is a struct, not a string, so that a handler cannot pass English text
// where a code belongs: every code is declared here and defined by every
// locale's refusals.txt.
type Code struct{ name string }

// String is the code's name, the template's name in refusals.txt.
func (c Code) String() string { return c.name }

// Refusal codes. Every locale defines every one (a test checks it).
var (
	// Sign-up (PreSignUp).
	CodeMissingAttribute = Code{"missing_attribute"} // Field is the attribute
	CodeInvalidEmail     = Code{"invalid_email"}
	CodeDomainNotAllowed = Code{"domain_not_allowed"}
	CodeDisposableEmail  = Code{"disposable_email"}
	CodeInvalidName      = Code{"invalid_name"}   // Field is the attribute
	CodeEmailTaken       = Code{"email_taken"}    // also PostConfirmation
	CodeCaptchaFailed    = Code{"captcha_failed"} // no, a wrong or an unverifiable CAPTCHA token
	CodeInvalidRequest   = Code{"invalid_request"}
	// Migration (UserMigration). One text for an unknown user, a wrong
	// password and an unverifiable hash, so that the text tells nothing apart.
	CodeBadCredentials  = Code{"bad_credentials"}
	CodeAccountDisabled = Code{"account_disabled"}
	CodeCannotReset     = Code{"cannot_reset"}
	// CodeUseUsername: signed in with an email or phone alias the legacy
	// record does not say is verified; the legacy username works.
	CodeUseUsername = Code{"use_username"}
	// Setting up and signing in (PostConfirmation, PreAuthentication,
	// PreTokenGeneration).
	CodeSetupFailed     = Code{"setup_failed"}
	CodeAccountInactive = Code{"account_inactive"}
	CodeSignInFailed    = Code{"sign_in_failed"}
	CodeWrongClient     = Code{"wrong_client"} // a user of another tenant at a tenant-bound client
	// Machine-to-machine clients (TokenGeneration_ClientCredentials).
	CodeUnknownClient = Code{"unknown_client"}
	CodeNeedsV3       = Code{"needs_v3_event"}
	// CodeInternal is the answer to anything unexpected; Ref ties it to the
	// log line holding the details.
	CodeInternal = Code{"internal_error"}
)

// Codes lists every refusal code.
var Codes = []Code{
	CodeMissingAttribute, CodeInvalidEmail, CodeDomainNotAllowed, CodeDisposableEmail, CodeInvalidName,
	CodeEmailTaken, CodeCaptchaFailed, CodeInvalidRequest, CodeBadCredentials, CodeAccountDisabled, CodeCannotReset, CodeUseUsername,
	CodeSetupFailed, CodeAccountInactive, CodeSignInFailed, CodeWrongClient, CodeUnknownClient, CodeNeedsV3, CodeInternal,
}

// Fields are the user attributes a refusal may name; each locale labels them
// in refusals.txt ({{define "field email"}}…), and {{define "field"}} labels
// any other.
var Fields = []string{"email", "given_name", "family_name", "middle_name", "name", "nickname", "phone_number"}

// Args fill in a refusal: Field is the attribute it concerns (its label is
// what the template sees as .Field), Ref the support reference of CodeInternal.
type Args struct {
	Field string
	Ref   string
}

// refusalNames are the templates every refusals.txt defines.
func refusalNames() []string {
	var names []string
	for _, c := range Codes {
		names = append(names, c.name)
	}
	names = append(names, "field")
	for _, f := range Fields {
		names = append(names, fieldTemplate(f))
	}
	return names
}

func fieldTemplate(field string) string { return "field " + field }

// genericRefusal is the text of last resort, when even the default locale
// cannot render a code (a code no refusals.txt defines).
const genericRefusal = "Your request could not be completed. Please try again."

// Refusal is the text of code in loc (a locale of Locales; any other reads
// DefaultLocale), one line without a trailing period: Cognito shows it as
// "<Trigger> failed with error <text>." An unknown code, or a nil catalog,
// reads a generic text.
func (m *Catalog) Refusal(loc string, code Code, a Args) string {
	if m == nil {
		return strings.TrimSuffix(genericRefusal, ".")
	}
	for _, l := range []string{loc, DefaultLocale} {
		if s, err := m.refusal(l, code, a); err == nil {
			return s
		}
	}
	return strings.TrimSuffix(genericRefusal, ".")
}

func (m *Catalog) refusal(loc string, code Code, a Args) (string, error) {
	set, ok := m.set(loc)
	if !ok || set.refusalTemplates() == nil {
		return "", fmt.Errorf("no locale %q", loc)
	}
	t := set.refusalTemplates()
	if t.Lookup(code.name) == nil {
		return "", fmt.Errorf("no refusal %q", code)
	}
	label := fieldTemplate(a.Field)
	if t.Lookup(label) == nil {
		label = "field"
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, label, nil); err != nil {
		return "", err
	}
	data := struct{ Field, Ref string }{Field: strings.TrimSpace(b.String()), Ref: a.Ref}
	b.Reset()
	if err := t.ExecuteTemplate(&b, code.name, data); err != nil {
		return "", err
	}
	s := strings.TrimSuffix(strings.TrimSpace(b.String()), ".")
	if s == "" {
		return "", fmt.Errorf("refusal %q is empty", code)
	}
	return s, nil
}

// maxRefusal bounds a refusal's length: it is one line on a sign-in page.
const maxRefusal = 300

// checkRefusals renders every refusal of loc with every field and reports
// what a user should not read.
func (m *Catalog) checkRefusals(loc string) []string {
	var problems []string
	for _, c := range Codes {
		for _, f := range append(slices.Clone(Fields), "") {
			const ref = "0a1b2c3d"
			s, err := m.refusal(loc, c, Args{Field: f, Ref: ref})
			switch {
			case err != nil:
				problems = append(problems, fmt.Sprintf("refusal %s: %v", c, err))
			case strings.ContainsAny(s, "\r\n"):
				problems = append(problems, fmt.Sprintf("refusal %s: contains a line break", c))
			case utf8.RuneCountInString(s) > maxRefusal:
				problems = append(problems, fmt.Sprintf("refusal %s: %d characters, want at most %d", c, utf8.RuneCountInString(s), maxRefusal))
			case c == CodeInternal && !strings.Contains(s, ref):
				problems = append(problems, fmt.Sprintf("refusal %s: no reference {{.Ref}}", c))
			}
		}
	}
	return problems
}
