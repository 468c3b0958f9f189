package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/triggers"
)

// senderFixture encrypts codes the way Cognito does: the AWS Encryption SDK
// with a KMS keyring on the pool's key (here a key of moto's KMS).
type senderFixture struct {
	ep, keyARN string
	kms        *kms.Client
}

func newSenderFixture(t *testing.T) *senderFixture {
	t.Helper()
	ep := localEndpoint(t) // moto_server serves KMS, SES v2 and SNS too
	creds := credentials.NewStaticCredentialsProvider("testing", "testing", "")
	kc := kms.New(kms.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(ep)})
	key, err := kc.CreateKey(context.Background(), &kms.CreateKeyInput{Description: aws.String("poolside sender test")})
	require.NoError(t, err)
	ses := sesv2.New(sesv2.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(ep)})
	_, err = ses.CreateEmailIdentity(context.Background(), &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String("no-reply@example.com")})
	require.NoError(t, err)
	return &senderFixture{ep: ep, keyARN: aws.ToString(key.KeyMetadata.Arn), kms: kc}
}

// encrypt returns base64 of an Encryption SDK message holding code. committing
// false uses a suite without key commitment (as older Cognito messages may).
func (f *senderFixture) encrypt(t *testing.T, code string, committing bool) string {
	t.Helper()
	mp, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	require.NoError(t, err)
	keyring, err := mp.CreateAwsKmsKeyring(context.Background(), mpltypes.CreateAwsKmsKeyringInput{KmsClient: f.kms, KmsKeyId: f.keyARN})
	require.NoError(t, err)
	policy := mpltypes.ESDKCommitmentPolicyRequireEncryptRequireDecrypt
	in := esdktypes.EncryptInput{Plaintext: []byte(code), Keyring: keyring}
	if !committing {
		policy = mpltypes.ESDKCommitmentPolicyForbidEncryptAllowDecrypt
		suite := mpltypes.ESDKAlgorithmSuiteIdAlgAes256GcmIv12Tag16HkdfSha384EcdsaP384
		in.AlgorithmSuiteId = &suite
	}
	c, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &policy})
	require.NoError(t, err)
	out, err := c.Encrypt(context.Background(), in)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(out.Ciphertext)
}

// app wires a sender deployment exactly as main does, against moto.
func (f *senderFixture) app(t *testing.T, logs *bytes.Buffer) *app {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_REGION", "us-east-1")
	cfg, err := config.FromEnv(config.MapEnv(map[string]string{
		"POOLSIDE_TRIGGERS":           "CustomEmailSender,CustomSMSSender",
		"POOLSIDE_SENDER_KMS_KEY_ARN": f.keyARN,
		"POOLSIDE_SENDER_FROM":        "Example <no-reply@example.com>",
		"POOLSIDE_KMS_ENDPOINT":       f.ep,
		"POOLSIDE_SES_ENDPOINT":       f.ep,
		"POOLSIDE_SNS_ENDPOINT":       f.ep,
		"POOLSIDE_APP_URL":            "https://app.example.com/confirm",
		"POOLSIDE_BRAND_NAME":         "Example",
	}))
	require.NoError(t, err)
	a, err := wire(cfg, newLogger(logs, 0))
	require.NoError(t, err)
	return a
}

func senderEvent(source triggers.Source, user, email, phone, code string) []byte {
	ev := map[string]any{
		"version": "1", "triggerSource": source, "region": "us-east-1", "userPoolId": "us-east-1_Moto",
		"userName": user, "callerContext": map[string]string{"clientId": "web"},
		"request": map[string]any{"type": "customEmailSenderRequestV1", "code": code, "clientMetadata": nil,
			"userAttributes": map[string]string{"sub": user, "email": email, "phone_number": phone, "given_name": "Ana"}},
		"response": map[string]any{},
	}
	b, _ := json.Marshal(ev)
	return b
}

type sesMessage struct {
	Source       string              `json:"source"`
	Subject      string              `json:"subject"`
	Body         string              `json:"body"`
	Destinations map[string][]string `json:"destinations"`
}

