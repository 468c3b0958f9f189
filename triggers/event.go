package triggers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Header is the part every Cognito user-pool trigger event shares.
type Header struct {
	Version       Version       `json:"version"`
	TriggerSource Source        `json:"triggerSource"`
	Region        string        `json:"region"`
	UserPoolID    string        `json:"userPoolId"`
	UserName      string        `json:"userName"`
	CallerContext CallerContext `json:"callerContext"`
}

// CallerContext names the SDK and app client that caused the event.
type CallerContext struct {
	AWSSDKVersion string `json:"awsSdkVersion"`
	ClientID      string `json:"clientId"`
}

// Event is one decoded trigger event: the header, the request Cognito sent, and
// the response the handler fills in. The router keeps every other field of the
// original JSON and replaces only "response" when it answers.
type Event[Req, Resp any] struct {
	Header
	Request  Req
	Response Resp
}

// Version is the event's "version". Real events send strings ("1", "2"),
// emulators send "0", some samples send numbers; all decode to a string.
type Version string

// UnmarshalJSON accepts a JSON string, number or null.
func (v *Version) UnmarshalJSON(b []byte) error {
	s, err := scalarString(b)
	if err != nil {
		return fmt.Errorf("version: %w", err)
	}
	*v = Version(s)
	return nil
}

// TokenVersion is the pre token generation event version the event asks for:
// 1, 2 or 3. Anything that is not recognisably V2 or V3 is V1, the shape every
// pool understands.
func (v Version) TokenVersion() int {
	switch v {
	case "2", "V2_0", "2.0", "V2":
		return 2
	case "3", "V3_0", "3.0", "V3":
		return 3
	}
	return 1
}

// Attributes is a map of user attributes or metadata. Cognito sends string
// values; AWS documentation samples print booleans and numbers, which decode to
// their JSON text ("true", "3"). null decodes to an empty map and null values
// are dropped.
type Attributes map[string]string

// UnmarshalJSON implements tolerant decoding.
func (a *Attributes) UnmarshalJSON(b []byte) error {
	if isNull(b) || isEmptyArray(b) {
		*a = Attributes{}
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("attributes must be an object: %w", err)
	}
	out := make(Attributes, len(raw))
	for k, v := range raw {
		if isNull(v) {
			continue
		}
		s, err := scalarString(v)
		if err != nil {
			return fmt.Errorf("attribute %q: %w", k, err)
		}
		out[k] = s
	}
	*a = out
	return nil
}

// Get returns the attribute's value ("" when absent).
func (a Attributes) Get(name string) string { return a[name] }

// VerifiedTrue is the one value of email_verified / phone_number_verified
// that makes the address the user's (CONTRACT.md: exactly "true").
const VerifiedTrue = "true"

// Verified reports whether the flag attribute (email_verified,
// phone_number_verified) is exactly "true". Absent, "false", "False", "0",
// "TRUE" and "1" are all unverified: no tenant, link, adoption or
// auto-verification rests on them.
func (a Attributes) Verified(flag string) bool { return a[flag] == VerifiedTrue }

// StringList is a list of strings that also accepts null or a single string.
type StringList []string

// UnmarshalJSON implements tolerant decoding.
func (l *StringList) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		*l = nil
		return nil
	}
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte(`"`)) {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = StringList{s}
		return nil
	}
	var ss []string
	if err := json.Unmarshal(b, &ss); err != nil {
		return fmt.Errorf("want a list of strings: %w", err)
	}
	*l = ss
	return nil
}

// OptionalString is a string that also accepts null, a number or a boolean;
// an array (an AWS-docs quirk for preferredRole) decodes to its first element.
type OptionalString string

// UnmarshalJSON implements tolerant decoding.
func (o *OptionalString) UnmarshalJSON(b []byte) error {
	t := bytes.TrimSpace(b)
	if len(t) > 0 && t[0] == '[' {
		var ss []string
		if err := json.Unmarshal(t, &ss); err != nil {
			return fmt.Errorf("want a string: %w", err)
		}
		if len(ss) > 0 {
			*o = OptionalString(ss[0])
		} else {
			*o = ""
		}
		return nil
	}
	s, err := scalarString(t)
	if err != nil {
		return err
	}
	*o = OptionalString(s)
	return nil
}

func isNull(b []byte) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }

func isEmptyArray(b []byte) bool {
	t := bytes.TrimSpace(b)
	if len(t) < 2 || t[0] != '[' || t[len(t)-1] != ']' {
		return false
	}
	return len(bytes.TrimSpace(t[1:len(t)-1])) == 0
}

// scalarString turns a JSON string, number, boolean or null into its text.
func scalarString(b []byte) (string, error) {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || isNull(t) {
		return "", nil
	}
	switch t[0] {
	case '"':
		var s string
		err := decodeString(t, &s) // most attribute values have no escape
		return s, err
	case 't', 'f':
		var v bool
		if err := json.Unmarshal(t, &v); err != nil {
			return "", err
		}
		return strconv.FormatBool(v), nil
	case '{', '[':
		return "", fmt.Errorf("want a string, got %s", kindOf(t))
	default:
		var n json.Number
		if err := json.Unmarshal(t, &n); err != nil {
			return "", err
		}
		return n.String(), nil
	}
}

func kindOf(t []byte) string {
	if t[0] == '{' {
		return "an object"
	}
	return "an array"
}

// decodeLenient decodes an object into v, treating absent, null and [] (the
// AWS-docs "empty response" quirk) as the zero value.
func decodeLenient(b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 || isNull(b) || isEmptyArray(b) {
		return nil
	}
	return json.Unmarshal(b, v)
}
