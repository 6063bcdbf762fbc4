package drawcli

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/citizenspanel/panel/sortition"
)

// readUTF8 reads a CSV file and refuses one that is not UTF-8 (for example
// Windows-1252, Norwegian Excel's default), so that it is never half-read.
func readUTF8(path, what string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("open %s file: %w", what, err)
	}
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("%s: the file is not UTF-8: save it as CSV UTF-8", path)
	}
	return b, nil
}

// readQuotas parses a quota file.
func readQuotas(path string) ([]sortition.Quota, error) {
	b, err := readUTF8(path, "quota")
	if err != nil {
		return nil, err
	}
	return sortition.ParseQuotas(bytes.NewReader(b), path)
}

// readPeople parses a respondents file against quotas.
func readPeople(path string, opts sortition.PeopleOptions) (*sortition.Pool, error) {
	b, err := readUTF8(path, "respondents")
	if err != nil {
		return nil, err
	}
	return sortition.ParsePeople(bytes.NewReader(b), path, opts)
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
