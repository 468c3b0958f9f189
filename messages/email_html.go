//go:build !poolside.fn || poolside.fn.custommessage || poolside.fn.customemailsender

package messages

import htmltemplate "github.com/DataDog/datadog-agent/pkg/template/html"

// htmlEmails: this build renders emails (the CustomMessage and sender
// artifacts, the CLI and tests). See email_none.go for the others.
const htmlEmails = true

// emailTemplate is one locale's email.html with the shared layout.
type emailTemplate = htmltemplate.Template

// parseEmail parses a locale's email.html (name) with the layout.
func parseEmail(name, layoutName, layout, text string) (*emailTemplate, error) {
	t := htmltemplate.New(name).Option("missingkey=error")
	if _, err := t.New(layoutName).Parse(layout); err != nil {
		return nil, err
	}
	if _, err := t.Parse(text); err != nil {
		return nil, err
	}
	return t, nil
}
