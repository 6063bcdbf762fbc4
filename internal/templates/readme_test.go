package templates_test

import (
	"os"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/templates"
)

// TestREADMEListsEveryTemplate keeps the README's tables of template keys
// and placeholders in step with the catalogue.
func TestREADMEListsEveryTemplate(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "## Message templates")
	if !ok {
		t.Fatal("README has no section Message templates")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for _, e := range templates.Catalogue() {
		if !strings.Contains(section, "| `"+e.Key+"` |") {
			t.Errorf("README: no row for template %s", e.Key)
		}
		for _, p := range e.Placeholders {
			if !strings.Contains(section, "| `{"+p.Name+"}` |") || !strings.Contains(section, "`"+p.Example+"`") {
				t.Errorf("README: placeholder {%s} or its example %q is missing", p.Name, p.Example)
			}
		}
	}
}
