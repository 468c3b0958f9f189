package signup

import (
	"errors"
	"net"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Email is a syntactically valid address: Local is the local part as the user
// wrote it, Domain the domain in lower-case ASCII (IDNA "xn--" form).
type Email struct {
	Local  string
	Domain string
}

// String returns local@domain with the ASCII domain.
func (e Email) String() string { return e.Local + "@" + e.Domain }

// Reasons ParseEmail refuses an address (for the log; the user reads a
// localized messages.CodeInvalidEmail message).
var (
	ErrEmailSyntax      = errors.New("not an e-mail address")
	ErrEmailDisplayName = errors.New("display names, comments and angle brackets are not accepted")
	ErrEmailQuoted      = errors.New("quoted local parts are not accepted")
	ErrEmailIPLiteral   = errors.New("IP-address domains are not accepted")
	ErrEmailDomain      = errors.New("the domain is not a valid internet domain name")
	ErrEmailTooLong     = errors.New("too long (local part at most 64, address at most 254 octets)")
)

// idnaProfile converts a domain for lookup: UTS #46 mapping, strict
// validation (no disallowed code points, valid hyphens, bidi rule).
var idnaProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.ValidateLabels(true),
	idna.StrictDomainName(true), idna.VerifyDNSLength(true))

// ParseEmail checks an address with net/mail and converts its domain with
// IDNA. It accepts a bare addr-spec only: no display name, no comment, no
// quoted local part, no IP-literal or IP-address domain, and a domain with at
// least two labels and a non-numeric top-level label.
func ParseEmail(raw string) (Email, error) {
	if raw == "" || strings.TrimSpace(raw) != raw || hasControl(raw) {
		return Email{}, ErrEmailSyntax
	}
	if strings.ContainsAny(raw, "<>()") {
		return Email{}, ErrEmailDisplayName
	}
	if strings.ContainsRune(raw, '"') || strings.ContainsRune(raw, '\\') {
		return Email{}, ErrEmailQuoted
	}
	if strings.ContainsAny(raw, "[]") {
		return Email{}, ErrEmailIPLiteral
	}
	addr, err := mail.ParseAddress(raw)
	if err != nil {
		return Email{}, ErrEmailSyntax
	}
	if addr.Name != "" || addr.Address != raw {
		return Email{}, ErrEmailDisplayName
	}
	at := strings.LastIndexByte(raw, '@')
	local, domain := raw[:at], raw[at+1:]
	if net.ParseIP(domain) != nil {
		return Email{}, ErrEmailIPLiteral
	}
	ascii, err := idnaProfile.ToASCII(domain)
	if err != nil {
		return Email{}, ErrEmailDomain
	}
	ascii = strings.ToLower(strings.TrimSuffix(ascii, "."))
	labels := strings.Split(ascii, ".")
	if len(labels) < 2 || allDigits(labels[len(labels)-1]) {
		return Email{}, ErrEmailDomain
	}
	if len(local) > 64 || len(local)+1+len(ascii) > 254 {
		return Email{}, ErrEmailTooLong
	}
	return Email{Local: local, Domain: ascii}, nil
}

// NormalizeDomain converts a configured domain (Unicode or ASCII, with or
// without a leading "@" or "*.") to the form ParseEmail returns.
func NormalizeDomain(d string) (string, error) {
	d = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(d), "@"), "*.")
	if canonicalASCII(d) {
		return d, nil // what IDNA would return, without its cost (the disposable list at cold start)
	}
	ascii, err := idnaProfile.ToASCII(d)
	if err != nil || !strings.Contains(ascii, ".") {
		return "", ErrEmailDomain
	}
	return strings.ToLower(strings.TrimSuffix(ascii, ".")), nil
}

// canonicalASCII reports a domain that IDNA lookup leaves unchanged: two or
// more labels of lower-case letters, digits and inner hyphens, 1–63 octets
// each, at most 253 in all, no hyphens in the third and fourth positions (so
// no "xn--" label, which IDNA must decode to check).
func canonicalASCII(d string) bool {
	if len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for label := range strings.SplitSeq(d, ".") {
		n := len(label)
		if n == 0 || n > 63 || label[0] == '-' || label[n-1] == '-' || (n >= 4 && label[2] == '-' && label[3] == '-') {
			return false
		}
		for i := range n {
			if c := label[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
				return false
			}
		}
	}
	return true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// hasControl reports control, format (bidi overrides, zero-width) and
// invalid UTF-8 characters.
func hasControl(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}
