package config

// PreAuthConfig configures PreAuthentication. Its tenant-bound clients are
// TokensConfig.ClientTenants (POOLSIDE_CLIENT_TENANTS): one map says which
// tenant an app client serves, for sign-in and for tokens.
type PreAuthConfig struct {
	// FailClosed refuses sign-ins while the profile store cannot answer
	// (POOLSIDE_PREAUTH_FAIL_CLOSED, default false: a store outage lets
	// sign-ins through, logged, so an outage of poolside's store never locks
	// every user out; true keeps suspended users out at that price).
	FailClosed bool
}

func (c *PreAuthConfig) load(env Env, ps *problems) {
	c.FailClosed = boolVar(env, "POOLSIDE_PREAUTH_FAIL_CLOSED", false, ps)
}
