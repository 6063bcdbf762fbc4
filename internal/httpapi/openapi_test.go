package httpapi

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// openAPIDoc is the part of the document the test checks.
type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

type openAPIOperation struct {
	OperationID string                     `json:"operationId"`
	Security    *[]map[string][]string     `json:"security"`
	Responses   map[string]json.RawMessage `json:"responses"`
}

// TestOpenAPIMatchesRoutes fails when a registered route is missing from
// the document or the document lists a route that does not exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := setup(t, nil)
	r := e.do(t, "GET", "/api/v1/openapi.json", "", nil)
	if r.status != 200 {
		t.Fatalf("GET openapi.json: got %d, want 200", r.status)
	}
	var doc openAPIDoc
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0") {
		t.Errorf("openapi: got %q, want 3.0.x", doc.OpenAPI)
	}
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	var registered []string
	for _, rt := range e.s.engine.Routes() {
		if slices.Contains(consoleRoutes, rt.Path) {
			continue // the console's pages are not part of the API
		}
		registered = append(registered, strings.ToLower(rt.Method)+" "+param.ReplaceAllString(rt.Path, "{$1}"))
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			if method == "parameters" {
				continue
			}
			documented = append(documented, method+" "+path)
			var op openAPIOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Errorf("%s %s: %v", method, path, err)
				continue
			}
			if op.OperationID == "" || len(op.Responses) == 0 {
				t.Errorf("%s %s: want an operationId and responses", method, path)
			}
			public := op.Security != nil && len(*op.Security) == 0
			if wantPublic := !strings.HasPrefix(path, "/api/v1/") || path == "/api/v1/openapi.json"; public != wantPublic {
				t.Errorf("%s %s: public (security: []) got %t, want %t", method, path, public, wantPublic)
			}
			if _, ok := op.Responses["401"]; strings.HasPrefix(path, "/api/v1/") && !public && !ok {
				t.Errorf("%s %s: a route behind a token must document 401", method, path)
			}
		}
	}
	for _, rt := range registered {
		if !slices.Contains(documented, rt) {
			t.Errorf("route %q is registered but not in openapi.json", rt)
		}
	}
	for _, d := range documented {
		if !slices.Contains(registered, d) {
			t.Errorf("openapi.json documents %q, which is not a registered route", d)
		}
	}
}
