package poolside

// SignUpConfig is the signup section of Config. Its owner fills it in.
type SignUpConfig struct{}

func (c *SignUpConfig) load(env Env, ps *problems) {}

func (c SignUpConfig) validate(ps *problems) {}
