package httpapi

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"

	"github.com/gin-gonic/gin"
)

// openAPIFiles hold the OpenAPI document in parts: base.json has the info,
// the security schemes and the shared schemas; every other file adds the
// paths (and schemas and tags) of one area of the API. A test keeps the
// merged document in step with the routes actually registered.
//
//go:embed openapi/*.json
var openAPIFiles embed.FS

// openAPI serves the OpenAPI 3.0 document; no token is needed.
func (s *Server) openAPI(c *gin.Context) error {
	c.Data(http.StatusOK, "application/json", s.openAPIDoc)
	return nil
}

// buildOpenAPI merges the parts in openapi/ into one document. A path,
// operation, schema, response or tag defined in two parts is an error, so
// parts cannot silently override each other.
func buildOpenAPI() ([]byte, error) {
	names, err := fs.Glob(openAPIFiles, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var doc map[string]any
	for _, name := range names {
		raw, err := openAPIFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := json.Unmarshal(raw, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if path.Base(name) == "base.json" {
			if doc != nil {
				return nil, fmt.Errorf("%s: read twice", name)
			}
			doc = part
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("openapi/base.json is missing")
	}
	for _, name := range names {
		if path.Base(name) == "base.json" {
			continue
		}
		raw, _ := openAPIFiles.ReadFile(name)
		var part map[string]any
		if err := json.Unmarshal(raw, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := mergeOpenAPIPart(doc, part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeOpenAPIPart adds part's paths, components and tags to doc.
func mergeOpenAPIPart(doc, part map[string]any) error {
	for key := range part {
		switch key {
		case "paths", "components", "tags":
		default:
			return fmt.Errorf("unexpected top-level key %q (a part may hold paths, components and tags)", key)
		}
	}
	if err := mergeObjects("paths", object(doc, "paths"), asObject(part["paths"]), 2); err != nil {
		return err
	}
	if err := mergeObjects("components", object(doc, "components"), asObject(part["components"]), 2); err != nil {
		return err
	}
	if tags, ok := part["tags"].([]any); ok {
		existing, _ := doc["tags"].([]any)
		seen := map[any]bool{}
		for _, t := range existing {
			seen[asObject(t)["name"]] = true
		}
		for _, t := range tags {
			if seen[asObject(t)["name"]] {
				return fmt.Errorf("tag %v defined twice", asObject(t)["name"])
			}
			existing = append(existing, t)
		}
		doc["tags"] = existing
	}
	return nil
}

// mergeObjects copies src into dst, descending depth levels (paths → path →
// operation; components → kind → name) and refusing to overwrite a leaf.
func mergeObjects(where string, dst, src map[string]any, depth int) error {
	for k, v := range src {
		prev, exists := dst[k]
		if !exists {
			dst[k] = v
			continue
		}
		if depth <= 1 {
			return fmt.Errorf("%s.%s defined twice", where, k)
		}
		pm, ok1 := prev.(map[string]any)
		vm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 {
			return fmt.Errorf("%s.%s defined twice", where, k)
		}
		if err := mergeObjects(where+"."+k, pm, vm, depth-1); err != nil {
			return err
		}
	}
	return nil
}

// object returns doc[key] as an object, creating it when absent.
func object(doc map[string]any, key string) map[string]any {
	m, ok := doc[key].(map[string]any)
	if !ok {
		m = map[string]any{}
		doc[key] = m
	}
	return m
}

func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
