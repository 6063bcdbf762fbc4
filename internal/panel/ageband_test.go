package panel_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestParseAgeBands(t *testing.T) {
	tests := []struct {
		name   string
		labels []string
		want   []panel.Band
		errHas string
	}{
		{"default", []string{"18-29", "30-44", "45-59", "60-74", "75+"}, panel.DefaultAgeBands(), ""},
		{"spaces dropped", []string{" 18 - 39", "40 +"}, []panel.Band{{Min: 18, Max: 39, Value: "18-39"}, {Min: 40, Value: "40+"}}, ""},
		{"from 16", []string{"16-17", "18-64", "65+"}, []panel.Band{{Min: 16, Max: 17, Value: "16-17"}, {Min: 18, Max: 64, Value: "18-64"}, {Min: 65, Value: "65+"}}, ""},
		{"one open band", []string{"18+"}, []panel.Band{{Min: 18, Value: "18+"}}, ""},
		{"empty", nil, nil, "age_bands must list at least one band"},
		{"starts after 18", []string{"20-39", "40+"}, nil, `age_bands[0] "20-39" starts at 20`},
		{"overlap", []string{"18-44", "44-59", "60+"}, nil, `age_bands[1] "44-59" overlaps or comes before "18-44"`},
		{"out of order", []string{"18-29", "60+", "30-59"}, nil, `age_bands[1] "60+" leaves ages 30-59 in no band`},
		{"open band not last", []string{"18+", "30-59"}, nil, `age_bands[0] "18+" is open-ended but is not the last band`},
		{"descending", []string{"18-59", "30-44", "60+"}, nil, `age_bands[1] "30-44" overlaps or comes before "18-59"`},
		{"gap", []string{"18-29", "31-44", "45+"}, nil, `age_bands[1] "31-44" leaves ages 30-30 in no band`},
		{"closed last", []string{"18-29", "30-99"}, nil, `must be open-ended, e.g. "30+"`},
		{"backwards band", []string{"29-18", "30+"}, nil, "ends (18) before it starts (29)"},
		{"not a band", []string{"young", "30+"}, nil, `age_bands[0] "young": write a band as "A-B" or "A+"`},
		{"not a number", []string{"18-x", "30+"}, nil, "with ages from 0 to 130"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := panel.ParseAgeBands(tt.labels)
			if tt.errHas != "" {
				if err == nil || panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(panel.ErrorMessage(err), tt.errHas) {
					t.Fatalf("got %v, %v; want EINVALID containing %q", got, err, tt.errHas)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestDialogueWithAgeBands(t *testing.T) {
	bands, err := panel.ParseAgeBands([]string{"18-34", "35-69", "70-79", "80+"})
	if err != nil {
		t.Fatal(err)
	}
	d := panel.DefaultDialogue().WithAgeBands(bands)
	for _, tt := range []struct {
		attrs map[string]string
		want  string
	}{
		{map[string]string{"age": "34"}, "18-34"},
		{map[string]string{"age": "76"}, "70-79"},
		{map[string]string{"birth_year": "1940"}, "80+"},
		{map[string]string{"birth_year": "1990"}, "35-69"},
	} {
		if got := panel.MapAttributes(d.Attributes, tt.attrs, 2026)["age"]; got != tt.want {
			t.Errorf("%v: got age %q, want %q", tt.attrs, got, tt.want)
		}
	}
	if got := panel.MapAttributes(panel.DefaultDialogue().Attributes, map[string]string{"age": "34"}, 2026)["age"]; got != "30-44" {
		t.Errorf("the default dialogue changed: got %q, want 30-44", got)
	}
}
