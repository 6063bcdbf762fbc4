package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
)

// The NUL rule: no input may carry the character U+0000. PostgreSQL cannot
// store it in text, and no name, text, number or key needs it, so it is
// refused at the boundary, before any handler runs, with a 422 naming
// where it was: the query parameter, the path parameter, the form field,
// the JSON field (e.g. "meetings[0].title") or the body's line (a CSV
// cell). refuseNUL is that rule; the middleware refuseNULInput, the JSON
// decoders and the body reader nulGuard apply it. Twilio's webhooks are
// the one exception: an SMS is never refused for its content, so its text
// is cleaned instead (panel.CleanText) and its numbers are checked by
// InboundFromForm.

// refuseNUL returns the EINVALID error of the NUL rule when value holds
// U+0000, naming field; nil otherwise.
func refuseNUL(field, value string) error {
	if strings.IndexByte(value, 0) < 0 {
		return nil
	}
	return panel.Errorf(panel.EINVALID, "%s contains a NUL character (U+0000), which is not accepted", field)
}

// refuseNULInput applies the NUL rule to the query string, the path
// parameters and form fields of every request, and wraps the body of any
// other request so that a NUL byte in it (a CSV cell) fails its reading.
func (s *Server) refuseNULInput(c *gin.Context) {
	if err := checkNUL(c); err != nil {
		s.writeError(c, err)
		return
	}
	c.Next()
}

func checkNUL(c *gin.Context) error {
	r := c.Request
	if q, err := url.ParseQuery(r.URL.RawQuery); err == nil { // a malformed one is the handler's 400
		for name, vs := range q {
			if err := refuseNUL("a query parameter name", name); err != nil {
				return err
			}
			for _, v := range vs {
				if err := refuseNUL("query parameter "+name, v); err != nil {
					return err
				}
			}
		}
	}
	for _, p := range c.Params {
		if err := refuseNUL("path parameter "+p.Key, p.Value); err != nil {
			return err
		}
	}
	if r.Body == nil || r.Body == http.NoBody || strings.HasPrefix(c.FullPath(), "/webhooks/") {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "text/csv" || mt == "text/plain" {
		// A CSV file is decoded first (a UTF-16 file is full of NUL bytes)
		// and package csvfile refuses any control character in the text,
		// U+0000 among them, naming its line and column.
		return nil
	}
	if mt == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			return nil // the handler reports the malformed form
		}
		for name, vs := range r.PostForm {
			if err := refuseNUL("a form field name", name); err != nil {
				return err
			}
			for _, v := range vs {
				if err := refuseNUL("form field "+name, v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	r.Body = &nulGuard{body: r.Body, line: 1}
	return nil
}

// nulGuard passes a request body through, failing the read that meets a
// NUL byte with the NUL rule's error naming its line.
type nulGuard struct {
	body io.ReadCloser
	line int
	err  error
}

// Read implements io.Reader.
func (g *nulGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.body.Read(p)
	for i, b := range p[:n] {
		switch b {
		case '\n':
			g.line++
		case 0:
			g.err = refuseNUL("the request body at line "+strconv.Itoa(g.line), "\x00")
			return i, g.err
		}
	}
	return n, err
}

// Close closes the body.
func (g *nulGuard) Close() error { return g.body.Close() }

// nulError passes the NUL rule's error through a reader error that a
// decoder would otherwise call malformed.
func nulError(err error) (error, bool) {
	var pe *panel.Error
	if errors.As(err, &pe) && pe.Code == panel.EINVALID && strings.Contains(pe.Message, "NUL character") {
		return pe, true
	}
	return nil, false
}

// refuseNULIn applies the NUL rule to every string in v, a decoded JSON
// value, naming the first offending one by its JSON path.
func refuseNULIn(v any) error {
	if path, ok := nulPath(reflect.ValueOf(v), ""); ok {
		if path == "" {
			path = "the body"
		}
		return refuseNUL(path, "\x00")
	}
	return nil
}

// nulPath finds a string holding U+0000 in v and returns its JSON path.
func nulPath(v reflect.Value, path string) (string, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", false
		}
		return nulPath(v.Elem(), path)
	case reflect.String:
		return path, strings.IndexByte(v.String(), 0) >= 0
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			sub := join(path, name)
			if f.Anonymous && f.Tag.Get("json") == "" {
				sub = path
			}
			if p, ok := nulPath(v.Field(i), sub); ok {
				return p, true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if p, ok := nulPath(v.Index(i), path+"["+strconv.Itoa(i)+"]"); ok {
				return p, true
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			key := iter.Key()
			if key.Kind() == reflect.String && strings.IndexByte(key.String(), 0) >= 0 {
				return join(path, "(a key)"), true
			}
			if p, ok := nulPath(iter.Value(), join(path, key.String())); ok {
				return p, true
			}
		}
	}
	return "", false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
