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

// shownText reads HTML as html.UnescapeString does, whichever references it holds.
func TestShownTextIsHTMLUnescape(t *testing.T) {
	for _, s := range []string{
		"", "no reference", "&amp;&lt;&gt;&#34;&quot;&#39;&#43;", "a &amp;lt; b", "&amp;amp;", "Tmp&lt;&amp;&#34;9x&#43; 1",
		"&", "&&", "&amp", "&lt", "tail &", "&#43", "&#x2B;", "&#043;", "&#0043;", "&nbsp;", "&copy; 2026", "&notit;",
		"&#128;", "&#x80;", "&#0;", "&#xD800;", "&AMP;", "&Amp;", "&amp;nbsp;", "&;", "&#;", "&#x;", "&lt;&nbsp;&gt;",
	} {
		assert.Equal(t, html.UnescapeString(s), shownText(s), "%q", s)
	}
}

func FuzzShownText(f *testing.F) {
	for _, s := range []string{"&amp;&lt;&gt;", "&#34;&#39;&#43;&quot;", "&nbsp;&amp", "&#x80;&#128;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := shownText(s), html.UnescapeString(s); got != want {
			t.Fatalf("shownText(%q) = %q, html.UnescapeString gives %q", s, got, want)
		}
	})
}

// What the catalog renders for a sender holds only the references shownText
// decodes itself: its first delivery does not build html's table of names.
func TestRenderDeliveryNeedsNoNamedReferenceTable(t *testing.T) {
	cat, err := Default()
	require.NoError(t, err)
	for _, loc := range cat.Locales() {
		for _, kind := range append(Kinds[:len(Kinds):len(Kinds)], AccountTakeOverNotification) {
			msg, problems := cat.RenderDelivery(kind, loc, Data{
				Brand: `A&B "Co" <x> +'`, UserName: "ana lima/1 & co", GivenName: "Ana <3", FamilyName: `O'Neil`,
				Email: "a+b@example.com", ConfirmURL: "https://app.example.com/confirm?x=1&y=2",
			}, `Tmp<&"9x+ 1'`)
			require.Empty(t, problems, "%s/%s", loc, kind)
			for rest := msg.Email; ; {
				i := strings.IndexByte(rest, '&')
				if i < 0 {
					break
				}
				rest = rest[i:]
				require.True(t, hasEscaperRef(rest), "%s/%s: %.20q", loc, kind, rest)
				rest = rest[1:]
			}
		}
	}
}
