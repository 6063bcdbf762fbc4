package sortition_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// TestCommitmentIndependently recomputes the commitment from the record's
// JSON text the way an auditor would, following only the package documentation.
func TestCommitmentIndependently(t *testing.T) {
	t.Parallel()
	for _, alg := range algorithms {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			pool, quotas := synthInstance(t, 40, 8, true, 4)
			quotas[0].Value = "<kvinne & co>" // characters JSON encoders like to escape
			for i := range pool.People {
				if pool.People[i].Values["gender"] == "kvinne" {
					pool.People[i].Values["gender"] = quotas[0].Value
				}
			}
			rec := prepare(t, pool, quotas, sortition.Params{Seats: 8, Reserves: 2, Algorithm: alg, Panels: 20})
			before := rec.Commitment
			if err := rec.Draw("audit"); err != nil {
				t.Fatal(err)
			}
			if rec.Commitment != before {
				t.Fatalf("Draw changed the commitment")
			}
			var buf bytes.Buffer
			if err := sortition.WriteRecord(&buf, rec); err != nil {
				t.Fatal(err)
			}
			b := buf.Bytes()
			var fields map[string]json.RawMessage
			if err := json.Unmarshal(b, &fields); err != nil {
				t.Fatal(err)
			}
			order := []string{"format", "software", "algorithm", "seats", "reserves_count", "household_columns", "panels_count", "legacy_attempts",
				"quotas", "pool", "lottery", "probabilities", "min_probability", "optimal_min_probability", "max_deviation"}
			var lines bytes.Buffer
			for _, f := range order {
				var compact bytes.Buffer
				if err := json.Compact(&compact, fields[f]); err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(compact.Bytes())
				fmt.Fprintf(&lines, "%s %s\n", f, hex.EncodeToString(sum[:]))
			}
			sum := sha256.Sum256(lines.Bytes())
			if got, want := "sha256:"+hex.EncodeToString(sum[:]), rec.Commitment; got != want {
				t.Errorf("got commitment %s from the JSON text, want %s", got, want)
			}
		})
	}
}

func TestCanonicalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "sorted keys, no spaces", in: map[string]any{"b": 1, "a": []int{1, 2}}, want: `{"a":[1,2],"b":1}`},
		{name: "no html escaping", in: "<a&b>", want: `"<a&b>"`},
		{name: "shortest floats", in: []float64{0.1, 1.0 / 3, 1e-7, 0.135}, want: `[0.1,0.3333333333333333,1e-7,0.135]`},
		{name: "non-ASCII kept", in: "Østbyen", want: `"Østbyen"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := sortition.CanonicalJSON(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
