package userapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/poolside-io/poolside/profilestore"
)

// Problem is an RFC 9457 problem document: every error the API answers.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Errors lists the fields at fault (400 only).
	Errors []FieldError `json:"errors,omitempty"`
}

// FieldError names one invalid field of the request.
type FieldError struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

// problemBase prefixes each problem type: a URN names the kind of problem
// (unauthenticated, forbidden, invalid-request, precondition-failed…) without
// promising a page to fetch (RFC 9457 §3.1.1).
const problemBase = "urn:poolside:problem:"

func problem(status int, kind, detail string) *Problem {
	return &Problem{Type: problemBase + kind, Title: http.StatusText(status), Status: status, Detail: detail}
}

// The problems handlers return.
func badRequest(detail string, fields ...FieldError) *Problem {
	p := problem(http.StatusBadRequest, "invalid-request", detail)
	p.Errors = fields
	return p
}
func unauthorized(detail string) *Problem {
	return problem(http.StatusUnauthorized, "unauthenticated", detail)
}
func forbidden(detail string) *Problem { return problem(http.StatusForbidden, "forbidden", detail) }
func notFound(detail string) *Problem  { return problem(http.StatusNotFound, "not-found", detail) }
func conflict(detail string) *Problem  { return problem(http.StatusConflict, "conflict", detail) }
func preconditionFailed(detail string) *Problem {
	return problem(http.StatusPreconditionFailed, "precondition-failed", detail)
}

// toProblem is the one place an error becomes what the caller reads: known
// errors keep their meaning, anything else is a 500 with no internals.
func toProblem(err error) *Problem {
	var p *Problem
	switch {
	case errors.As(err, &p):
		return p
	case errors.Is(err, errVersion):
		return preconditionFailed("the profile changed since the ETag you sent; read it again")
	case errors.Is(err, profilestore.ErrNotFound):
		return notFound("no such user")
	case errors.Is(err, profilestore.ErrExists):
		return conflict("that email or handle belongs to another user")
	case errors.Is(err, profilestore.ErrConflict):
		return problem(http.StatusConflict, "conflict", "the profile is being changed by another request; retry")
	case errors.Is(err, profilestore.ErrInvalid):
		return badRequest("the change is not valid")
	case errors.Is(err, ErrToken):
		return unauthorized(err.Error())
	}
	return problem(http.StatusInternalServerError, "internal", "the request could not be completed; retry later")
}

func writeProblem(w http.ResponseWriter, p *Problem) {
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="poolside"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
