//go:build poolside.fn && !poolside.fn.custommessage && !poolside.fn.customemailsender

package messages

// Run by make test with the tags of an artifact that sends no message:
//
//	go test -tags poolside.fn,poolside.fn.preauthentication -run NoHTML ./messages

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An artifact built without the HTML escaper still answers refusals in every
// locale, still checks a POOLSIDE_TEMPLATES_DIR's refusals, and renders no
// email without reporting a problem.
func TestNoHTMLCatalog(t *testing.T) {
	require.False(t, htmlEmails)
	def, err := Default()
	require.NoError(t, err)
	loaded, err := Load(nil)
	require.NoError(t, err)
	for _, m := range []*Catalog{def, loaded} {
		assert.Contains(t, m.Refusal("pt", CodeBadCredentials, Args{}), "senha")
		msg, problems := m.Render(SignUp, "de", Data{Brand: "Acme", UserName: "ana"}, Placeholders{Code: "{####}", Username: "{username}"})
		assert.Empty(t, problems)
		assert.Empty(t, msg.Email)
		assert.Contains(t, msg.SMS, "{####}")
		assert.NotEmpty(t, msg.Subject)
		msg, problems = m.RenderDelivery(SignUp, "fr", Data{Brand: "Acme", UserName: "ana"}, "123456")
		assert.Empty(t, problems)
		assert.Empty(t, msg.Email)
		assert.Contains(t, msg.SMS, "123456")
	}

	// a broken refusals override is still refused at start-up; an email
	// override is this artifact's to ignore (CustomMessage checks it)
	_, err = Load(fstestFS("de/refusals.txt", "{{define"))
	require.ErrorContains(t, err, "$POOLSIDE_TEMPLATES_DIR/de/refusals.txt")
	_, err = Load(fstestFS("de/email.html", "{{define"))
	require.NoError(t, err)
}
