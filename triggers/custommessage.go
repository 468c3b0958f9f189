package triggers

import (
	"context"
	"log/slog"
	"strings"

	"github.com/poolside-io/poolside/messages"
)

// CustomMessageHandler writes the email and SMS Cognito sends for every
// CustomMessage source: localized, branded, with Cognito's placeholders
// passed through literally and every user attribute escaped. The templates,
// their limits and fallbacks live in package messages.
//
// See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html.
type CustomMessageHandler struct {
	// Messages to render; nil uses the embedded catalog, parsed on first use.
	Messages *messages.Catalog
	// Brand is the product name the messages speak for.
	Brand string
	// AppURL is the confirmation page SignUp and ResendCode emails link to,
	// with ?code=<code placeholder>&username=<user name>. Empty: the email
	// uses Cognito's own link placeholder (linkParameter) when the request has one.
	AppURL string
	// Email is true when the pool sends email through Amazon SES (email
	// sending account DEVELOPER). Otherwise only smsMessage is returned:
	// Cognito rejects email fields from a pool on its default email account.
	Email bool
}

// Handle implements the CustomMessage trigger: event → messages.Render → response.
func (h *CustomMessageHandler) Handle(ctx context.Context, ev *CustomMessageEvent) error {
	cat, err := catalog(h.Messages)
	if err != nil {
		return err
	}
	r := ev.Request
	ph, reason := messages.PlaceholdersOf(string(r.CodeParameter), string(r.UsernameParameter), string(r.LinkParameter))
	if reason != "" {
		// No message is better than one Cognito rejects: it sends its default.
		LogAttrs(ctx, slog.String("message", "cognito-default"), slog.String("reason", reason))
		count(ctx, MetricMessageFallbacks, 1)
		return nil
	}
	loc := userLocale(cat, r.UserAttributes, r.ClientMetadata)
	attrs := r.UserAttributes
	msg, problems := cat.Render(MessageKind(ev.TriggerSource), loc, messages.Data{
		Brand: h.Brand, UserName: ev.UserName,
		GivenName: attrs.Get("given_name"), FamilyName: attrs.Get("family_name"), Name: attrs.Get("name"),
		Email: attrs.Get("email"), ConfirmURL: h.AppURL,
	}, ph)
	LogAttrs(ctx, slog.String("locale", loc), slog.Bool("email", h.Email))
	if len(problems) > 0 {
		LogAttrs(ctx, slog.Any("fallback", problems))
		count(ctx, MetricMessageFallbacks, 1)
	}
	ev.Response = CustomMessageResponse{SMSMessage: msg.SMS}
	if h.Email {
		ev.Response.EmailMessage, ev.Response.EmailSubject = msg.Email, msg.Subject
	}
	return nil
}

// MessageKind is the message a CustomMessage source asks for:
// CustomMessage_SignUp → messages.SignUp.
func MessageKind(src Source) messages.Kind {
	return messages.Kind(strings.TrimPrefix(string(src), "CustomMessage_"))
}

// catalog is c, or the embedded catalog when c is nil.
func catalog(c *messages.Catalog) (*messages.Catalog, error) {
	if c != nil {
		return c, nil
	}
	return messages.Default()
}

// userLocale is the one place that picks the locale a user reads, for
// messages and refusals alike: the user's locale attribute, then
// clientMetadata.locale, then messages.DefaultLocale.
func userLocale(cat *messages.Catalog, attrs, metadata Attributes) string {
	return cat.Match(attrs.Get("locale"), metadata.Get("locale"))
}