// sesSent lists the emails moto's SES accepted (.ci/moto-serial.py's
// /moto-api/poolside/ses-sent: /moto-api/data.json fails once another test
// has created a Lambda function on the same server).
func sesSent(t *testing.T, ep, to string) []sesMessage {
	t.Helper()
	resp, err := http.Get(ep + "/moto-api/poolside/ses-sent")
	require.NoError(t, err)
	defer resp.Body.Close()
	var data struct {
		SES struct {
			Message []sesMessage `json:"Message"`
		} `json:"ses"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&data))
	var out []sesMessage
	for _, m := range data.SES.Message {
		if len(m.Destinations["ToAddresses"]) == 1 && m.Destinations["ToAddresses"][0] == to {
			out = append(out, m)
		}
	}
	return out
}

// snsSent lists the text messages moto's SNS accepted for phone
// (.ci/moto-serial.py's /moto-api/poolside/sns-sms).
func snsSent(t *testing.T, ep, phone string) []string {
	t.Helper()
	resp, err := http.Get(ep + "/moto-api/poolside/sns-sms")
	require.NoError(t, err)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Skipf("the moto server at %s does not list SNS text messages (start it with .ci/moto-serial.py)", ep)
	}
	var sms []struct{ PhoneNumber, Message string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&sms))
	var out []string
	for _, m := range sms {
		if m.PhoneNumber == phone {
			out = append(out, m.Message)
		}
	}
	return out
}

func invokeSender(t *testing.T, a *app, payload []byte) error {
	t.Helper()
	out, err := lambda.NewHandler(a.router).Invoke(context.Background(), payload)
	if err == nil {
		assert.Contains(t, string(out), `"response":{}`)
	}
	return err
}

// Every CustomEmailSender source: the Encryption SDK decrypts a code KMS
// wrapped, SES (moto) receives the email at the user's address with the
// code in it, no placeholder left, and the link carries code and user name
// URL-encoded. A Cognito retry of the same event sends nothing more.
func TestCustomEmailSenderAgainstMoto(t *testing.T) {
	f := newSenderFixture(t)
	var logs bytes.Buffer
	a := f.app(t, &logs)
	run := time.Now().UnixNano()
	for i, src := range triggers.Sources[triggers.CustomEmailSender] {
		t.Run(string(src), func(t *testing.T) {
			to := fmt.Sprintf("ana+%d-%d@example.com", run, i)
			user := fmt.Sprintf("user %d/%d", run, i) // a space and a slash: the link must encode them
			code := fmt.Sprintf("%06d", 100000+i*7919)
			if src == triggers.CustomEmailSenderAdminCreateUser {
				code = `Tmp<&"9x+` // a temporary password: escaped in HTML, encoded in URLs
			}
			enc := ""
			if src != triggers.CustomEmailSenderAccountTakeOverNotification {
				enc = f.encrypt(t, code, i%2 == 0)
			}
			payload := senderEvent(src, user, to, "+15555550100", enc)
			require.NoError(t, invokeSender(t, a, payload), "log:\n%s", logs.String())
			first := sesSent(t, f.ep, to)
			require.NotEmpty(t, first, "the email went out")
			if len(first) > 1 {
				// The SDK resends a request whose answer was lost (a reset
				// on a busy moto): at-least-once below poolside's dedupe.
				t.Logf("SES recorded %d copies of one delivery (SDK transport retry)", len(first))
			}
			require.NoError(t, invokeSender(t, a, payload), "a retry answers ok") // Cognito's retry

			sent := sesSent(t, f.ep, to)
			require.Len(t, sent, len(first), "Cognito's retry sends nothing more")
			m := sent[0]
			assert.Equal(t, "Example <no-reply@example.com>", m.Source)
			assert.NotEmpty(t, m.Subject)
			assert.Contains(t, m.Subject, "Example")
			assert.NotContains(t, m.Body, "{####}")
			assert.NotContains(t, m.Body, "pz", "no template token left")
			switch src {
			case triggers.CustomEmailSenderAccountTakeOverNotification:
				assert.Contains(t, m.Body, "unusual sign-in")
			case triggers.CustomEmailSenderAdminCreateUser:
				assert.Contains(t, m.Body, "Tmp&lt;&amp;&#34;9x&#43;", "the password, HTML-escaped")
				assert.NotContains(t, m.Body, code, "never unescaped in HTML")
				assert.Contains(t, html.UnescapeString(m.Body), code)
				assert.Contains(t, html.UnescapeString(m.Body), user, "the user name")
			default:
				assert.Contains(t, m.Body, code)
			}
			if src == triggers.CustomEmailSenderSignUp || src == triggers.CustomEmailSenderResendCode {
				link := "https://app.example.com/confirm?" + url.Values{"code": {code}, "username": {user}}.Encode()
				assert.Contains(t, html.UnescapeString(m.Body), `href="`+link+`"`)
			}
		})
	}
	assert.NotContains(t, logs.String(), "100000", "never log a code")
	assert.Contains(t, logs.String(), `"duplicate":true`)
}

