package sortition_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// mutation is one edited copy of a record's JSON.
type mutation struct {
	path  string // e.g. "pool[3].values.gender"
	field string // the top-level field edited
	doc   any
}

// mutations returns every single-value edit of doc: each string, number, bool
// and null changed, each object key renamed, one element appended to each
// array and one key added to each object.
func mutations(doc any) []mutation {
	var out []mutation
	var walk func(v any, path, field string, set func(any) any)
	walk = func(v any, path, field string, set func(any) any) {
		add := func(nv any, what string) {
			out = append(out, mutation{path: path + what, field: field, doc: set(nv)})
		}
		switch x := v.(type) {
		case string:
			add(x+"~", "")
		case json.Number:
			if strings.ContainsAny(x.String(), ".eE") {
				f, _ := x.Float64()
				add(json.Number(fmt.Sprint(f+0.5)), "")
			} else {
				i, _ := x.Int64()
				add(json.Number(fmt.Sprint(i+1)), "")
			}
		case bool:
			add(!x, "")
		case nil:
			add(json.Number("0"), "")
		case []any:
			extra := any("x~")
			if len(x) > 0 {
				extra = x[0]
			}
			add(append(append([]any(nil), x...), extra), " (appended)")
			for i := range x {
				walk(x[i], fmt.Sprintf("%s[%d]", path, i), field, func(nv any) any {
					c := append([]any(nil), x...)
					c[i] = nv
					return set(c)
				})
			}
		case map[string]any:
			c := copyMap(x)
			c["zz~"] = json.Number("0")
			add(c, ".zz~ (added)")
			for k := range x {
				f := field
				if f == "" {
					f = k
				}
				p := path + "." + k
				if path == "" {
					p = k
				}
				r := copyMap(x)
				r[k+"~"] = r[k]
				delete(r, k)
				out = append(out, mutation{path: p + " (renamed)", field: f, doc: set(r)})
				walk(x[k], p, f, func(nv any) any {
					c := copyMap(x)
					c[k] = nv
					return set(c)
				})
			}
		}
	}
	walk(doc, "", "", func(v any) any { return v })
	return out
}

func copyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// decodeStrict decodes a record as panel verify does.
func decodeStrict(b []byte) (*sortition.Record, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	rec := &sortition.Record{}
	return rec, dec.Decode(rec)
}

func TestTamperedRecordsFail(t *testing.T) {
	t.Parallel()
	for _, alg := range algorithms {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			pool, quotas := synthInstance(t, 24, 6, true, 5)
			rec := prepare(t, pool, quotas, sortition.Params{Seats: 6, Reserves: 3, Algorithm: alg, Panels: 8})
			if err := rec.Draw("tamper"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := sortition.Replace(rec, rec.Selected[0], nil); err != nil {
				t.Fatal(err)
			}
			mustVerify(t, rec)
			b, _ := json.Marshal(rec)
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.UseNumber()
			var doc any
			if err := dec.Decode(&doc); err != nil {
				t.Fatal(err)
			}
			muts := mutations(doc)
			if len(muts) < 200 {
				t.Fatalf("got %d mutations, want a few hundred", len(muts))
			}
			for _, m := range muts {
				mb, _ := json.Marshal(m.doc)
				r, err := decodeStrict(mb)
				if err != nil {
					continue // the verifier rejects the file outright
				}
				rep, err := sortition.Verify(context.Background(), r, sortition.VerifyOptions{})
				if err != nil {
					continue
				}
				verr := rep.Err()
				if verr == nil {
					t.Errorf("%s edited: record still verifies", m.path)
					continue
				}
				if name := strings.TrimSuffix(m.field, "~"); !strings.Contains(verr.Error(), name) {
					t.Errorf("%s edited: got %q, want the message to name %q", m.path, verr, name)
				}
			}
		})
	}
}
