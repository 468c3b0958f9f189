//go:build poolside.fn && !poolside.fn.custommessage && !poolside.fn.customemailsender

package messages

import (
	"errors"
	"io"
)

// The artifacts of triggers that send no message (make build's
// poolside.fn.<artifact> builds other than CustomMessage and the senders)
// read only the refusals and subjects/SMS texts of the catalog. They compile
// without the HTML escaper (the html package of DataDog's template copy,
// doc.go), whose package initialisation takes 0.3–0.6 ms of a cold start
// (GODEBUG=inittrace=1, #17), and no artifact links the standard
// html/template (third_party/ddtemplate's patch). Their catalog holds no
// email templates, Render and Deliver leave the email empty without a
// problem, and POOLSIDE_TEMPLATES_DIR's email.html files are checked by the
// CustomMessage function, which renders them.
const htmlEmails = false

var errNoHTML = errors.New("this artifact renders no HTML email")

// emailTemplate stands in for html/template in these artifacts: there is
// never one (a nil *emailTemplate answers every call).
type emailTemplate struct{}

func (*emailTemplate) Lookup(string) *emailTemplate                 { return nil }
func (*emailTemplate) Name() string                                 { return "" }
func (*emailTemplate) Execute(io.Writer, any) error                 { return errNoHTML }
func (*emailTemplate) ExecuteTemplate(io.Writer, string, any) error { return errNoHTML }

func parseEmail(string, string, string, string) (*emailTemplate, error) { return nil, nil }
