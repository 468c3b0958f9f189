package userapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Limits of the free-form data object.
const (
	// MaxDataBytes caps a data document, as sent and as stored after a merge.
	MaxDataBytes = 16 << 10
	// MaxDataDepth caps nesting: the data object itself is depth 1.
	MaxDataDepth = 8
	// maxBody caps every other request body.
	maxBody = 64 << 10
)

// readData reads a request body that must be a JSON object within the size
// and depth caps.
func readData(r *http.Request) (map[string]any, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, MaxDataBytes+1))
	if err != nil {
		return nil, badRequest("the body could not be read")
	}
	if len(b) > MaxDataBytes {
		return nil, badRequest(fmt.Sprintf("data is larger than %d bytes", MaxDataBytes),
			FieldError{Field: "data", Detail: fmt.Sprintf("at most %d bytes", MaxDataBytes)})
	}
	return parseData(b)
}

// parseData checks that b is one JSON object no deeper than MaxDataDepth.
func parseData(b []byte) (map[string]any, error) {
	if err := checkDepth(b); err != nil {
		return nil, err
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&v); err != nil {
		return nil, badRequest("the body is not valid JSON")
	}
	if dec.More() {
		return nil, badRequest("the body holds more than one JSON value")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest("data must be a JSON object", FieldError{Field: "data", Detail: "a JSON object ({…})"})
	}
	return m, nil
}

// checkDepth walks the tokens so a deeply nested document is refused before
// it is built.
func checkDepth(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	depth := 0
	for {
		t, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return badRequest("the body is not valid JSON")
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
			if depth > MaxDataDepth {
				return badRequest(fmt.Sprintf("data is nested deeper than %d levels", MaxDataDepth),
					FieldError{Field: "data", Detail: fmt.Sprintf("at most %d levels", MaxDataDepth)})
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// checkStoredSize refuses a merge whose result would exceed the cap.
func checkStoredSize(d map[string]any) error {
	b, err := json.Marshal(d)
	if err != nil {
		return badRequest("data is not representable as JSON")
	}
	if len(b) > MaxDataBytes {
		return badRequest(fmt.Sprintf("data would be larger than %d bytes after this change", MaxDataBytes),
			FieldError{Field: "data", Detail: fmt.Sprintf("at most %d bytes", MaxDataBytes)})
	}
	return nil
}

// decodeBody decodes a small JSON object body into v, refusing unknown fields.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("the body is not the expected JSON object: " + safeJSONErr(err))
	}
	return nil
}

// safeJSONErr describes a decoding error without echoing values.
func safeJSONErr(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q has the wrong type", te.Field)
	}
	if s := err.Error(); len(s) > 12 && s[:12] == "json: unknow" {
		return s
	}
	return "malformed JSON"
}
