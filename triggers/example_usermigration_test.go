package triggers_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/poolside-io/poolside/migration"
	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/triggers"
)

// A legacy user signs in for the first time: the password is checked against
// the legacy hash, Cognito gets the attributes (no sub) with
// CONFIRMED + SUPPRESS (signed in with the email alias: the legacy username),
// and a pending profile keeps the legacy tenant and role.
func ExampleUserMigrationHandler() {
	dir, _ := os.MkdirTemp("", "legacy")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "users.jsonl")
	// Django PBKDF2-SHA256, 1,000 iterations (cheap, so the example does not
	// depend on the machine's speed), password "Correct-Horse-7", made with
	// Python's hashlib.pbkdf2_hmac('sha256', b'Correct-Horse-7', b'pQ9xExampleSalt', 1000)
	_ = os.WriteFile(path, []byte(`{"id":"1001","username":"marta","email":"marta@legacy.example.com","email_verified":true,`+
		`"given_name":"Marta","family_name":"Silva","password_hash":"pbkdf2_sha256$1000$pQ9xExampleSalt$FBiqFdoNbplQ80D1acdodGaKSOR8lMG7nX1i5PDNHac=",`+
		`"tenant_id":"legacy-co","role":"EDITOR","created_at":"2019-03-04T05:06:07Z"}`+"\n"), 0o600)

	store := profilestore.NewMemory(nil)
	h := &triggers.UserMigrationHandler{
		Legacy:   &migration.Authenticator{Source: migration.NewFile(path)},
		Profiles: store,
		Policy:   triggers.ProfilePolicy{DefaultTenant: "default"},
		// the pool signs in with a username or the email alias
		Pool: migration.PoolShape{AliasAttributes: []string{migration.AttrEmail}},
	}
	r := triggers.NewRouter(triggers.WithLogger(slog.New(slog.NewJSONHandler(io.Discard, nil))))
	r.HandleUserMigration(h.Handle)
	out, err := r.Invoke(context.Background(), []byte(`{"version":"1","triggerSource":"UserMigration_Authentication",
		"userName":"marta@legacy.example.com","request":{"password":"Correct-Horse-7"},"response":{}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out[bytes.Index(out, []byte(`"response"`)):]))
	p, _ := store.Get(context.Background(), profilestore.PendingID("1001"))
	fmt.Println(p.TenantID, p.Role, p.SourceSystem, p.CreatedAt.Year())
	// Output:
	// "response":{"userAttributes":{"email":"marta@legacy.example.com","email_verified":"true","family_name":"Silva","given_name":"Marta","name":"Marta Silva","username":"marta"},"finalUserStatus":"CONFIRMED","messageAction":"SUPPRESS"}}
	// legacy-co EDITOR legacy 2019
}
