package poolside

// MigrationConfig is the migration section of Config. Its owner fills it in.
type MigrationConfig struct{}

func (c *MigrationConfig) load(env Env, ps *problems) {}

func (c MigrationConfig) validate(ps *problems) {}
