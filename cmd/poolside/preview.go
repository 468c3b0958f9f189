//go:build !poolside.fn

package main

import (
	"context"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/poolside-io/poolside/config"
	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/triggers"
)

// cmdPreview renders every CustomMessage source in every locale, as the
// deployment's configuration would (POOLSIDE_TEMPLATES_DIR, POOLSIDE_APP_URL,
// POOLSIDE_BRAND_NAME), into OUT/<locale>/<source>.html (the email body) and
// .txt (subject and SMS), plus OUT/index.html. Placeholders stay literal.
func cmdPreview(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "preview", "folder to write into")
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	cfg, err := config.FromEnv(config.OSEnv)
	if err != nil {
		return err
	}
	n, err := writePreview(cfg.Messages, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d files to %s (open %s)\n", n, *out, filepath.Join(*out, "index.html"))
	return nil
}

// writePreview writes the preview files and returns how many it wrote.
func writePreview(m config.MessagesConfig, out string) (int, error) {
	cat := m.Catalog
	if cat == nil {
		var err error
		if cat, err = messages.Load(nil); err != nil { // the embedded catalog, checked
			return 0, err
		}
	}
	h := &triggers.CustomMessageHandler{Messages: cat, Brand: m.Brand, AppURL: m.AppURL, Email: true}
	var index strings.Builder
	index.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>poolside custom messages</title></head><body>\n<h1>Custom messages</h1>\n")
	n := 0
	for _, loc := range cat.Locales() {
		dir := filepath.Join(out, loc)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return n, err
		}
		fmt.Fprintf(&index, "<h2>%s</h2>\n<ul>\n", html.EscapeString(loc))
		for _, src := range triggers.Sources[triggers.CustomMessage] {
			ev := previewEvent(src, loc)
			if err := h.Handle(context.Background(), ev); err != nil {
				return n, fmt.Errorf("%s %s: %w", loc, src, err)
			}
			r := ev.Response
			text := fmt.Sprintf("Subject: %s\n\nSMS (%d characters): %s\n", r.EmailSubject, len([]rune(r.SMSMessage)), r.SMSMessage)
			for name, body := range map[string]string{string(src) + ".html": r.EmailMessage, string(src) + ".txt": text} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					return n, err
				}
				n++
			}
			fmt.Fprintf(&index, "<li><a href=\"%[1]s/%[2]s.html\">%[2]s</a> (<a href=\"%[1]s/%[2]s.txt\">subject, SMS</a>): %[3]s</li>\n",
				html.EscapeString(loc), src, html.EscapeString(r.EmailSubject))
		}
		index.WriteString("</ul>\n")
	}
	index.WriteString("</body></html>\n")
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte(index.String()), 0o644); err != nil {
		return n, err
	}
	return n + 1, nil
}

// previewEvent is the event Cognito would send for src to a user of locale loc.
func previewEvent(src triggers.Source, loc string) *triggers.CustomMessageEvent {
	ev := &triggers.CustomMessageEvent{
		Header: triggers.Header{TriggerSource: src, UserName: "ana.lima"},
		Request: triggers.CustomMessageRequest{
			UserAttributes: triggers.Attributes{"given_name": "Ana", "family_name": "Lima", "email": "ana.lima@example.com", "locale": loc},
			CodeParameter:  "{####}",
			LinkParameter:  "{##Click Here##}",
		},
	}
	if src == triggers.CustomMessageAdminCreateUser {
		ev.Request.UsernameParameter = "{username}"
	}
	return ev
}
