package columns_test

import (
	"os"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/columns"
)

// TestREADMEListsEveryHeader keeps the README's table of recognised
// headers in step with the code.
func TestREADMEListsEveryHeader(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "## Files organisers import")
	if !ok {
		t.Fatal("README has no section Files organisers import")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for name, headers := range columns.Known() {
		i := strings.Index(section, "| `"+name+"` |")
		if i < 0 {
			t.Errorf("README: no row for %s", name)
			continue
		}
		row, _, _ := strings.Cut(section[i:], "\n")
		for _, h := range headers {
			if !strings.Contains(row, " "+h+",") && !strings.HasSuffix(strings.TrimSuffix(row, " |"), " "+h) {
				t.Errorf("README: the %s row does not list %q", name, h)
			}
		}
	}
}
