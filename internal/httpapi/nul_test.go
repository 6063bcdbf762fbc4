package httpapi

import (
	"io"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestRefuseNULNamesTheField(t *testing.T) {
	type meeting struct {
		Title string  `json:"title"`
		Place *string `json:"place,omitempty"`
	}
	place := "x\x00"
	tests := []struct {
		name string
		v    any
		want string // "" for no error
	}{
		{"clean", &struct{ Name string }{"ok"}, ""},
		{"top level", &struct {
			Name string `json:"name"`
		}{"a\x00"}, "name contains a NUL"},
		{"pointer in a slice", &struct {
			Meetings []meeting `json:"meetings"`
		}{[]meeting{{Title: "ok"}, {Title: "ok", Place: &place}}}, "meetings[1].place contains"},
		{"map value", &struct {
			Attrs map[string]string `json:"attrs"`
		}{map[string]string{"gender": "\x00"}}, "attrs.gender contains"},
		{"map key", &map[string]string{"a\x00": "x"}, "(a key) contains"},
		{"array body", &[]panel.Quota{{Category: "gender", Value: "k\x00"}}, "[0]."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := refuseNULIn(tt.v)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(panel.ErrorMessage(err), tt.want) {
				t.Errorf("got %v, want invalid saying %q", err, tt.want)
			}
		})
	}
}

func TestNULGuardNamesTheLine(t *testing.T) {
	g := &nulGuard{body: io.NopCloser(strings.NewReader("a,b\nc,d\ne,\x00f\n")), line: 1}
	_, err := io.ReadAll(g)
	if panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(panel.ErrorMessage(err), "line 3") {
		t.Errorf("got %v, want invalid naming line 3", err)
	}
	if _, err := io.ReadAll(&nulGuard{body: io.NopCloser(strings.NewReader("a\nb\n")), line: 1}); err != nil {
		t.Errorf("clean body: got %v", err)
	}
}
