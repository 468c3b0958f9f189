package config

import (
	"slices"
	"strings"

	"github.com/poolside-io/poolside/triggers"
)

// Var describes one POOLSIDE_* variable: which triggers read it. The list
// feeds the README's "read by" column (checked by a test), `poolside doctor`'s
// shared-configuration check, and the SAM template's Globals: every function
// of a deployment reads the same settings, so two triggers can never disagree
// on tenants, groups or claims.
type Var struct {
	Name string
	// ReadBy lists the triggers whose answers the variable changes; empty
	// means every function (infrastructure: stores, endpoints).
	ReadBy []triggers.Trigger
	// PerFunction marks a variable that may differ between the functions of
	// one deployment (which triggers it answers, its log level, its budget).
	PerFunction bool
	// UserAPI marks a variable only the User API (package userapi) reads:
	// no trigger does, so ReadBy is empty and it is not read by all.
	UserAPI bool
}

// ReadByAll reports whether every function reads v.
func (v Var) ReadByAll() bool { return len(v.ReadBy) == 0 && !v.UserAPI }

// Reads reports whether a function answering t reads v.
func (v Var) Reads(t triggers.Trigger) bool { return v.ReadByAll() || slices.Contains(v.ReadBy, t) }

var (
	profileTriggers = []triggers.Trigger{triggers.PostConfirmation, triggers.PostAuthentication,
		triggers.PreTokenGeneration, triggers.UserMigration}
	signUp    = []triggers.Trigger{triggers.PreSignUp}
	tokens    = []triggers.Trigger{triggers.PreTokenGeneration}
	customMsg = []triggers.Trigger{triggers.CustomMessage}
	// texts: the triggers that render messages (CustomMessage's templates).
	texts     = []triggers.Trigger{triggers.CustomMessage, triggers.CustomEmailSender, triggers.CustomSMSSender}
	senders   = []triggers.Trigger{triggers.CustomEmailSender, triggers.CustomSMSSender}
	migrating = []triggers.Trigger{triggers.UserMigration}
)

