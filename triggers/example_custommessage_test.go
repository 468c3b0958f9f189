package triggers_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/poolside-io/poolside/triggers"
)

// A sign-up email in the user's language links to the app with Cognito's
// code placeholder intact; the user's name is escaped.
func ExampleCustomMessageHandler() {
	h := &triggers.CustomMessageHandler{Brand: "Acme", AppURL: "https://app.example.com/confirm", Email: true}
	ev := &triggers.CustomMessageEvent{
		Header: triggers.Header{TriggerSource: triggers.CustomMessageSignUp, UserName: "ana"},
		Request: triggers.CustomMessageRequest{
			UserAttributes: triggers.Attributes{"given_name": "<b>Ana</b>", "locale": "fr-CA"},
			CodeParameter:  "{####}",
			LinkParameter:  "{##Click Here##}",
		},
	}
	if err := h.Handle(context.Background(), ev); err != nil {
		fmt.Println(err)
		return
	}
	email := ev.Response.EmailMessage
	for _, part := range []struct{ start, end string }{{"<p>Bonjour", "</p>"}, {`href="`, `" `}} {
		i := strings.Index(email, part.start)
		fmt.Println(strings.TrimSpace(email[i : i+strings.Index(email[i:], part.end)+len(part.end)]))
	}
	fmt.Println(ev.Response.EmailSubject)
	fmt.Println(ev.Response.SMSMessage)
	// Output:
	// <p>Bonjour &lt;b&gt;Ana&lt;/b&gt;,</p>
	// href="https://app.example.com/confirm?code={####}&amp;username=ana"
	// Confirmez votre adresse e-mail pour Acme
	// Acme : votre code de confirmation est {####}
}
