package panel

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// AuditZeroHash is the PrevHash of the first audit event.
const AuditZeroHash = "0000000000000000000000000000000000000000000000000000000000000000"

// auditHashDomain starts every hashed audit encoding, so these hashes can
// never be confused with hashes of anything else.
const auditHashDomain = "panel-audit/1"

// AuditTimeFormat is how an event's time enters its hash: RFC 3339 in UTC
// with exactly six fractional digits, e.g. "2026-11-25T21:43:20.123456Z".
const AuditTimeFormat = "2006-01-02T15:04:05.000000Z"

// AuditHash returns the hex SHA-256 of e's canonical encoding. It reads
// Seq, At, Actor, Action, Subject, Details and PrevHash, and ignores Hash.
//
// The canonical encoding, so that anyone can recompute it without Go, is
// the concatenation of eight fields, each written as its length in bytes
// (decimal ASCII), a colon, the field's bytes, and a line feed:
//
//  1. the literal "panel-audit/1"
//  2. Seq in decimal
//  3. At in UTC as AuditTimeFormat (RFC 3339, microseconds, "Z")
//  4. Actor, 5. Action, 6. Subject, as UTF-8
//  7. Details as canonical JSON (see CanonicalJSON); empty Details count as {}
//  8. PrevHash, lowercase hex (AuditZeroHash for the first event)
//
// For example Seq 1 is encoded as "1:1\n". If Details is not valid JSON its
// bytes are used as they are; such an event never verifies, because stored
// events must hold a JSON object.
func AuditHash(e *AuditEvent) string {
	details := []byte(e.Details)
	if len(bytes.TrimSpace(details)) == 0 {
		details = []byte("{}")
	} else if c, err := CanonicalJSON(details); err == nil {
		details = c
	}
	var b bytes.Buffer
	for _, f := range [][]byte{
		[]byte(auditHashDomain),
		[]byte(strconv.FormatInt(e.Seq, 10)),
		[]byte(e.At.UTC().Format(AuditTimeFormat)),
		[]byte(e.Actor),
		[]byte(e.Action),
		[]byte(e.Subject),
		details,
		[]byte(e.PrevHash),
	} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.Write(f)
		b.WriteByte('\n')
	}
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:])
}

// CanonicalJSON re-encodes one JSON value in a canonical form: no
// insignificant whitespace, object keys sorted by their UTF-8 bytes, numbers
// exactly as written, strings escaped as Go's encoding/json does with HTML
// escaping off (only '"', '\\', control characters, U+2028 and U+2029 are
// escaped; invalid UTF-8 becomes U+FFFD). Duplicate keys keep the last value.
func CanonicalJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("canonical json: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("canonical json: data after the first value")
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("canonical json: %w", err)
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

// CanonicalJSONObject is CanonicalJSON for audit details: empty input gives
// {}, and anything but a JSON object is an EINVALID error naming field.
func CanonicalJSONObject(field string, raw []byte) ([]byte, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return []byte("{}"), nil
	}
	if trimmed[0] != '{' {
		return nil, Errorf(EINVALID, "%s must be a JSON object", field)
	}
	c, err := CanonicalJSON(trimmed)
	if err != nil {
		return nil, Errorf(EINVALID, "%s must be a JSON object: %v", field, err)
	}
	return c, nil
}
