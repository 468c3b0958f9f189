package messages

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every kind a sender delivers renders in every locale from its templates,
// with the real code where the placeholder would be: escaped in the HTML,
// URL-encoded in the link, plain in the subject-free SMS.
func TestRenderDeliveryEveryKindAndLocale(t *testing.T) {
	cat, err := Default()
	require.NoError(t, err)
	const code = `Tmp<&"9x+ 1`
	for _, loc := range cat.Locales() {
		for _, kind := range append(Kinds[:len(Kinds):len(Kinds)], AccountTakeOverNotification) {
			t.Run(loc+"/"+string(kind), func(t *testing.T) {
				msg, problems := cat.RenderDelivery(kind, loc, Data{
					Brand: "Example", UserName: "ana lima/1", GivenName: "Ana",
					ConfirmURL: "https://app.example.com/confirm",
				}, code)
				require.Empty(t, problems)
				assert.NotEmpty(t, msg.Subject)
				assert.NotContains(t, msg.Email+msg.SMS+msg.Subject, "{####}")
				assert.NotContains(t, msg.Email, code, "the code is escaped in HTML")
				if kind == AccountTakeOverNotification {
					assert.NotContains(t, html.UnescapeString(msg.Email), code)
					return
				}
				assert.Contains(t, html.UnescapeString(msg.Email), code)
				assert.Contains(t, msg.SMS, code)
				if kind == SignUp || kind == ResendCode {
					q := url.Values{"code": {code}, "username": {"ana lima/1"}}.Encode()
					assert.Contains(t, html.UnescapeString(msg.Email), "https://app.example.com/confirm?"+q)
				}
			})
		}
	}
}

// A template that fails falls back to a minimal message that still carries
// the code, escaped for the medium.
func TestRenderDeliveryFallback(t *testing.T) {
	cat, err := Default()
	require.NoError(t, err)
	msg, problems := cat.RenderDelivery(Kind("NoSuchKind"), DefaultLocale, Data{}, "1<2")
	require.NotEmpty(t, problems)
	assert.Equal(t, "<p>Your code: 1&lt;2</p>", msg.Email)
	assert.Equal(t, "Your code: 1<2", msg.SMS)
	assert.True(t, strings.HasPrefix(msg.Subject, "Your"))
}
