package sortition

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
)

// committedField is one field covered by the commitment.
type committedField struct {
	name  string
	value func(r *Record) any
}

// committedFields lists, in commitment order, the record fields fixed before
// the seed is known.
var committedFields = [...]committedField{
	{"format", func(r *Record) any { return r.Format }},
	{"software", func(r *Record) any { return r.Software }},
	{"algorithm", func(r *Record) any { return r.Algorithm }},
	{"seats", func(r *Record) any { return r.Seats }},
	{"reserves_count", func(r *Record) any { return r.ReservesCount }},
	{"household_columns", func(r *Record) any { return r.HouseholdColumns }},
	{"panels_count", func(r *Record) any { return r.PanelsCount }},
	{"legacy_attempts", func(r *Record) any { return r.LegacyAttempts }},
	{"quotas", func(r *Record) any { return r.Quotas }},
	{"pool", func(r *Record) any { return r.Pool }},
	{"lottery", func(r *Record) any { return r.Lottery }},
	{"probabilities", func(r *Record) any { return r.Probabilities }},
	{"min_probability", func(r *Record) any { return r.MinProbability }},
	{"optimal_min_probability", func(r *Record) any { return r.OptimalMinProbability }},
	{"max_deviation", func(r *Record) any { return r.MaxDeviation }},
}

// CanonicalJSON encodes v the way the commitment hashes it: encoding/json's
// compact form (struct fields in declaration order, object keys sorted, no
// insignificant space, numbers in shortest round-trip form) without HTML
// escaping and without a trailing newline.
func CanonicalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("canonical json: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// fieldDigests returns the hex SHA-256 of each committed field's canonical JSON.
func (r *Record) fieldDigests() (map[string]string, error) {
	out := make(map[string]string, len(committedFields))
	for _, f := range committedFields {
		b, err := CanonicalJSON(f.value(r))
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.name, err)
		}
		sum := sha256.Sum256(b)
		out[f.name] = hex.EncodeToString(sum[:])
	}
	return out, nil
}

// commitmentOf hashes the field digests in commitment order: SHA-256 over the
// lines "name hexdigest\n".
func commitmentOf(digests map[string]string) string {
	h := sha256.New()
	for _, f := range committedFields {
		fmt.Fprintf(h, "%s %s\n", f.name, digests[f.name])
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// commit fills CommittedFields and Commitment.
func (r *Record) commit() error {
	d, err := r.fieldDigests()
	if err != nil {
		return err
	}
	r.CommittedFields, r.Commitment = d, commitmentOf(d)
	return nil
}

// WriteRecord writes rec as indented JSON without HTML escaping, the form to
// publish: removing the insignificant white space from any committed field's
// text in it gives exactly that field's canonical JSON.
func WriteRecord(w io.Writer, rec *Record) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rec); err != nil {
		return fmt.Errorf("write record: %w", err)
	}
	return nil
}
