package portal

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHandler(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.json")
	require.NoError(t, os.WriteFile(cfg, []byte(`{"userPoolId":"local_x"}`), 0o600))
	h := Handler(cfg)
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w
	}
	if !Built() {
		w := get("/")
		assert.Equal(t, http.StatusNotFound, w.Code)
		assert.Contains(t, w.Body.String(), "make portal")
		return
	}
	w := get("/")
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), `<label for="su-email">Email</label>`)
	w = get("/config.json")
	assert.JSONEq(t, `{"userPoolId":"local_x"}`, w.Body.String(), "the deployment's file, not the placeholder")
	assert.True(t, strings.HasPrefix(get("/index.html").Header().Get("Location"), "./"), "index.html redirects to the folder")
}
