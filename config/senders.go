package config

import (
	"net/mail"
	"net/url"
	"strings"

	"github.com/poolside-io/poolside/triggers"
)

// SendersConfig configures CustomEmailSender and CustomSMSSender. Their text
// comes from MessagesConfig (templates, brand, POOLSIDE_APP_URL), like
// CustomMessage's.
type SendersConfig struct {
	// KMSKeyARN is the pool's KMS key (LambdaConfig.KMSKeyID) that encrypts
	// the codes (POOLSIDE_SENDER_KMS_KEY_ARN).
	KMSKeyARN string
	// From is the SES sender address, e.g. "Example <no-reply@example.com>"
	// (POOLSIDE_SENDER_FROM).
	From string
	// ConfigurationSet is the SES configuration set (POOLSIDE_SENDER_CONFIGURATION_SET, optional).
	ConfigurationSet string
	// KMSEndpoint, SESEndpoint and SNSEndpoint override the endpoints for
	// local servers (POOLSIDE_KMS_ENDPOINT, POOLSIDE_SES_ENDPOINT, POOLSIDE_SNS_ENDPOINT).
	KMSEndpoint, SESEndpoint, SNSEndpoint string
}

func (c *SendersConfig) load(env Env, _ *problems) {
	c.KMSKeyARN = strings.TrimSpace(env("POOLSIDE_SENDER_KMS_KEY_ARN"))
	c.From = strings.TrimSpace(env("POOLSIDE_SENDER_FROM"))
	c.ConfigurationSet = strings.TrimSpace(env("POOLSIDE_SENDER_CONFIGURATION_SET"))
	c.KMSEndpoint = env("POOLSIDE_KMS_ENDPOINT")
	c.SESEndpoint = env("POOLSIDE_SES_ENDPOINT")
	c.SNSEndpoint = env("POOLSIDE_SNS_ENDPOINT")
}

// validate checks the senders' settings. A sender named in POOLSIDE_TRIGGERS
// needs its key (and, for email, its sender address); a deployment that
// answers every trigger by default answers a sender event it is not set up
// for with an error naming the missing variable.
func (c SendersConfig) validate(cfg Config, ps *problems) {
	named := func(t triggers.Trigger) bool { return len(cfg.Triggers) > 0 && cfg.Enabled(t) }
	if c.KMSKeyARN != "" && !kmsKeyARN(c.KMSKeyARN) {
		ps.addf("POOLSIDE_SENDER_KMS_KEY_ARN: %q is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", c.KMSKeyARN)
	}
	if c.KMSKeyARN == "" && (named(triggers.CustomEmailSender) || named(triggers.CustomSMSSender)) {
		ps.addf("POOLSIDE_SENDER_KMS_KEY_ARN: required by CustomEmailSender and CustomSMSSender (the pool's KMSKeyID)")
	}
	if c.From == "" && named(triggers.CustomEmailSender) {
		ps.addf("POOLSIDE_SENDER_FROM: required by CustomEmailSender (a verified SES identity's address)")
	}
	if c.From != "" {
		if _, err := mailAddress(c.From); err != nil {
			ps.addf("POOLSIDE_SENDER_FROM: %q is not an email address", c.From)
		}
	}
	for name, v := range map[string]string{"POOLSIDE_KMS_ENDPOINT": c.KMSEndpoint, "POOLSIDE_SES_ENDPOINT": c.SESEndpoint, "POOLSIDE_SNS_ENDPOINT": c.SNSEndpoint} {
		if v != "" && !httpURL(v) {
			ps.addf("%s: %q is not an http(s) URL", name, v)
		}
	}
}

// Local reports whether any sender endpoint points at a local server.
func (c SendersConfig) Local() bool {
	return c.KMSEndpoint != "" || c.SESEndpoint != "" || c.SNSEndpoint != ""
}

// kmsKeyARN accepts arn:PARTITION:kms:REGION:ACCOUNT:key/ID.
func kmsKeyARN(v string) bool {
	parts := strings.SplitN(v, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && strings.HasPrefix(parts[1], "aws") && parts[2] == "kms" &&
		parts[3] != "" && parts[4] != "" && strings.HasPrefix(parts[5], "key/") && len(parts[5]) > len("key/")
}

func mailAddress(v string) (*mail.Address, error) { return mail.ParseAddress(v) }

func httpURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