// Vars lists every variable FromEnv reads (a test holds it to that).
var Vars = []Var{
	{Name: "POOLSIDE_TRIGGERS", PerFunction: true},
	{Name: "POOLSIDE_LOG_LEVEL", PerFunction: true},
	{Name: "POOLSIDE_BUDGET", PerFunction: true},
	{Name: "POOLSIDE_PROFILE_STORE"},
	{Name: "POOLSIDE_DYNAMODB_ENDPOINT"},
	{Name: "POOLSIDE_COGNITO_ENDPOINT"},
	{Name: "POOLSIDE_LEGACY_SOURCE", ReadBy: migrating},
	{Name: "POOLSIDE_USERNAME_ATTRIBUTES", ReadBy: migrating},
	{Name: "POOLSIDE_ALIAS_ATTRIBUTES", ReadBy: migrating},
	{Name: "POOLSIDE_DEFAULT_PHONE_REGION", ReadBy: migrating},

	{Name: "POOLSIDE_DEFAULT_GROUP", ReadBy: profileTriggers},
	{Name: "POOLSIDE_TENANT_DOMAINS", ReadBy: profileTriggers},
	{Name: "POOLSIDE_DEFAULT_TENANT", ReadBy: profileTriggers},
	{Name: "POOLSIDE_CLIENT_SOURCES", ReadBy: profileTriggers},
	{Name: "POOLSIDE_DEFAULT_CURRENCY", ReadBy: profileTriggers},
	{Name: "POOLSIDE_ADD_TO_GROUP", ReadBy: []triggers.Trigger{triggers.PostConfirmation, triggers.PostAuthentication, triggers.PreTokenGeneration}},
	{Name: "POOLSIDE_LEGACY_ROLE_GROUPS", ReadBy: []triggers.Trigger{triggers.PostConfirmation, triggers.PostAuthentication, triggers.PreTokenGeneration}},
	{Name: "POOLSIDE_POST_AUTH_BUDGET", ReadBy: []triggers.Trigger{triggers.PostAuthentication}},

	{Name: "POOLSIDE_SIGNUP_REQUIRED", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_ALLOWED_DOMAINS", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_DENIED_DOMAINS", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_BLOCK_DISPOSABLE", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_DISPOSABLE_FILE", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_NAME_MIN", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_NAME_MAX", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_UNIQUE_EMAIL", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_TRUSTED_DOMAINS", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_AUTO_VERIFY", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_LINK_PROVIDERS", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_CAPTCHA", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_CAPTCHA_SECRET", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_CAPTCHA_ENDPOINT", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_CAPTCHA_FAIL_OPEN", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_FOLD_TAGS", ReadBy: signUp},
	{Name: "POOLSIDE_SIGNUP_DOT_INSENSITIVE_DOMAINS", ReadBy: signUp},

	{Name: "POOLSIDE_TENANT_CLAIM", ReadBy: tokens},
	{Name: "POOLSIDE_ROLE_CLAIM", ReadBy: tokens},
	{Name: "POOLSIDE_TOKEN_SCOPES", ReadBy: tokens},
	{Name: "POOLSIDE_CLAIMS_TO_SUPPRESS", ReadBy: tokens},
	{Name: "POOLSIDE_CLIENT_TENANTS", ReadBy: []triggers.Trigger{triggers.PreTokenGeneration, triggers.PreAuthentication}},
	{Name: "POOLSIDE_CLIENT_SCOPES", ReadBy: tokens},
	{Name: "POOLSIDE_UNKNOWN_CLIENTS", ReadBy: tokens},

	{Name: "POOLSIDE_PREAUTH_FAIL_CLOSED", ReadBy: []triggers.Trigger{triggers.PreAuthentication}},

	{Name: "POOLSIDE_EMAIL_SENDING", ReadBy: customMsg},
	{Name: "POOLSIDE_APP_URL", ReadBy: texts},
	{Name: "POOLSIDE_BRAND_NAME", ReadBy: texts},
	{Name: "POOLSIDE_TEMPLATES_DIR"}, // refusals of every trigger, and CustomMessage

	{Name: "POOLSIDE_SENDER_KMS_KEY_ARN", ReadBy: senders},
	{Name: "POOLSIDE_SENDER_FROM", ReadBy: []triggers.Trigger{triggers.CustomEmailSender}},
	{Name: "POOLSIDE_SENDER_CONFIGURATION_SET", ReadBy: []triggers.Trigger{triggers.CustomEmailSender}},
	{Name: "POOLSIDE_KMS_ENDPOINT", ReadBy: senders},
	{Name: "POOLSIDE_SES_ENDPOINT", ReadBy: []triggers.Trigger{triggers.CustomEmailSender}},
	{Name: "POOLSIDE_SNS_ENDPOINT", ReadBy: []triggers.Trigger{triggers.CustomSMSSender}},

	{Name: "POOLSIDE_MIGRATION_BCRYPT_COST", ReadBy: migrating},
	{Name: "POOLSIDE_MIGRATION_EMAIL_IS_USERNAME", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_DYNAMODB_ATTRIBUTES", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_DYNAMODB_EMAIL_INDEX", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_POSTGRES_LOOKUP", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_POSTGRES_LIST", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_POSTGRES_PASSWORD", ReadBy: migrating},
	{Name: "POOLSIDE_MIGRATION_BREACHED", ReadBy: migrating},
	{Name: "POOLSIDE_HIBP_ENDPOINT", ReadBy: migrating},
	{Name: "POOLSIDE_FIREBASE_SIGNER_KEY", ReadBy: migrating},
	{Name: "POOLSIDE_FIREBASE_SALT_SEPARATOR", ReadBy: migrating},
	{Name: "POOLSIDE_FIREBASE_ROUNDS", ReadBy: migrating},
	{Name: "POOLSIDE_FIREBASE_MEM_COST", ReadBy: migrating},

	{Name: "POOLSIDE_JWT_ISSUER", UserAPI: true},
	{Name: "POOLSIDE_JWT_CLIENT_IDS", UserAPI: true},
	{Name: "POOLSIDE_API_KEYS", UserAPI: true},
	{Name: "POOLSIDE_LEGACY_MYSQL_PRESET", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_MYSQL_TABLE_PREFIX", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_MYSQL_LOOKUP", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_MYSQL_LIST", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_MYSQL_PASSWORD", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_HTTP_AUTHORIZATION", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_HTTP_TIMEOUT", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_COGNITO_CLIENT_SECRET", ReadBy: migrating},
	{Name: "POOLSIDE_LEGACY_COGNITO_ENDPOINT", ReadBy: migrating},
}

// LookupVar finds a variable of Vars by name.
func LookupVar(name string) (Var, bool) {
	i := slices.IndexFunc(Vars, func(v Var) bool { return v.Name == name })
	if i < 0 {
		return Var{}, false
	}
	return Vars[i], true
}

// ReadByText is v's "Read by" cell in README's configuration tables (a test
// holds the README to it): the triggers, "all" (infrastructure every function
// reads), "all, per function" (may differ between them) or "User API".
func (v Var) ReadByText() string {
	switch {
	case v.UserAPI:
		return "User API"
	case v.ReadByAll() && v.PerFunction:
		return "all, per function"
	case v.ReadByAll():
		return "all"
	}
	names := make([]string, len(v.ReadBy))
	for i, t := range v.ReadBy {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}
