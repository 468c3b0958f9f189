// Package portal embeds the built self-service portal (portal/dist, made by
// `npm ci && npx vite build` in this folder; `make portal`) so that
// `poolside serve` serves it under /portal/. A checkout that has not built it
// embeds only a placeholder, and Handler answers with how to build it.
package portal

import (
	"embed"
	"io/fs"
	"net/http"
	"os"
)

//go:embed all:dist
var dist embed.FS

// Built reports whether the embedded build holds the portal.
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}

// Handler serves the portal's files (paths relative to its root, e.g. after
// http.StripPrefix("/portal")). config.json comes from configFile when set:
// the pool, app client and API URL of this deployment.
func Handler(configFile string) http.Handler {
	root, _ := fs.Sub(dist, "dist")
	files := http.FileServerFS(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !Built() {
			http.Error(w, "the portal is not built: run `make portal` (npm ci && npx vite build in portal/), then rebuild poolside", http.StatusNotFound)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer") // the confirmation link's code stays here
		if r.URL.Path == "/config.json" && configFile != "" {
			b, err := os.ReadFile(configFile)
			if err != nil {
				http.Error(w, "portal configuration unreadable", http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			_, _ = w.Write(b)
			return
		}
		files.ServeHTTP(w, r)
	})
}
