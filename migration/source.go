package migration

import (
	"fmt"
	"net/url"
)

// Open returns the source a POOLSIDE_LEGACY_SOURCE URL names:
// file:///abs/path.jsonl, dynamodb://TABLE or postgres://… (postgresql://…).
// Clients are built by the caller-supplied constructors so that nothing
// connects before the first lookup.
func Open(rawURL string, deps Deps) (interface {
	Source
	Lister
}, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url's error quotes the URL, and with it any password
		return nil, fmt.Errorf("legacy source: the URL does not parse")
	}
	shown := u.Redacted()
	switch u.Scheme {
	case "file":
		if u.Path == "" {
			return nil, fmt.Errorf("legacy source %q: want file:///abs/path.jsonl", rawURL)
		}
		return NewFile(u.Path), nil
	case "dynamodb":
		if u.Host == "" {
			return nil, fmt.Errorf("legacy source %q: want dynamodb://TABLE", rawURL)
		}
		if deps.DynamoDB == nil {
			return nil, fmt.Errorf("legacy source %q: no DynamoDB client", rawURL)
		}
		return NewDynamo(deps.DynamoDB, u.Host, deps.DynamoLayout), nil
	case "postgres", "postgresql":
		return NewPostgres(rawURL, deps.Postgres)
	}
	return nil, fmt.Errorf("legacy source %q: scheme must be file, dynamodb or postgres", shown)
}

// Deps are what Open needs for the non-file sources.
type Deps struct {
	// DynamoDB returns the client for dynamodb:// sources, on first use.
	DynamoDB     func() (DynamoAPI, error)
	DynamoLayout DynamoLayout
	Postgres     PostgresOptions
}
