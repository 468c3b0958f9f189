package signup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// CAPTCHA providers and their siteverify endpoints. All three take the same
// form (secret, response) and answer {"success": bool, "error-codes": […]}.
var CaptchaEndpoints = map[string]string{
	"turnstile": "https://challenges.cloudflare.com/turnstile/v0/siteverify",
	"hcaptcha":  "https://api.hcaptcha.com/siteverify",
	"recaptcha": "https://www.google.com/recaptcha/api/siteverify",
}

// Captcha verifies a sign-up's CAPTCHA token with the provider's siteverify
// API. The secret is never logged or put in an error.
type Captcha struct {
	Endpoint string
	Secret   string
	Client   *http.Client // http.DefaultClient when nil; the context bounds each call
}

// ErrCaptchaAnswer is a siteverify answer that is not the JSON it should be.
var ErrCaptchaAnswer = errors.New("siteverify: malformed answer")

// Verify reports whether the provider accepts token. A rejected or empty token
// is (false, nil); an unreachable, slow or malformed provider is an error.
func (c *Captcha) Verify(ctx context.Context, token string) (bool, error) {
	if strings.TrimSpace(token) == "" {
		return false, nil
	}
	form := url.Values{"secret": {c.Secret}, "response": {token}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return false, fmt.Errorf("siteverify: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the URL carries no secret, but keep the error short
		}
		return false, fmt.Errorf("siteverify: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("siteverify: HTTP %d", resp.StatusCode)
	}
	var answer struct {
		Success    *bool    `json:"success"`
		ErrorCodes []string `json:"error-codes"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&answer); err != nil || answer.Success == nil {
		return false, ErrCaptchaAnswer
	}
	return *answer.Success, nil
}
