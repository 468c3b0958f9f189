package messages

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/poolside-io/poolside/internal/replace"
)

// Cognito's limits on a CustomMessage response, in characters.
const (
	MinEmailLength   = 6
	MaxEmailLength   = 20000
	MinSubjectLength = 1
	MaxSubjectLength = 140
	MinSMSLength     = 6
	MaxSMSLength     = 140
)

// What Cognito writes in place of the code placeholder, at its longest: a
// verification or MFA code has 6 digits; AdminCreateUser's is a temporary
// password, counted at 16 characters (Cognito's generated ones are shorter; an
// administrator who types a longer one may exceed the SMS limit).
const (
	LongestCode              = 6
	LongestTemporaryPassword = 16
)

// Kind names a message: each template file defines one template per kind,
// named after it. The CustomMessage sources map to kinds by their suffix
// (CustomMessage_SignUp → SignUp).
type Kind string

// The kinds of message, one per CustomMessage source.
const (
	SignUp              Kind = "SignUp"
	AdminCreateUser     Kind = "AdminCreateUser"
	ResendCode          Kind = "ResendCode"
	ForgotPassword      Kind = "ForgotPassword"
	UpdateUserAttribute Kind = "UpdateUserAttribute"
	VerifyUserAttribute Kind = "VerifyUserAttribute"
	Authentication      Kind = "Authentication"
)

// Kinds lists every kind; every locale defines each in each template file.
var Kinds = []Kind{SignUp, AdminCreateUser, ResendCode, ForgotPassword, UpdateUserAttribute, VerifyUserAttribute, Authentication}

// DefaultBrand is the product name when none is configured.
const DefaultBrand = "poolside"

// maxPlaceholder bounds a placeholder's length: the fallback SMS must fit 140
// characters with both placeholders in it.
const maxPlaceholder = 40

// Placeholders are the request's strings Cognito replaces after the trigger
// answers. They must reach Cognito byte for byte.
type Placeholders struct {
	Code     string // codeParameter, normally {####}
	Username string // usernameParameter (AdminCreateUser), else empty
	Link     string // linkParameter, normally {##Click Here##}, else empty
}

// Data is what a template sees. Every user-supplied field is cleaned
// of control, format and bidi characters and shortened; the HTML templates
// escape it further.
type Data struct {
	Brand  string
	Locale string
	// UserName is the user's Cognito user name (often a UUID).
	UserName                    string
	GivenName, FamilyName, Name string
	Email                       string
	// Code is the code placeholder: write {{.Code}} wherever the code goes.
	Code string
	// Username is the user-name placeholder when the request has one
	// (AdminCreateUser), else the user name itself.
	Username string
	// Link is Cognito's link placeholder, empty when the request has none.
	Link string
	// ConfirmURL is AppURL with the code and user name as query parameters,
	// empty when no AppURL is configured.
	ConfirmURL string
}

// Message is a rendered custom message.
type Message struct {
	Subject, Email, SMS string
}

// PlaceholdersOf checks the request's placeholders (codeParameter,
// usernameParameter, linkParameter); reason says why there is no usable code
// placeholder, and then no message should be sent (Cognito sends its default).
// A user-name or link placeholder that is not plain is dropped.
func PlaceholdersOf(code, username, link string) (ph Placeholders, reason string) {
	ph = Placeholders{Code: code, Username: username, Link: link}
	if ph.Code == "" {
		return ph, "request has no codeParameter"
	}
	if !safePlaceholder(ph.Code) {
		return ph, "codeParameter is not a plain placeholder"
	}
	if !safePlaceholder(ph.Username) {
		ph.Username = ""
	}
	if !safePlaceholder(ph.Link) {
		ph.Link = ""
	}
	return ph, ""
}

// safePlaceholder reports whether p can be written into HTML, a URL and a
// subject unchanged: short, printable, nothing HTML or URL syntax would alter.
func safePlaceholder(p string) bool {
	if utf8.RuneCountInString(p) > maxPlaceholder {
		return false
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`<>&"'\%`, r) || unicode.In(r, unicode.Cc, unicode.Cf) {
			return false
		}
	}
	return true
}

