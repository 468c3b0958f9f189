package config

import (
	"errors"
	"net"
	"net/url"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/poolside-io/poolside/triggers"
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
}

func (c *MessagesConfig) load(env Env, ps *problems) {
	c.AppURL = strings.TrimSpace(env("POOLSIDE_APP_URL"))
	c.TemplatesDir = env("POOLSIDE_TEMPLATES_DIR")
	c.EmailSending = strings.ToUpper(or(env("POOLSIDE_EMAIL_SENDING"), EmailSendingCognitoDefault))
	c.Brand = strings.TrimSpace(or(env("POOLSIDE_BRAND_NAME"), triggers.DefaultBrand))
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
	if c.TemplatesDir != "" {
		if _, err := c.Templates(); err != nil {
			var tp triggers.TemplateProblems
			if !errors.As(err, &tp) {
				ps.addf("POOLSIDE_TEMPLATES_DIR: %v", err)
				return
			}
			for _, p := range tp {
				ps.addf("POOLSIDE_TEMPLATES_DIR: %s", p)
			}
		}
	}
}

// Email reports whether CustomMessage writes email fields (DEVELOPER).
func (c MessagesConfig) Email() bool { return c.EmailSending == EmailSendingDeveloper }

// Templates parses and checks the embedded templates with TemplatesDir's overrides.
func (c MessagesConfig) Templates() (*triggers.MessageTemplates, error) {
	if c.TemplatesDir == "" {
		return triggers.LoadMessageTemplates(nil)
	}
	st, err := os.Stat(c.TemplatesDir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, errors.New(c.TemplatesDir + " is not a directory")
	}
	return triggers.LoadMessageTemplates(os.DirFS(c.TemplatesDir))
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
