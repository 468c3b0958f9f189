package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/profilestore"
)

// BenchmarkSideBySide is P3 and P4 of the README's performance table: a
// trigger through lambda.NewHandler(...).Invoke against the same work done
// directly, interleaved (the order flips every round), reported as
// ns/poolside, ns/direct and their ratio. It reports; it never fails on a
// figure.
//
//   - PostConfirmation, first creation: a new user's profile on DynamoDB
//     (moto) against the same call made with the SDK: one TransactWriteItems
//     of three conditional Puts (profile, email guard, handle guard); nothing
//     is read first (a confirmed sign-up has no profile, and only a held
//     email guard is read).
//   - PreTokenGeneration, hot path: an existing profile's claims against one
//     strongly consistent GetItem of that profile.
//   - UserMigration, a legacy user with a bcrypt cost-10 hash (memory store):
//     against bcrypt.CompareHashAndPassword of the same hash and password.
func BenchmarkSideBySide(b *testing.B) {
	b.Run("UserMigration-bcrypt10", benchUserMigration)
	ep := os.Getenv("POOLSIDE_DYNAMODB_ENDPOINT")
	if ep == "" {
		b.Log("POOLSIDE_DYNAMODB_ENDPOINT unset: the DynamoDB side-by-sides need moto_server (make bench starts it)")
		return
	}
	ctx := context.Background()
	db := dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String(ep),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	table := fmt.Sprintf("profiles-bench-%d", time.Now().UnixNano())
	if _, err := profilestore.CreateTable(ctx, db, table); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _, _ = db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &table}) })
	env := map[string]string{
		"POOLSIDE_PROFILE_STORE":     "dynamodb://" + table,
		"POOLSIDE_DYNAMODB_ENDPOINT": ep,
		"POOLSIDE_ADD_TO_GROUP":      "false",
	}
	h := benchHandler(b, env)
	run := time.Now().UnixNano()

	b.Run("PostConfirmation-first", func(b *testing.B) {
		n := 0
		poolside := func() {
			n++
			// a name of its own: a first creation, not a same-name race for a handle
			sub := fmt.Sprintf("bpc%d-%d", run%1_000_000, n)
			invokeOK(b, h, benchEvent(b, "PostConfirmation_ConfirmSignUp", sub, sub+"@example.com"))
		}
		direct := func() {
			n++
			id := fmt.Sprintf("bench-direct-%d-%d", run, n)
			email := id + "@example.com"
			prof := profilestore.Profile{ID: id, Email: email, Handle: "Bench" + id, TenantID: "default", Role: "USER",
				Status: profilestore.StatusConfirmed, CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
			item, err := attributevalue.MarshalMap(prof)
			if err != nil {
				b.Fatal(err)
			}
			item["pk"] = &types.AttributeValueMemberS{Value: "PROFILE#" + id}
			put := func(item map[string]types.AttributeValue) types.TransactWriteItem {
				return types.TransactWriteItem{Put: &types.Put{TableName: &table, Item: item,
					ConditionExpression: aws.String("attribute_not_exists(pk)")}}
			}
			guard := func(pk string) map[string]types.AttributeValue {
				return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk},
					"profileId": &types.AttributeValueMemberS{Value: id}}
			}
			if _, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
				put(item), put(guard("EMAIL#" + email)), put(guard("HANDLE#bench" + strings.ToLower(id))),
			}}); err != nil {
				b.Fatal(err)
			}
		}
		sideBySide(b, poolside, direct)
	})

	b.Run("PreTokenGeneration-hot", func(b *testing.B) {
		sub := fmt.Sprintf("bench-ptg-%d", run)
		event := benchEvent(b, "TokenGeneration_Authentication.v2", sub, sub+"@example.com")
		invokeOK(b, h, event) // creates the profile; every later call reads it
		poolside := func() { invokeOK(b, h, event) }
		direct := func() {
			if _, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, ConsistentRead: aws.Bool(true),
				Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "PROFILE#" + sub}}}); err != nil {
				b.Fatal(err)
			}
		}
		sideBySide(b, poolside, direct)
	})
}

func benchUserMigration(b *testing.B) {
	h := benchHandler(b, goldenEnv) // the fixture legacy file, the memory store
	event := []byte(fixture(b, "UserMigration_Authentication"))
	var ev struct {
		Request struct {
			Password string `json:"password"`
		} `json:"request"`
	}
	if err := json.Unmarshal(event, &ev); err != nil {
		b.Fatal(err)
	}
	hash := legacyMarta(b).PasswordHash // the user that fixture signs in
	if cost, err := bcrypt.Cost([]byte(hash)); err != nil || cost != 10 {
		b.Fatalf("the fixture user's hash is not bcrypt cost 10 (%d, %v)", cost, err)
	}
	poolside := func() { invokeOK(b, h, event) }
	direct := func() {
		if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(ev.Request.Password)); err != nil {
			b.Fatal(err)
		}
	}
	sideBySide(b, poolside, direct)
}

func benchHandler(b *testing.B, env map[string]string) lambda.Handler {
	b.Helper()
	return lambda.NewHandler(lambdaHandler{benchApp(b, env)})
}

// benchApp wires env's configuration with a log that goes nowhere.
func benchApp(b *testing.B, env map[string]string) *app {
	b.Helper()
	cfg, err := config.FromEnv(config.MapEnv(env))
	if err != nil {
		b.Fatal(err)
	}
	a, err := wire(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// triggerHandler is what a trigger's artifact hands aws-lambda-go
// (handler_fn.go): the router itself. The test binary's lambdaHandler is the
// all-in-one build's, which first asks whether the event is an API Gateway
// request, as no trigger artifact does.
type triggerHandler struct{ a *app }

func (h triggerHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return h.a.router.Invoke(ctx, payload)
}

func invokeOK(b *testing.B, h lambda.Handler, event []byte) {
	if _, err := h.Invoke(context.Background(), event); err != nil {
		b.Fatal(err)
	}
}

// benchEvent is a fixture event for another user (sub, email and names
// replaced: the handle comes from the name).
func benchEvent(b *testing.B, name, sub, email string) []byte {
	var ev map[string]any
	if err := json.Unmarshal(fixtureWith(b, name, sub, email), &ev); err != nil {
		b.Fatal(err)
	}
	attrs := ev["request"].(map[string]any)["userAttributes"].(map[string]any)
	attrs["name"], attrs["given_name"], attrs["family_name"] = sub, sub, "Bench"
	out, err := json.Marshal(ev)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// sideBySide times both sides in alternating order and reports them.
func sideBySide(b *testing.B, poolside, direct func()) {
	var tp, td time.Duration
	timed := func(f func(), total *time.Duration) {
		start := time.Now()
		f()
		*total += time.Since(start)
	}
	// Each side once, untimed: a first use (a lazy table, a connection, the
	// legacy file read) is the cold start's cost (P1), not this comparison's.
	poolside()
	direct()
	first := true
	for b.Loop() {
		if first {
			timed(poolside, &tp)
			timed(direct, &td)
		} else {
			timed(direct, &td)
			timed(poolside, &tp)
		}
		first = !first
	}
	n := float64(b.N)
	b.ReportMetric(float64(tp.Nanoseconds())/n, "ns/poolside")
	b.ReportMetric(float64(td.Nanoseconds())/n, "ns/direct")
	b.ReportMetric(float64(tp)/float64(td), "poolside/direct")
}
