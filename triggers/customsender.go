package triggers

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/poolside-io/poolside/internal/deepstack"
	"github.com/poolside-io/poolside/messages"
)

// The custom senders deliver Cognito's messages themselves: Cognito hands
// the code (or temporary password) encrypted with the pool's KMS key by the
// AWS Encryption SDK; the function decrypts it, renders the same templates as
// CustomMessage with the real code, and sends the email (SES) or SMS (SNS).
// See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html.

// codeDecrypter decrypts request.code: the AWS Encryption SDK with a KMS keyring.
type codeDecrypter interface {
	// Decrypt returns the plaintext of an Encryption SDK message.
	Decrypt(ctx context.Context, ciphertext []byte) ([]byte, error)
}

// OutgoingEmail is one email a sender delivers. Never log it: it holds the code.
type OutgoingEmail struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	HTML    string `json:"html"`
	Text    string `json:"text"`
}

// OutgoingSMS is one text message a sender delivers. Never log it.
type OutgoingSMS struct {
	To   string `json:"to"`
	Text string `json:"text"`
}

// emailDeliverer sends an email (Amazon SES v2).
type emailDeliverer interface {
	SendEmail(ctx context.Context, m OutgoingEmail) error
}

// smsDeliverer sends a text message (Amazon SNS).
type smsDeliverer interface {
	SendSMS(ctx context.Context, m OutgoingSMS) error
}

// sendClaimer makes a delivery happen at most once per key within a window
// (profilestore's Claim/Release).
type sendClaimer interface {
	// Claim reports false, with no error, when key is claimed until later than now.
	Claim(ctx context.Context, key string, until time.Time) (bool, error)
	// Release gives a claim up after a failed delivery.
	Release(ctx context.Context, key string) error
}

// DefaultSendWindow is how long the same encrypted code is not sent again to
// the same user for the same source: Cognito's retries come within seconds.
const DefaultSendWindow = 10 * time.Minute

// CustomSenderHandler answers every CustomEmailSender_* and CustomSMSSender_*
// source. It never logs the code, the message or the recipient's address.
//
// Idempotence: before delivering, it claims the key sha256(pool, user,
// source, encrypted code) for Window. A Cognito retry carries the same
// encrypted code, finds the claim and sends nothing; a new code (a resend) is
// a new ciphertext and goes out. A failed delivery releases the claim. The key
// holds no secret: it is a hash of the ciphertext, not of the code.
type CustomSenderHandler struct {
	// Messages to render; nil uses the embedded catalog (CustomMessage's).
	Messages *messages.Catalog
	// Brand is the product name the messages speak for.
	Brand string
	// AppURL is the confirmation page SignUp and ResendCode emails link to,
	// with ?code=<code>&username=<user name>, both URL-encoded.
	AppURL string

	Decrypter codeDecrypter
	Email     emailDeliverer // CustomEmailSender; nil: not configured
	SMS       smsDeliverer   // CustomSMSSender; nil: not configured
	// Claims dedupes deliveries; nil delivers every event.
	Claims sendClaimer
	Window time.Duration // DefaultSendWindow when zero
	Now    func() time.Time
}

