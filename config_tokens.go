package poolside

// TokensConfig is the tokens section of Config. Its owner fills it in.
type TokensConfig struct{}

func (c *TokensConfig) load(env Env, ps *problems) {}

func (c TokensConfig) validate(ps *problems) {}
