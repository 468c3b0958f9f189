package poolside

// MessagesConfig is the messages section of Config. Its owner fills it in.
type MessagesConfig struct{}

func (c *MessagesConfig) load(env Env, ps *problems) {}

func (c MessagesConfig) validate(ps *problems) {}
