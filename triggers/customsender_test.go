package triggers

import (
	"context"
	"encoding/base64"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeDecrypter decrypts with decrypt.
type fakeDecrypter struct {
	decrypt func(ctx context.Context) ([]byte, error)
}

func (f fakeDecrypter) Decrypt(ctx context.Context, _ []byte) ([]byte, error) { return f.decrypt(ctx) }

// fakeClaims answers Claim with claim and records what was claimed and released.
type fakeClaims struct {
	claim    func() (bool, error)
	mu       sync.Mutex
	claimed  []string
	released []string
}

func (f *fakeClaims) Claim(_ context.Context, key string, _ time.Time) (bool, error) {
	f.mu.Lock()
	f.claimed = append(f.claimed, key)
	f.mu.Unlock()
	return f.claim()
}

func (f *fakeClaims) Release(_ context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.released = append(f.released, key)
	return nil
}

type sentEmails struct{ sent []OutgoingEmail }

func (s *sentEmails) SendEmail(_ context.Context, m OutgoingEmail) error {
	s.sent = append(s.sent, m)
	return nil
}

func senderSignUp() *CustomSenderEvent {
	ev := &CustomSenderEvent{Header: Header{Version: "1", TriggerSource: CustomEmailSenderSignUp, Region: "us-east-1",
		UserPoolID: "us-east-1_Ex4mPle01", UserName: "ana"}}
	ev.Request.Type = "customEmailSenderRequestV1"
	ev.Request.Code = Secret(base64.StdEncoding.EncodeToString([]byte("an Encryption SDK message")))
	ev.Request.UserAttributes = Attributes{"email": "ana@example.com", "email_verified": "true"}
	return ev
}

func TestCustomSenderClaimsWhileDecrypting(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a guard against deadlock only
	defer cancel()
	claiming := make(chan struct{})
	claims := &fakeClaims{claim: func() (bool, error) { close(claiming); return true, nil }}
	mail := &sentEmails{}
	h := &CustomSenderHandler{Email: mail, Claims: claims,
		Decrypter: fakeDecrypter{decrypt: func(ctx context.Context) ([]byte, error) {
			select { // the decryption ends only once the claim has begun
			case <-claiming:
				return []byte("123456"), nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}}}
	require.NoError(t, h.Handle(ctx, senderSignUp()))
	require.Len(t, mail.sent, 1)
	assert.Contains(t, mail.sent[0].HTML, "123456")
	assert.Len(t, claims.claimed, 1)
	assert.Empty(t, claims.released)
}

func TestCustomSenderClaimOutcomes(t *testing.T) {
	decrypted := fakeDecrypter{decrypt: func(context.Context) ([]byte, error) { return []byte("123456"), nil }}
	undecryptable := fakeDecrypter{decrypt: func(context.Context) ([]byte, error) { return nil, errors.New("wrong key") }}
	cases := map[string]struct {
		decrypter          fakeDecrypter
		claim              func() (bool, error)
		wantErr            bool
		wantSent, released int
	}{
		"claimed: sent":                       {decrypter: decrypted, claim: func() (bool, error) { return true, nil }, wantSent: 1},
		"already claimed (a retry): not sent": {decrypter: decrypted, claim: func() (bool, error) { return false, nil }},
		"claim store down: sent anyway":       {decrypter: decrypted, claim: func() (bool, error) { return false, errors.New("throttled") }, wantSent: 1},
		"undecryptable: the claim taken is given back": {decrypter: undecryptable,
			claim: func() (bool, error) { return true, nil }, wantErr: true, released: 1},
		"undecryptable, already claimed: nothing to give back": {decrypter: undecryptable,
			claim: func() (bool, error) { return false, nil }, wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			claims := &fakeClaims{claim: tc.claim}
			mail := &sentEmails{}
			h := &CustomSenderHandler{Email: mail, Claims: claims, Decrypter: tc.decrypter}
			ev := senderSignUp()
			err := h.Handle(context.Background(), ev)
			if tc.wantErr {
				require.ErrorContains(t, err, "decrypt request.code")
			} else {
				require.NoError(t, err)
			}
			assert.Len(t, mail.sent, tc.wantSent)
			require.Len(t, claims.claimed, 1)
			assert.Equal(t, sendKey(ev), claims.claimed[0])
			assert.Len(t, claims.released, tc.released)
		})
	}
}

func TestCustomSenderRefusesAMalformedCodeBeforeClaiming(t *testing.T) {
	claims := &fakeClaims{claim: func() (bool, error) { return true, nil }}
	mail := &sentEmails{}
	h := &CustomSenderHandler{Email: mail, Claims: claims,
		Decrypter: fakeDecrypter{decrypt: func(context.Context) ([]byte, error) { return []byte("123456"), nil }}}
	ev := senderSignUp()
	ev.Request.Code = "not base64!"
	var invalid *InvalidEventError
	require.ErrorAs(t, h.Handle(context.Background(), ev), &invalid)
	assert.Empty(t, claims.claimed, "nothing is written for a malformed event")
	assert.Empty(t, mail.sent)
}
