package config

import (
	"errors"
	"net"
	"net/url"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/poolside-io/poolside/messages"
)

// Email sending accounts of a user pool (POOLSIDE_EMAIL_SENDING).
const (
	// EmailSendingCognitoDefault: Cognito sends email itself and rejects
	// email fields from the trigger; only smsMessage is returned.
	EmailSendingCognitoDefault = "COGNITO_DEFAULT"
	// EmailSendingDeveloper: the pool sends email through Amazon SES; the
	// trigger writes the subject and the HTML body.
	EmailSendingDeveloper = "DEVELOPER"
)

// MessagesConfig configures the CustomMessage trigger.
type MessagesConfig struct {
	// AppURL is the confirmation page SignUp and ResendCode emails link to
	// (POOLSIDE_APP_URL; optional: without it the email uses Cognito's link
	// placeholder when the request has one, and always shows the code).
	AppURL string
	// TemplatesDir overrides embedded templates file by file
	// (POOLSIDE_TEMPLATES_DIR; validated at start-up).
	TemplatesDir string
	// EmailSending is the pool's email sending account
	// (POOLSIDE_EMAIL_SENDING: COGNITO_DEFAULT, the default, or DEVELOPER).
	EmailSending string
	// Brand is the product name in subjects and bodies (POOLSIDE_BRAND_NAME).
	Brand string
	// Catalog is the embedded catalog with TemplatesDir's overrides, parsed
	// and checked once by FromEnv and handed to the wiring. nil: the
	// embedded catalog, parsed on first use (a short cold start).
	Catalog *messages.Catalog
}

func (c *MessagesConfig) load(env Env, ps *problems) {
	c.AppURL = strings.TrimSpace(env("POOLSIDE_APP_URL"))
	c.TemplatesDir = env("POOLSIDE_TEMPLATES_DIR")
	c.EmailSending = strings.ToUpper(or(env("POOLSIDE_EMAIL_SENDING"), EmailSendingCognitoDefault))
	c.Brand = strings.TrimSpace(or(env("POOLSIDE_BRAND_NAME"), messages.DefaultBrand))
	if c.TemplatesDir != "" {
		cat, err := LoadCatalog(c.TemplatesDir)
		var mp messages.Problems
		switch {
		case errors.As(err, &mp):
			for _, p := range mp {
				ps.addf("POOLSIDE_TEMPLATES_DIR: %s", p)
			}
		case err != nil:
			ps.addf("POOLSIDE_TEMPLATES_DIR: %v", err)
		}
		c.Catalog = cat
	}
}

func (c MessagesConfig) validate(ps *problems) {
	if c.AppURL != "" {
		if err := checkAppURL(c.AppURL); err != nil {
			ps.addf("POOLSIDE_APP_URL: %q %v", c.AppURL, err)
		}
	}
	switch c.EmailSending {
	case EmailSendingCognitoDefault, EmailSendingDeveloper:
	default:
		ps.addf("POOLSIDE_EMAIL_SENDING: %q must be COGNITO_DEFAULT or DEVELOPER (the pool's email sending account)", c.EmailSending)
	}
	if n := utf8.RuneCountInString(c.Brand); n == 0 || n > 60 || strings.IndexFunc(c.Brand, notPrintable) >= 0 {
		ps.addf("POOLSIDE_BRAND_NAME: %q must be 1 to 60 printable characters", c.Brand)
	}
}

// Email reports whether CustomMessage writes email fields (DEVELOPER).
func (c MessagesConfig) Email() bool { return c.EmailSending == EmailSendingDeveloper }

// Messages returns the catalog the deployment reads: Catalog, else the
// overrides of TemplatesDir (a struct built without FromEnv), else the
// embedded catalog.
func (c MessagesConfig) Messages() (*messages.Catalog, error) {
	switch {
	case c.Catalog != nil:
		return c.Catalog, nil
	case c.TemplatesDir != "":
		return LoadCatalog(c.TemplatesDir)
	}
	return messages.Default()
}

// LoadCatalog parses and checks the embedded catalog with the overrides in
// dir (messages.Load); the error lists every problem.
func LoadCatalog(dir string) (*messages.Catalog, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, errors.New(dir + " is not a directory")
	}
	return messages.Load(os.DirFS(dir))
}

// checkAppURL accepts an absolute https URL, or http on a loopback host.
func checkAppURL(v string) error {
	u, err := url.Parse(v)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return errors.New("is not an absolute http(s) URL")
	case u.Fragment != "":
		return errors.New("must not have a #fragment (the code and user name go in the query)")
	case u.Scheme == "http" && !loopback(u.Hostname()):
		return errors.New("must be https (http only for localhost)")
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func notPrintable(r rune) bool { return !unicode.IsPrint(r) }
