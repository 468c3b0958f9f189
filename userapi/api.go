package userapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/poolside-io/poolside/profilestore"
	"github.com/poolside-io/poolside/triggers"
	"github.com/poolside-io/poolside/triggers/signup"
)

// Profiles is what the API needs of the profile store.
type Profiles interface {
	profilestore.Reader
	// Ensure returns the profile with p.ID, creating it when absent.
	Ensure(ctx context.Context, p profilestore.Profile) (profilestore.Profile, bool, error)
	// Update applies change and stores the result; an error from change is returned as is.
	// ErrNotFound, ErrConflict.
	Update(ctx context.Context, id string, change func(*profilestore.Profile) error) (profilestore.Profile, error)
	// Delete removes the profile and its email and handle guards. ErrNotFound.
	Delete(ctx context.Context, id string) error
}

// API is the User API: the caller's profile for users, user management for
// machines. Handler serves it; the Lambda adapter answers API Gateway with it.
type API struct {
	Profiles Profiles
	// Cognito and UserPoolID serve the routes that change Cognito users
	// (POST /users, suspension, DELETE); nil answers them 503.
	Cognito    Cognito
	UserPoolID string
	// Verifier checks Bearer tokens; nil accepts only authorizer claims and API keys.
	Verifier *Verifier
	// Keys are the accepted x-api-key digests.
	Keys APIKeys
	// SignUp is the PreSignUp policy POST /users applies.
	SignUp signup.Policy
	// Policy fills new profiles (tenant, defaults) as the triggers do.
	Policy triggers.ProfilePolicy
	Log    *slog.Logger
}

// Handler routes on method and path (paths without the /api prefix).
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /me", a.userOnly(a.getMe))
	mux.HandleFunc("PUT /me/data", a.userOnly(a.putMeData))
	mux.HandleFunc("PATCH /me/data", a.userOnly(a.patchMeData))
	mux.HandleFunc("PATCH /me/preferences", a.userOnly(a.patchMePreferences))
	mux.HandleFunc("POST /users", a.adminOnly(a.createUser))
	mux.HandleFunc("GET /users", a.adminOnly(a.findUsers))
	mux.HandleFunc("GET /users/{id}", a.adminOnly(a.getUser))
	mux.HandleFunc("PATCH /users/{id}", a.adminOnly(a.patchUser))
	mux.HandleFunc("DELETE /users/{id}", a.adminOnly(a.deleteUser))
	mux.HandleFunc("PUT /users/{id}/data", a.adminOnly(a.putUserData))
	mux.HandleFunc("PATCH /users/{id}/data", a.adminOnly(a.patchUserData))
	mux.HandleFunc("POST /users/{id}/badges/{name}", a.adminOnly(a.addBadge))
	mux.HandleFunc("DELETE /users/{id}/badges/{name}", a.adminOnly(a.removeBadge))
	mux.HandleFunc("POST /tokens/verify", a.adminOnly(a.verifyToken))
	return muxErrorsAsProblems(mux)
}

// muxErrorsAsProblems turns the mux's plain-text 404 and 405 into problem documents.
func muxErrorsAsProblems(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&muxProblem{ResponseWriter: w, r: r}, r)
	})
}

type muxProblem struct {
	http.ResponseWriter
	r        *http.Request
	replaced bool
}

func (p *muxProblem) WriteHeader(status int) {
	plain := !strings.HasPrefix(p.Header().Get("Content-Type"), "application/")
	switch {
	case plain && status == http.StatusMethodNotAllowed:
		p.replaced = true
		writeProblem(p.ResponseWriter, problem(status, "method-not-allowed", p.r.Method+" is not allowed on "+p.r.URL.Path))
		return
	case plain && status == http.StatusNotFound:
		p.replaced = true
		writeProblem(p.ResponseWriter, notFound("no route "+p.r.Method+" "+p.r.URL.Path))
		return
	}
	p.ResponseWriter.WriteHeader(status)
}

func (p *muxProblem) Write(b []byte) (int, error) {
	if p.replaced {
		return len(b), nil
	}
	return p.ResponseWriter.Write(b)
}

func (a *API) logger() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}

// fail answers err as a problem document and logs it (never a token or body).
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := toProblem(err)
	level := slog.LevelInfo
	if p.Status >= 500 {
		level = slog.LevelError
	}
	a.logger().Log(r.Context(), level, "api", "method", r.Method, "path", r.URL.Path, "status", p.Status, "error", err.Error())
	writeProblem(w, p)
}

// errVersion: the profile's version is not the one If-Match named.
var errVersion = errors.New("profile version does not match If-Match")

// etag is a profile's entity tag: its version.
func etag(p profilestore.Profile) string { return `"` + strconv.FormatInt(p.Version, 10) + `"` }

// ifMatch reads If-Match: -1 when absent or "*", else the version it names.
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return -1, nil
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || !strings.HasPrefix(h, `"`) {
		return 0, badRequest(`If-Match must be an ETag this API sent (e.g. "3")`)
	}
	return v, nil
}

// update runs change on the profile when its version is the If-Match one
// (checked inside the store's compare-and-set, so concurrent edits cannot
// both win) and answers the new profile.
func (a *API) update(w http.ResponseWriter, r *http.Request, id string, change func(*profilestore.Profile) error) (profilestore.Profile, error) {
	want, err := ifMatch(r)
	if err != nil {
		return profilestore.Profile{}, err
	}
	p, err := a.Profiles.Update(r.Context(), id, func(p *profilestore.Profile) error {
		if want >= 0 && p.Version != want {
			return errVersion
		}
		return change(p)
	})
	if err != nil {
		return profilestore.Profile{}, err
	}
	writeProfile(w, http.StatusOK, p)
	return p, nil
}

func writeProfile(w http.ResponseWriter, status int, p profilestore.Profile) {
	w.Header().Set("ETag", etag(p))
	writeJSON(w, status, p)
}
