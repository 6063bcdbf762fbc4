package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
)

// decodeJSON reads exactly one JSON object from r's body into v. Syntax
// errors, an empty body and trailing data are malformed requests (400); a
// well-formed body with an unknown field or a value of the wrong type is
// invalid content (422) naming the field; a body over the limit is 413.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return &httpError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedType,
				message: fmt.Sprintf("Content-Type must be application/json, got %q", ct)}
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge(mbe.Limit)
		}
		if nul, ok := nulError(err); ok {
			return nul
		}
		return errMalformed("request body must hold one JSON object and nothing after it")
	}
	return refuseNULIn(v)
}

// jsonError classifies an error of json.Decoder.Decode.
func jsonError(err error) error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		ute *json.UnmarshalTypeError
	)
	if nul, ok := nulError(err); ok {
		return nul
	}
	switch {
	case errors.As(err, &mbe):
		return errTooLarge(mbe.Limit)
	case errors.Is(err, io.EOF):
		return errMalformed("request body is empty; a JSON object is expected")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errMalformed("malformed JSON: the body ends in the middle of a value")
	case errors.As(err, &se):
		return errMalformed("malformed JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &ute):
		if ute.Field == "" {
			return errMalformed("request body must be a JSON object, got JSON %s", ute.Value)
		}
		return panel.Errorf(panel.EINVALID, "%s must be %s, got JSON %s", ute.Field, jsonKind(ute.Type.Kind().String()), ute.Value)
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return panel.Errorf(panel.EINVALID, "unknown field %s", field)
	}
	return errMalformed("malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names a Go kind the way a JSON user thinks of it.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "float64", "float32", "int", "int64", "int32":
		return "a number"
	case "bool":
		return "true or false"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	case "ptr":
		return "a value"
	}
	return "a " + kind
}

// query holds the parsed query parameters of a request and checks that no
// unknown parameter was given.
type query struct {
	values url.Values
}

// parseQuery reads r's query string, refusing parameters not in allowed
// (422, naming the first unknown one) and malformed query strings (400).
func parseQuery(r *http.Request, allowed ...string) (query, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return query{}, errMalformed("malformed query string")
	}
	for name := range v {
		ok := false
		for _, a := range allowed {
			ok = ok || a == name
		}
		if !ok {
			return query{}, panel.Errorf(panel.EINVALID, "unknown query parameter %q; known: %s", name, strings.Join(allowed, ", "))
		}
	}
	return query{values: v}, nil
}

// str returns the single value of name, or def when absent.
func (q query) str(name, def string) (string, error) {
	vs, ok := q.values[name]
	if !ok {
		return def, nil
	}
	if len(vs) > 1 {
		return "", panel.Errorf(panel.EINVALID, "query parameter %s is given %d times; give it once", name, len(vs))
	}
	return vs[0], nil
}

// intIn returns the integer value of name, def when absent; a value that is
// not an integer is 400, one outside [lo, hi] is 422.
func (q query) intIn(name string, def, lo, hi int64) (int64, error) {
	s, err := q.str(name, "")
	if err != nil {
		return 0, err
	}
	if _, ok := q.values[name]; !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errMalformed("query parameter %s must be an integer, got %q", name, s)
	}
	if n < lo || n > hi {
		return 0, panel.Errorf(panel.EINVALID, "query parameter %s must be from %d to %d, got %d", name, lo, hi, n)
	}
	return n, nil
}

// pathID parses the path parameter name as a positive integer id (400
// naming it otherwise).
func pathID(value, name string) (int64, error) {
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil || n <= 0 {
		return 0, errMalformed("%s must be a positive integer, got %q", name, value)
	}
	return n, nil
}
