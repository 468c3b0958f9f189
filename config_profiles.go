package poolside

// ProfilesConfig is the profiles section of Config. Its owner fills it in.
type ProfilesConfig struct{}

func (c *ProfilesConfig) load(env Env, ps *problems) {}

func (c ProfilesConfig) validate(ps *problems) {}
