package panel_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func intp(n int) *int { return &n }

func TestValidateQuotas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		qs      []panel.Quota
		wantErr string // part of the message; "" for valid
	}{
		{"valid", []panel.Quota{{Category: "gender", Value: "mann", Min: 24, Max: 26, MinFlex: intp(20), MaxFlex: intp(30)}}, ""},
		{"empty list", nil, ""},
		{"no category", []panel.Quota{{Value: "mann", Max: 1}}, "quota 1: category is required"},
		{"no value", []panel.Quota{{Category: "gender", Max: 1}}, "quota 1 (gender): value is required"},
		{"negative min", []panel.Quota{{Category: "g", Value: "v", Min: -1, Max: 1}}, "min must not be negative"},
		{"max below min", []panel.Quota{{Category: "g", Value: "v", Min: 2, Max: 1}}, "max 1 is below min 2"},
		{"min_flex above min", []panel.Quota{{Category: "g", Value: "v", Min: 2, Max: 3, MinFlex: intp(3)}}, "min_flex must be between 0 and min 2"},
		{"max_flex below max", []panel.Quota{{Category: "g", Value: "v", Min: 2, Max: 3, MaxFlex: intp(2)}}, "max_flex must be at least max 3"},
		{"repeat", []panel.Quota{{Category: "g", Value: "v", Max: 1}, {Category: "g", Value: "v", Max: 2}}, "quota 2 (g=v) repeats quota 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := panel.ValidateQuotas(tt.qs)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if panel.ErrorCode(err) != panel.EINVALID || !strings.Contains(panel.ErrorMessage(err), tt.wantErr) {
				t.Errorf("got %v, want EINVALID containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestMapAttributes(t *testing.T) {
	t.Parallel()
	rules := panel.DefaultAttributeRules()
	tests := []struct {
		name  string
		attrs map[string]string
		want  map[string]string
	}{
		{"age bands", map[string]string{"age": "18"}, map[string]string{"age": "18-29"}},
		{"band edge", map[string]string{"age": "29"}, map[string]string{"age": "18-29"}},
		{"next band", map[string]string{"age": "30"}, map[string]string{"age": "30-44"}},
		{"75 and older", map[string]string{"age": "101"}, map[string]string{"age": "75+"}},
		{"under 18 gets no band", map[string]string{"age": "17"}, map[string]string{}},
		{"birth year at 2026", map[string]string{"birth_year": "1997"}, map[string]string{"age": "18-29"}},
		{"birth year, 60", map[string]string{"birth_year": "1966"}, map[string]string{"age": "60-74"}},
		{"age wins over birth year", map[string]string{"age": "50", "birth_year": "2000"}, map[string]string{"age": "45-59"}},
		{"not a number", map[string]string{"age": "førti"}, map[string]string{}},
		{"copies lower-cased, spaces trimmed", map[string]string{"gender": " Kvinne ", "district": "Østbyen"},
			map[string]string{"gender": "kvinne", "district": "østbyen"}},
		{"column names in any case", map[string]string{"Gender": "mann", "AGE": "40"}, map[string]string{"gender": "mann", "age": "30-44"}},
		{"unknown columns are left out", map[string]string{"shoe_size": "44"}, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panel.MapAttributes(rules, tt.attrs, 2026); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCompose(t *testing.T) {
	t.Parallel()
	pool := []*panel.Volunteer{
		{Values: map[string]string{"gender": "kvinne", "age": "18-29"}},
		{Values: map[string]string{"gender": "kvinne", "age": "30-44"}},
		{Values: map[string]string{"gender": "mann"}},
	}
	quotas := []panel.Quota{
		{Category: "gender", Value: "mann", Min: 2, Max: 3},
		{Category: "gender", Value: "kvinne", Min: 1, Max: 3},
		{Category: "age", Value: "75+", Min: 1, Max: 1},
	}
	c := panel.Compose(pool, quotas)
	var values []string
	for _, v := range c.Values {
		values = append(values, v.String())
	}
	want := []string{"gender=mann: 1 of min 2", "gender=kvinne: 2 of min 1", "age=75+: 0 of min 1", "age=18-29: 1", "age=30-44: 1"}
	if !reflect.DeepEqual(values, want) {
		t.Errorf("got values %q, want %q", values, want)
	}
	if len(c.Unmet) != 2 || c.Unmet[0].Value != "mann" || c.Unmet[0].Short != 1 || c.Unmet[1].Value != "75+" || c.Unmet[1].Short != 1 {
		t.Errorf("got unmet %+v, want mann short 1 and 75+ short 1", c.Unmet)
	}
	if c.Volunteers != 3 || !reflect.DeepEqual(c.Missing, map[string]int{"age": 1}) {
		t.Errorf("got %d volunteers, missing %v, want 3 and one without age", c.Volunteers, c.Missing)
	}
	// Values match as the draw matches them: case and spaces do not count.
	folded := panel.Compose([]*panel.Volunteer{
		{Values: map[string]string{"district": "midtbyen"}},
		{Values: map[string]string{"District": " MIDTBYEN"}},
		{Values: map[string]string{"district": "heimdal"}},
	}, []panel.Quota{{Category: "district", Value: "Midtbyen", Min: 2, Max: 3}})
	values = nil
	for _, v := range folded.Values {
		values = append(values, v.String())
	}
	if want := []string{"district=Midtbyen: 2 of min 2", "district=heimdal: 1"}; !reflect.DeepEqual(values, want) || len(folded.Unmet) != 0 || folded.Missing != nil {
		t.Errorf("folded: got values %q unmet %+v missing %v, want %q, nothing unmet or missing", values, folded.Unmet, folded.Missing, want)
	}
	if empty := panel.Compose(nil, nil); empty.Volunteers != 0 || len(empty.Values) != 0 || empty.Unmet == nil {
		t.Errorf("got %+v for nothing, want zero counts and empty (not nil) lists", empty)
	}
}