// Every CustomSMSSender source reaches SNS (moto) with the decrypted code.
func TestCustomSMSSenderAgainstMoto(t *testing.T) {
	f := newSenderFixture(t)
	var logs bytes.Buffer
	a := f.app(t, &logs)
	// microseconds: distinct numbers on a moto_server that served earlier runs
	run := time.Now().UnixMicro() % 1_000_000
	for i, src := range triggers.Sources[triggers.CustomSMSSender] {
		t.Run(string(src), func(t *testing.T) {
			phone := fmt.Sprintf("+1555%06d%d", run, i)
			code := fmt.Sprintf("%06d", 200000+i*7919)
			payload := senderEvent(src, "ana", "ana@example.com", phone, f.encrypt(t, code, true))
			require.NoError(t, invokeSender(t, a, payload), "log:\n%s", logs.String())
			first := snsSent(t, f.ep, phone)
			require.NotEmpty(t, first, "the SMS went out")
			if len(first) > 1 {
				t.Logf("SNS recorded %d copies of one delivery (SDK transport retry)", len(first))
			}
			require.NoError(t, invokeSender(t, a, payload)) // Cognito's retry
			sent := snsSent(t, f.ep, phone)
			require.Len(t, sent, len(first), "Cognito's retry sends nothing more")
			assert.Contains(t, sent[0], code)
			assert.Contains(t, sent[0], "Example")
			assert.NotContains(t, sent[0], "{####}")
		})
	}
	assert.NotContains(t, logs.String(), "200000", "never log a code")
}

// Concurrent deliveries (poolside serve runs up to 4 invocations at once)
// each send their own code. Under make test's -race this also holds that the
// Encryption SDK, which is not safe for concurrent use
// (aws/aws-encryption-sdk#902), is called one at a time.
func TestCustomSMSSenderConcurrentDeliveries(t *testing.T) {
	f := newSenderFixture(t)
	var logs bytes.Buffer
	a := f.app(t, &logs)
	run := time.Now().UnixMicro() % 1_000_000
	const n = 4
	phones, codes, payloads := make([]string, n), make([]string, n), make([][]byte, n)
	for i := range n { // the fixture's own Encryption SDK calls come first, one at a time
		phones[i] = fmt.Sprintf("+1556%06d%d", run, i)
		codes[i] = fmt.Sprintf("%06d", 300000+i*7919)
		payloads[i] = senderEvent(triggers.CustomSMSSenderSignUp, fmt.Sprintf("user-%d", i), "ana@example.com", phones[i], f.encrypt(t, codes[i], true))
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = invokeSender(t, a, payloads[i]) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "delivery %d; log:\n%s", i, logs.String())
		sent := snsSent(t, f.ep, phones[i])
		require.NotEmpty(t, sent, "delivery %d went out", i)
		assert.Contains(t, sent[0], codes[i], "delivery %d carries its own code", i)
	}
}

// A code encrypted under another key does not decrypt: the user reads the
// generic message, the log says why without the code, nothing is sent.
func TestCustomSenderWrongKey(t *testing.T) {
	f := newSenderFixture(t)
	other := newSenderFixture(t)
	var logs bytes.Buffer
	a := f.app(t, &logs)
	to := fmt.Sprintf("wrong-key-%d@example.com", time.Now().UnixNano())
	err := invokeSender(t, a, senderEvent(triggers.CustomEmailSenderForgotPassword, "ana", to, "", other.encrypt(t, "777111", true)))
	var ie messages.InvokeResponse_Error
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, ie.Message, "Something went wrong on our side")
	assert.Contains(t, logs.String(), "decrypt request.code")
	assert.NotContains(t, logs.String(), "777111")
	assert.Empty(t, sesSent(t, f.ep, to))
}
