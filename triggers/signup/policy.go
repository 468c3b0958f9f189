package signup

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/poolside-io/poolside/messages"
)

// Violation is why a sign-up is refused: Code picks the message the user
// reads, Field the attribute it concerns, Reason is for the log only.
type Violation struct {
	Code   messages.Code
	Field  string
	Reason string
}

func (v *Violation) Error() string {
	if v.Field == "" {
		return fmt.Sprintf("%s: %s", v.Code, v.Reason)
	}
	return fmt.Sprintf("%s %s: %s", v.Code, v.Field, v.Reason)
}

// NameAttributes are the attributes the name rules apply to, when present.
var NameAttributes = []string{"given_name", "family_name", "middle_name", "name", "nickname"}

// DefaultRequired are the attributes a self sign-up must carry.
var DefaultRequired = []string{"email", "given_name", "family_name"}

// Policy is who may sign up. The zero value checks only e-mail syntax and
// names with DefaultNameRules, with nothing required.
type Policy struct {
	// Required attributes must be present and not blank.
	Required []string
	// Allowed, when not empty, is the only set of e-mail domains that may sign up.
	Allowed DomainSet
	// Denied e-mail domains may not sign up; it wins over Allowed.
	Denied DomainSet
	// Disposable domains may not sign up (the zero DomainSet: no disposable check).
	Disposable DomainSet
	// Names bound the name attributes; zero means DefaultNameRules.
	Names NameRules
}

// Check applies every rule to a self sign-up's attributes and returns the
// first violation, or nil. It never calls out: the duplicate-email check
// needs Cognito and lives with the trigger.
func (p Policy) Check(attrs map[string]string) *Violation {
	for _, name := range p.Required {
		if strings.TrimSpace(attrs[name]) == "" {
			return &Violation{Code: messages.CodeMissingAttribute, Field: name, Reason: "required attribute is missing or blank"}
		}
	}
	if raw, ok := attrs["email"]; ok {
		e, err := ParseEmail(raw)
		if err != nil {
			return &Violation{Code: messages.CodeInvalidEmail, Field: "email", Reason: err.Error()}
		}
		if d := p.Denied.Match(e.Domain); d != "" {
			return &Violation{Code: messages.CodeDomainNotAllowed, Field: "email", Reason: "domain " + e.Domain + " is denied (" + d + ")"}
		}
		if p.Allowed.Len() > 0 && p.Allowed.Match(e.Domain) == "" {
			return &Violation{Code: messages.CodeDomainNotAllowed, Field: "email", Reason: "domain " + e.Domain + " is not in the allow-list"}
		}
		if d := p.Disposable.Match(e.Domain); d != "" {
			return &Violation{Code: messages.CodeDisposableEmail, Field: "email", Reason: "domain " + e.Domain + " is disposable (" + d + ")"}
		}
	}
	if v := p.checkNames(attrs); v != nil {
		return v
	}
	return nil
}

func (p Policy) checkNames(attrs map[string]string) *Violation {
	rules := p.Names
	if rules == (NameRules{}) {
		rules = DefaultNameRules
	}
	for _, name := range NameAttributes {
		v, ok := attrs[name]
		if !ok {
			continue
		}
		if err := rules.Check(v); err != nil {
			return &Violation{Code: messages.CodeInvalidName, Field: name, Reason: err.Error()}
		}
	}
	return nil
}

// CheckStructure is all a trusted caller (an administrator's
// AdminCreateUser) gets: no attribute carries control or bidi-override
// characters, and an e-mail, when present, is an address. No domain,
// disposable, name or required-attribute rule applies.
func CheckStructure(attrs map[string]string) *Violation {
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		if hasControl(attrs[k]) {
			return &Violation{Code: messages.CodeInvalidRequest, Field: k, Reason: "control or format characters"}
		}
	}
	if raw, ok := attrs["email"]; ok && raw != "" {
		if _, err := ParseEmail(raw); err != nil {
			return &Violation{Code: messages.CodeInvalidEmail, Field: "email", Reason: err.Error()}
		}
	}
	return nil
}
