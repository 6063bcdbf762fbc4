package export_test

import (
	"testing"

	"github.com/citizenspanel/panel/internal/export"
)

func TestNeutralize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"Østbyen", "Østbyen"},
		{"=1+2", "'=1+2"},
		{"+1+2", "'+1+2"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"+4791234567", "+4791234567"},        // E.164: left alone
		{"+47 912 34 567", "'+47 912 34 567"}, // not E.164
		{"+4791234567=1", "'+4791234567=1"},
		{"18-29", "18-29"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := export.Neutralize(tt.in); got != tt.want {
			t.Errorf("Neutralize(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, what, format string
		ok                 bool
	}{
		{"panel.csv", export.Panel, export.CSV, true},
		{"absences.xlsx", export.Absences, export.XLSX, true},
		{"failed.xlsx", export.Failed, export.XLSX, true},
		{"panel", "", "", false},
		{"panel.pdf", "", "", false},
		{"votes.csv", "", "", false},
		{"panel.csv.xlsx", "", "", false},
	}
	for _, tt := range tests {
		what, format, err := export.ParseName(tt.name)
		if (err == nil) != tt.ok || what != tt.what || format != tt.format {
			t.Errorf("ParseName(%q): got %q, %q, %v; want %q, %q, ok %t", tt.name, what, format, err, tt.what, tt.format, tt.ok)
		}
	}
}
