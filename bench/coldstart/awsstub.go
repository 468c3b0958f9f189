package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// awsStub is a loopback stand-in for the DynamoDB and Cognito endpoints a
// function reaches at its first event. It answers at once (unless
// -aws-latency), so a measurement is the function's own work and not a remote
// service's latency: an empty profile table (every read misses, every write succeeds) or, for the
// sign-in triggers, one where every profile exists (existingProfiles), a
// legacy table holding one user, an empty user pool.
type awsStub struct {
	ln net.Listener

	mu    sync.Mutex
	calls map[string]int // "DynamoDB_20120810.GetItem" → count
}

// awsLatency delays each of the stand-in's answers (-aws-latency): with a
// Region's latency the work a function overlaps with its AWS calls shows.
var awsLatency time.Duration

// benchKeyARN is the KMS key the stand-in answers for (the template's SenderKey).
const benchKeyARN = "arn:aws:kms:us-east-1:123456789012:key/0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

// kmsWrap marks the stand-in's "encrypted" data keys: it wraps a data key
// by prefixing it and unwraps by stripping the prefix (no secret is at stake
// in a benchmark; the Encryption SDK's own work is what is measured).
var kmsWrap = []byte("bench-kms-wrap:")

// existingProfiles is the profile table of the functions whose first event is
// most often an existing user's (a sign-in): its every profile exists.
const existingProfiles = "bench-profiles-existing"

// profileItem is an existing user's profile ($ID: the sub asked for), as the
// profile store writes it: confirmed, a tenant of its own, under 1 KB.
const profileItem = `{"Item":{"pk":{"S":"PROFILE#$ID"},"id":{"S":"$ID"},"username":{"S":"$ID"},` +
	`"email":{"S":"ana.lima@example.com"},"displayEmail":{"S":"Ana.Lima@example.com"},"givenName":{"S":"Ana"},` +
	`"familyName":{"S":"Lima"},"name":{"S":"Ana Lima"},"handle":{"S":"@AnaLima"},` +
	`"createdAt":{"S":"2026-01-02T03:04:05.678Z"},"updatedAt":{"S":"2026-01-02T03:04:05.678Z"},` +
	`"role":{"S":"USER"},"groups":{"L":[{"S":"USER"}]},"status":{"S":"CONFIRMED"},"tenantId":{"S":"acme"},` +
	`"sourceSystem":{"S":"web"},"badges":{"L":[{"S":"NEW_MEMBER"}]},"preferences":{"M":{"lang":{"S":"pt-BR"}}},` +
	`"version":{"N":"1"}}}`

// legacyTable is the table name the legacy source of the bench points at.
const legacyTable = "bench-legacy-users"

// legacyItem is the fixture user marta.silva@legacy.example.com
// (fixtures/legacy-users.jsonl) as a DynamoDB item.
const legacyItem = `{"Item":{"id":{"S":"1001"},"username":{"S":"marta.silva@legacy.example.com"},` +
	`"email":{"S":"Marta.Silva@legacy.example.com"},"email_verified":{"BOOL":true},"given_name":{"S":"Marta"},` +
	`"family_name":{"S":"Silva"},"locale":{"S":"pt-BR"},` +
	`"password_hash":{"S":"$2b$10$PfOc4T991iGVxu1aRLD7JeclBDOGQ8qnC57.gt6oGJxPRKIz44XmC"},` +
	`"tenant_id":{"S":"legacy-co"},"role":{"S":"EDITOR"},"created_at":{"S":"2019-03-04T05:06:07Z"},"disabled":{"BOOL":false}}}`

func newAWSStub() (*awsStub, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &awsStub{ln: ln, calls: map[string]int{}}
	go func() { _ = http.Serve(ln, s) }()
	return s, nil
}

func (s *awsStub) url() string { return "http://" + s.ln.Addr().String() }

func (s *awsStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	body, _ := io.ReadAll(r.Body)
	time.Sleep(awsLatency)
	if target != "" {
		s.count(target)
	}
	service, op, _ := strings.Cut(target, ".")
	var in struct {
		TableName string
		Key       struct{ Pk struct{ S string } }
	}
	_ = json.Unmarshal(body, &in)
	out := "{}"
	switch {
	case r.URL.Path == "/v2/email/outbound-emails": // SES v2 SendEmail (REST)
		s.count("SES.SendEmail")
		w.Header().Set("Content-Type", "application/json")
		out = `{"MessageId":"bench"}`
	case target == "" && formAction(body) == "Publish": // SNS (query protocol)
		s.count("SNS.Publish")
		w.Header().Set("Content-Type", "text/xml")
		out = `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>bench</MessageId></PublishResult>` +
			`<ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></PublishResponse>`
	case strings.HasPrefix(service, "AmazonSimpleNotificationService"): // SNS (JSON protocol)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		out = `{"MessageId":"bench"}`
	case service == "TrentService": // KMS
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		var kin struct {
			CiphertextBlob []byte
			NumberOfBytes  int
			KeySpec        string
		}
		_ = json.Unmarshal(body, &kin)
		switch op {
		case "GenerateDataKey":
			key := bytes.Repeat([]byte{7}, max(kin.NumberOfBytes, 32))
			o, _ := json.Marshal(map[string]any{"KeyId": benchKeyARN, "Plaintext": key, "CiphertextBlob": append(append([]byte{}, kmsWrap...), key...)})
			out = string(o)
		case "Decrypt":
			key := bytes.TrimPrefix(kin.CiphertextBlob, kmsWrap)
			o, _ := json.Marshal(map[string]any{"KeyId": benchKeyARN, "Plaintext": key, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})
			out = string(o)
		default:
			w.WriteHeader(http.StatusBadRequest)
			out = `{"__type":"UnsupportedOperationException","message":"bench stub: KMS ` + op + `"}`
		}
	case strings.HasPrefix(service, "DynamoDB"):
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		switch op {
		case "GetItem":
			if in.TableName == legacyTable {
				out = legacyItem
			}
			if id, ok := strings.CutPrefix(in.Key.Pk.S, "PROFILE#"); ok && in.TableName == existingProfiles {
				out = strings.ReplaceAll(profileItem, "$ID", id)
			}
		case "Query", "Scan":
			out = `{"Items":[],"Count":0,"ScannedCount":0}`
		case "BatchGetItem":
			out = `{"Responses":{},"UnprocessedKeys":{}}`
		}
	case strings.HasPrefix(service, "AWSCognitoIdentityProviderService"):
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if op == "ListUsers" {
			out = `{"Users":[]}`
		}
	default:
		w.WriteHeader(http.StatusBadRequest)
		out = `{"__type":"UnknownOperationException","message":"bench stub: unknown target ` + target + `"}`
	}
	_, _ = io.WriteString(w, out)
}

func (s *awsStub) count(op string) {
	s.mu.Lock()
	s.calls[op]++
	s.mu.Unlock()
}

// take returns and resets the call counts.
func (s *awsStub) take() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.calls
	s.calls = map[string]int{}
	return c
}

func (s *awsStub) close() { _ = s.ln.Close() }

// formAction is the Action of a query-protocol request body.
func formAction(body []byte) string {
	q, _ := url.ParseQuery(string(body))
	return q.Get("Action")
}
