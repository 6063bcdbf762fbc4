package httpapi

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMergeOpenAPIPart(t *testing.T) {
	t.Parallel()
	base := `{"paths":{"/a":{"get":{"operationId":"getA"}}},"components":{"schemas":{"A":{}}},"tags":[{"name":"a"}]}`
	tests := []struct {
		name, part, wantErr string
	}{
		{"new path", `{"paths":{"/b":{"get":{}}}}`, ""},
		{"new method on a known path", `{"paths":{"/a":{"post":{}}}}`, ""},
		{"new schema and tag", `{"components":{"schemas":{"B":{}}},"tags":[{"name":"b"}]}`, ""},
		{"operation twice", `{"paths":{"/a":{"get":{}}}}`, "paths./a.get defined twice"},
		{"schema twice", `{"components":{"schemas":{"A":{}}}}`, "components.schemas.A defined twice"},
		{"tag twice", `{"tags":[{"name":"a"}]}`, "tag a defined twice"},
		{"unknown key", `{"info":{}}`, `unexpected top-level key "info"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var doc, part map[string]any
			if err := json.Unmarshal([]byte(base), &doc); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tt.part), &part); err != nil {
				t.Fatal(err)
			}
			err := mergeOpenAPIPart(doc, part)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestBuildOpenAPIHasEveryPart(t *testing.T) {
	t.Parallel()
	raw, err := buildOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI == "" || doc.Paths["/api/v1/campaigns"] == nil {
		t.Errorf("merged document lacks the base: openapi %q, %d paths", doc.OpenAPI, len(doc.Paths))
	}
}