// Render renders kind's subject, email and SMS in loc (a locale of
// Locales; any other renders in DefaultLocale). Placeholders are the
// request's; d is the user's data, cleaned here. Placeholders travel through the templates as
// random alphanumeric tokens, which neither HTML nor URL escaping alters, and
// are swapped for the request's placeholders in the final text: {####} in an
// href stays {####}, not %7B####%7D. A part that breaks Cognito's rules is
// replaced by a minimal fallback; problems say which and why.
func (m *Catalog) Render(kind Kind, loc string, d Data, ph Placeholders) (Message, []string) {
	set, ok := m.set(loc)
	if !ok {
		loc = DefaultLocale
		set, _ = m.set(loc)
	}
	tok := newTokens()
	d.Locale = loc
	if d.Brand = cleanText(d.Brand, 60); d.Brand == "" {
		d.Brand = DefaultBrand
	}
	userName := d.UserName // what Cognito writes in place of the user-name placeholder
	d.UserName = cleanText(d.UserName, 128)
	d.GivenName, d.FamilyName, d.Name = cleanText(d.GivenName, 64), cleanText(d.FamilyName, 64), cleanText(d.Name, 128)
	d.Email = cleanText(d.Email, 254)
	d.Code = tok.code
	d.Username = d.UserName
	if ph.Username != "" {
		d.Username = tok.username
	}
	if ph.Link != "" {
		d.Link = tok.link
	}
	if d.ConfirmURL != "" {
		d.ConfirmURL = confirmURL(d.ConfirmURL, tok.code, d.UserName)
	}
	text := d
	for _, f := range []*string{&text.Brand, &text.UserName, &text.GivenName, &text.FamilyName, &text.Name, &text.Email} {
		*f = inertText(*f)
	}
	text.Username = inertText(d.Username)

	name := string(kind)
	var problems []string
	var msg Message
	b := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(b)

	if htmlEmails { // else an artifact that sends no email (email_none.go)
		b.Reset()
		err := set.email.ExecuteTemplate(b, name, d)
		msg.Email = strings.TrimSpace(tok.swap(b.Bytes(), ph))
		if p := checkMessage("email", err, msg.Email, MinEmailLength, MaxEmailLength, kind, ph); p != "" {
			problems = append(problems, name+" "+p)
			msg.Email = fallbackEmail(kind, ph)
		}
	}

	b.Reset()
	err := set.subject.ExecuteTemplate(b, name, text)
	msg.Subject = strings.TrimSpace(tok.swap(b.Bytes(), ph))
	if p := checkSubject(err, msg.Subject); p != "" {
		problems = append(problems, name+" "+p)
		msg.Subject = fallbackSubject(kind)
	}

	b.Reset()
	err = set.sms.ExecuteTemplate(b, name, text)
	msg.SMS = strings.TrimSpace(tok.swap(b.Bytes(), ph))
	p := checkMessage("sms", err, msg.SMS, MinSMSLength, MaxSMSLength, kind, ph)
	if n := sentSMSLength(msg.SMS, kind, ph, userName); p == "" && n > MaxSMSLength {
		p = fmt.Sprintf("sms: %d characters once Cognito fills in the code and user name, want at most %d", n, MaxSMSLength)
	}
	if p != "" {
		problems = append(problems, name+" "+p)
		msg.SMS = fallbackSMS(kind, ph)
	}
	return msg, problems
}

// checkMessage reports what Cognito would reject in an email or SMS body.
func checkMessage(part string, err error, s string, min, max int, kind Kind, ph Placeholders) string {
	if err != nil {
		return fmt.Sprintf("%s: %v", part, err)
	}
	if n := utf8.RuneCountInString(s); n < min || n > max {
		return fmt.Sprintf("%s: %d characters, want %d to %d", part, n, min, max)
	}
	if !strings.Contains(s, ph.Code) {
		return fmt.Sprintf("%s: no code placeholder {{.Code}}", part)
	}
	if kind == AdminCreateUser && ph.Username != "" && !strings.Contains(s, ph.Username) {
		return fmt.Sprintf("%s: no user-name placeholder {{.Username}}", part)
	}
	return ""
}

// sentSMSLength is the length of the SMS Cognito sends: the placeholders
// replaced by the event's user name and the longest code of kind.
func sentSMSLength(s string, kind Kind, ph Placeholders, userName string) int {
	code := LongestCode
	if kind == AdminCreateUser {
		code = LongestTemporaryPassword
	}
	pairs := []string{ph.Code, strings.Repeat("0", code)}
	if ph.Username != "" {
		pairs = append(pairs, ph.Username, userName)
	}
	return utf8.RuneCountInString(replace.InOrder(s, pairs...))
}