// Handle implements the CustomEmailSender and CustomSMSSender triggers.
func (h *CustomSenderHandler) Handle(ctx context.Context, ev *CustomSenderEvent) error {
	trigger, _ := ev.TriggerSource.Trigger()
	email := trigger == CustomEmailSender
	if (email && h.Email == nil) || (!email && h.SMS == nil) {
		return fmt.Errorf("%s: no delivery configured", trigger)
	}
	attrs := ev.Request.UserAttributes
	to := attrs.Get("phone_number")
	if email {
		to = attrs.Get("email")
	}
	if to == "" {
		return fmt.Errorf("%s: the user has no %s to send to", ev.TriggerSource, map[bool]string{true: "email", false: "phone_number"}[email])
	}

	// A malformed event is refused before anything is written.
	ciphertext, err := h.ciphertext(ev)
	if err != nil {
		return err
	}
	// The dedupe claim (a DynamoDB write) and the decryption (a KMS call) do
	// not depend on each other: the claim runs while KMS decrypts, so a
	// delivery waits for the longer of the two, not their sum.
	key := sendKey(ev)
	var claim <-chan claimResult
	if h.Claims != nil {
		window := h.Window
		if window <= 0 {
			window = DefaultSendWindow
		}
		claim = h.claim(ctx, key, now(h.Now).Add(window))
	}
	code, err := h.decrypt(ctx, ciphertext)
	if claim != nil {
		c := <-claim
		switch {
		case err != nil:
			// Nothing will be sent: a claim taken must not hold back a retry.
			if c.err == nil && c.claimed {
				h.release(ctx, key)
			}
		case c.err != nil:
			// Better a possible duplicate than no code at all.
			LogAttrs(ctx, slog.String("dedupe", "unavailable"), slog.String("storeError", c.err.Error()))
		case !c.claimed:
			LogAttrs(ctx, slog.Bool("duplicate", true), slog.String("sent", "no"))
			return nil
		}
	}
	if err != nil {
		return err
	}

	cat, err := catalog(h.Messages)
	if err != nil {
		return err
	}
	loc := userLocale(cat, attrs, ev.Request.ClientMetadata)
	msg, problems := cat.RenderDelivery(senderKind(ev.TriggerSource), loc, messages.Data{
		Brand: h.Brand, UserName: ev.UserName,
		GivenName: attrs.Get("given_name"), FamilyName: attrs.Get("family_name"), Name: attrs.Get("name"),
		Email: attrs.Get("email"), ConfirmURL: h.AppURL,
	}, code)
	LogAttrs(ctx, slog.String("locale", loc), slog.String("channel", map[bool]string{true: "email", false: "sms"}[email]))
	if len(problems) > 0 {
		LogAttrs(ctx, slog.Any("fallback", problems))
		count(ctx, MetricMessageFallbacks, 1)
	}

	if email {
		err = h.Email.SendEmail(ctx, OutgoingEmail{To: to, Subject: msg.Subject, HTML: msg.Email, Text: msg.SMS})
	} else {
		err = h.SMS.SendSMS(ctx, OutgoingSMS{To: to, Text: msg.SMS})
	}
	if err != nil {
		if h.Claims != nil {
			h.release(ctx, key)
		}
		return fmt.Errorf("deliver: %w", err)
	}
	LogAttrs(ctx, slog.String("sent", "yes"))
	return nil
}

type claimResult struct {
	claimed bool
	err     error
}

// claim takes the delivery's dedupe claim in a goroutine of its own.
func (h *CustomSenderHandler) claim(ctx context.Context, key string, until time.Time) <-chan claimResult {
	done := make(chan claimResult, 1)
	go func() {
		deepstack.Grow() // an AWS call on a fresh goroutine
		claimed, err := h.Claims.Claim(ctx, key, until)
		done <- claimResult{claimed: claimed, err: err}
	}()
	return done
}

// release gives the claim up when nothing was delivered.
func (h *CustomSenderHandler) release(ctx context.Context, key string) {
	if err := h.Claims.Release(context.WithoutCancel(ctx), key); err != nil {
		LogAttrs(ctx, slog.String("releaseError", err.Error()))
	}
}

// ciphertext is the request's encrypted code; nil for
// AccountTakeOverNotification, which has none.
func (h *CustomSenderHandler) ciphertext(ev *CustomSenderEvent) ([]byte, error) {
	enc := strings.TrimSpace(ev.Request.Code.Reveal())
	if enc == "" {
		if ev.TriggerSource == CustomEmailSenderAccountTakeOverNotification {
			return nil, nil
		}
		return nil, &InvalidEventError{Err: errors.New("request.code is missing")}
	}
	ciphertext, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, &InvalidEventError{Err: errors.New("request.code is not base64")}
	}
	if h.Decrypter == nil {
		return nil, errors.New("no decrypter configured (POOLSIDE_SENDER_KMS_KEY_ARN)")
	}
	return ciphertext, nil
}

// decrypt returns the code of a ciphertext ("" for none).
func (h *CustomSenderHandler) decrypt(ctx context.Context, ciphertext []byte) (string, error) {
	if ciphertext == nil {
		return "", nil
	}
	plain, err := h.Decrypter.Decrypt(ctx, ciphertext)
	if err != nil {
		// The SDK's errors name no plaintext; keep them for the log.
		return "", fmt.Errorf("decrypt request.code: %w", err)
	}
	return string(plain), nil
}

// sendKey identifies one delivery without holding the code.
func sendKey(ev *CustomSenderEvent) string {
	sum := sha256.New()
	for _, part := range []string{ev.UserPoolID, ev.UserName, string(ev.TriggerSource), strings.TrimSpace(ev.Request.Code.Reveal())} {
		sum.Write([]byte(part))
		sum.Write([]byte{0})
	}
	return "send:" + hex.EncodeToString(sum.Sum(nil))
}

// senderKind is the message a sender source asks for: the kind of the
// same name (CustomEmailSender_SignUp and CustomSMSSender_SignUp → messages.SignUp).
func senderKind(src Source) messages.Kind {
	_, name, _ := strings.Cut(string(src), "_")
	return messages.Kind(name)
}
