package drawcli

import (
	"fmt"
	"os"
	"strings"

	"github.com/citizenspanel/panel/internal/csvfile"
	"github.com/citizenspanel/panel/sortition"
)

// readQuotas parses a quota file (any encoding and separator csvfile reads).
func readQuotas(path string) ([]sortition.Quota, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open quota file: %w", err)
	}
	defer f.Close()
	norm, err := csvfile.Normalize(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sortition.ParseQuotas(norm, path)
}

// readPeople parses a respondents file against quotas (any encoding and
// separator csvfile reads).
func readPeople(path string, opts sortition.PeopleOptions) (*sortition.Pool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open respondents file: %w", err)
	}
	defer f.Close()
	norm, err := csvfile.Normalize(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sortition.ParsePeople(norm, path, opts)
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