func checkSubject(err error, s string) string {
	if err != nil {
		return fmt.Sprintf("subject: %v", err)
	}
	if strings.ContainsAny(s, "\r\n") {
		return "subject: contains a line break"
	}
	if n := utf8.RuneCountInString(s); n < MinSubjectLength || n > MaxSubjectLength {
		return fmt.Sprintf("subject: %d characters, want %d to %d", n, MinSubjectLength, MaxSubjectLength)
	}
	return ""
}

// The fallbacks: minimal, in English, with no user data, always valid.
func fallbackSubject(kind Kind) string {
	if kind == AdminCreateUser {
		return "Your new account"
	}
	return "Your verification code"
}

func fallbackEmail(kind Kind, ph Placeholders) string {
	if kind == AdminCreateUser && ph.Username != "" {
		return "<p>User name: " + ph.Username + "<br>Temporary password: " + ph.Code + "</p>"
	}
	return "<p>Your code: " + ph.Code + "</p>"
}

func fallbackSMS(kind Kind, ph Placeholders) string {
	if kind == AdminCreateUser && ph.Username != "" {
		return "User name: " + ph.Username + " Temporary password: " + ph.Code
	}
	return "Your code: " + ph.Code
}

// confirmURL adds the code token and the user name to base's query.
func confirmURL(base, code, userName string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("code", code)
	q.Set("username", userName)
	u.RawQuery = q.Encode()
	return u.String()
}

// tokens stand in for the placeholders while templates run.
type tokens struct{ code, username, link string }

func newTokens() tokens {
	var b [8]byte
	_, _ = rand.Read(b[:])
	n := hex.EncodeToString(b[:])
	return tokens{code: "pz" + n + "c", username: "pz" + n + "u", link: "pz" + n + "l"}
}

// swap returns rendered text with each token replaced by its placeholder
// (code, user name, link), in one pass and one allocation: what three
// strings.ReplaceAll calls on a string copy of b make, with three copies
// fewer. The tokens share all but their last byte, so one search finds each;
// internal/replace.InOrder, for pairs known only per call, would need the
// string copy back and tests each pair at every byte.
func (t tokens) swap(b []byte, ph Placeholders) string {
	stem := t.code[:len(t.code)-1]
	i := bytes.Index(b, []byte(stem))
	if i < 0 {
		return string(b)
	}
	var out strings.Builder
	out.Grow(len(b) + 2*len(ph.Code))
	for i >= 0 {
		end := i + len(stem)
		with, ok := "", end < len(b)
		if ok {
			switch b[end] {
			case t.code[len(t.code)-1]:
				with = ph.Code
			case t.username[len(t.username)-1]:
				with = ph.Username
			case t.link[len(t.link)-1]:
				with = ph.Link
			default:
				ok = false
			}
		}
		if ok {
			out.Write(b[:i])
			out.WriteString(with)
			b = b[end+1:]
		} else { // the stem alone: text, kept as it is
			out.Write(b[:end])
			b = b[end:]
		}
		i = bytes.Index(b, []byte(stem))
	}
	out.Write(b)
	return out.String()
}

// renderBuffers hold a message while it renders: a warm invocation's buffer
// no longer grows from nothing for each email, subject and SMS.
var renderBuffers = sync.Pool{New: func() any { b := new(bytes.Buffer); b.Grow(4 << 10); return b }}

// putRenderBuffer returns b to the pool unless a message grew it past what
// Cognito accepts (MaxEmailLength is 20,000 characters).
func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() <= 128<<10 {
		renderBuffers.Put(b)
	}
}

// cleanText makes a user-supplied value safe to place in any message: no
// control, format or bidi characters, whitespace runs collapsed to one space,
// at most max characters.
func cleanText(s string, max int) string {
	var b strings.Builder
	n := 0
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Bidi_Control):
			continue
		}
		if n >= max {
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
			n++
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// inertText keeps markup out of subjects and SMS, which are not escaped.
func inertText(s string) string { return angles.Replace(s) }

var angles = strings.NewReplacer("<", "‹", ">", "›")
