package migration

import (
	"fmt"
	"net/url"
)

// openers are the Open functions of the sources that need a driver or an AWS
// client (dynamo.go, postgres.go, mysql.go, cognito.go), set from those
// files' init. They are compiled only into the UserMigration artifact and the
// command-line binary; every other artifact keeps the schemes below — its
// configuration still checks POOLSIDE_LEGACY_SOURCE, which all functions of a
// deployment share — but cannot open them.
var openers = map[string]func(u *url.URL, raw string, deps Deps) (Store, error){}

func init() {
	for _, s := range []Scheme{
		{Name: "dynamodb", Example: "dynamodb://TABLE"},
		{Name: "postgres", Aliases: []string{"postgresql"}, Example: "postgres://…"},
		{Name: "mysql", Example: "mysql://…"},
		{Name: "cognito-idp", Example: "cognito-idp://REGION/POOL_ID?client_id=…"},
	} {
		s.Open = func(u *url.URL, raw string, deps Deps) (Store, error) {
			open, ok := openers[s.Name]
			if !ok {
				return nil, fmt.Errorf("legacy source %q: this artifact does not open %s:// sources (the UserMigration function's does)", u.Redacted(), s.Name)
			}
			return open(u, raw, deps)
		}
		RegisterScheme(s)
	}
}
