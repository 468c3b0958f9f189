package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMessagesConfig(t *testing.T) {
	c, err := FromEnv(MapEnv(nil))
	require.NoError(t, err)
	require.Equal(t, MessagesConfig{EmailSending: EmailSendingCognitoDefault, Brand: "poolside"}, c.Messages)
	require.False(t, c.Messages.Email(), "Cognito's default account rejects email fields")

	c, err = FromEnv(MapEnv(map[string]string{
		"POOLSIDE_APP_URL":       "https://app.example.com/confirm?src=mail",
		"POOLSIDE_EMAIL_SENDING": "developer",
		"POOLSIDE_BRAND_NAME":    " Acme Pools ",
		"POOLSIDE_TEMPLATES_DIR": t.TempDir(),
	}))
	require.NoError(t, err)
	require.True(t, c.Messages.Email())
	require.Equal(t, "Acme Pools", c.Messages.Brand)
	require.Equal(t, "https://app.example.com/confirm?src=mail", c.Messages.AppURL)

	_, err = FromEnv(MapEnv(map[string]string{"POOLSIDE_APP_URL": "http://127.0.0.1:3000/confirm"}))
	require.NoError(t, err, "http on loopback for local development")
}

// Every problem of the section is reported at once.
func TestMessagesConfigProblems(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		want []string
	}{
		"values": {
			env: map[string]string{
				"POOLSIDE_APP_URL":       "http://app.example.com/confirm",
				"POOLSIDE_EMAIL_SENDING": "SES",
				"POOLSIDE_BRAND_NAME":    "Acme\nInc",
			},
			want: []string{
				`POOLSIDE_APP_URL: "http://app.example.com/confirm" must be https`,
				`POOLSIDE_EMAIL_SENDING: "SES" must be COGNITO_DEFAULT or DEVELOPER`,
				`POOLSIDE_BRAND_NAME: "Acme\nInc" must be 1 to 60 printable characters`,
			},
		},
		"relative URL":  {env: map[string]string{"POOLSIDE_APP_URL": "/confirm"}, want: []string{"is not an absolute http(s) URL"}},
		"fragment":      {env: map[string]string{"POOLSIDE_APP_URL": "https://app.example.com/#/confirm"}, want: []string{"must not have a #fragment"}},
		"missing dir":   {env: map[string]string{"POOLSIDE_TEMPLATES_DIR": "/nonexistent/templates"}, want: []string{"POOLSIDE_TEMPLATES_DIR: stat /nonexistent/templates"}},
		"file, not dir": {env: map[string]string{"POOLSIDE_TEMPLATES_DIR": "config.go"}, want: []string{"config.go is not a directory"}},
		"broken override": {env: map[string]string{"POOLSIDE_TEMPLATES_DIR": brokenTemplates(t)}, want: []string{
			`POOLSIDE_TEMPLATES_DIR: en: SignUp sms: no code placeholder {{.Code}}`,
			`POOLSIDE_TEMPLATES_DIR: xx_YY/: not a BCP 47 locale`,
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := FromEnv(MapEnv(tc.env))
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func brokenTemplates(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "en"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "xx_YY"), 0o755))
	sms := `{{define "SignUp"}}{{.Brand}}: welcome{{end}}
{{define "ResendCode"}}{{.Code}} code{{end}}{{define "AdminCreateUser"}}{{.Username}} {{.Code}}{{end}}
{{define "ForgotPassword"}}{{.Code}} code{{end}}{{define "UpdateUserAttribute"}}{{.Code}} code{{end}}
{{define "VerifyUserAttribute"}}{{.Code}} code{{end}}{{define "Authentication"}}{{.Code}} code{{end}}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "en", "sms.txt"), []byte(sms), 0o644))
	return dir
}
