package panel_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// The expected hashes were computed outside Go, with printf and sha256sum
// over the encoding documented on AuditHash.
func TestAuditHashKnownVectors(t *testing.T) {
	t.Parallel()
	first := &panel.AuditEvent{
		Seq:      1,
		At:       time.Date(2026, 11, 25, 22, 43, 20, 123456789, time.FixedZone("CET", 3600)),
		Actor:    "cli",
		Action:   "token.created",
		Subject:  "token/1",
		Details:  json.RawMessage(`{ "role": "auditor", "name": "x" }`),
		PrevHash: panel.AuditZeroHash,
	}
	second := &panel.AuditEvent{
		Seq:      2,
		At:       time.Date(2026, 11, 25, 21, 43, 21, 0, time.UTC),
		Actor:    "system",
		Action:   "ping",
		PrevHash: "a5b1d9d7da009f909bc91d782f6ae6efbcaab0af202f753548b630d1a4432e8f",
	}
	tests := []struct {
		name string
		e    *panel.AuditEvent
		want string
	}{
		{"first event, details reordered, time zone and nanoseconds dropped", first, "a5b1d9d7da009f909bc91d782f6ae6efbcaab0af202f753548b630d1a4432e8f"},
		{"second event, empty details", second, "396ff80ddc5a89b02ce353bd3ed1a0dbee8e1c823310c51a8a49a24e68f4d1dd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panel.AuditHash(tt.e); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestAuditHashCoversEveryField(t *testing.T) {
	t.Parallel()
	base := panel.AuditEvent{
		Seq: 7, At: time.Date(2026, 1, 20, 17, 0, 0, 0, time.UTC), Actor: "ops", Action: "member.replaced",
		Subject: "draw/1", Details: json.RawMessage(`{"a":1}`), PrevHash: strings.Repeat("1", 64), Hash: "ignored",
	}
	baseHash := panel.AuditHash(&base)
	tests := []struct {
		name string
		edit func(e *panel.AuditEvent)
	}{
		{"seq", func(e *panel.AuditEvent) { e.Seq = 8 }},
		{"at", func(e *panel.AuditEvent) { e.At = e.At.Add(time.Microsecond) }},
		{"actor", func(e *panel.AuditEvent) { e.Actor = "ops2" }},
		{"action", func(e *panel.AuditEvent) { e.Action = "member.dropped" }},
		{"subject", func(e *panel.AuditEvent) { e.Subject = "draw/2" }},
		{"details", func(e *panel.AuditEvent) { e.Details = json.RawMessage(`{"a":2}`) }},
		{"prev hash", func(e *panel.AuditEvent) { e.PrevHash = strings.Repeat("2", 64) }},
		// Length prefixes keep field boundaries: moving text between fields changes the hash.
		{"boundary", func(e *panel.AuditEvent) { e.Actor, e.Action = "opsmember", ".replaced" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			tt.edit(&e)
			if got := panel.AuditHash(&e); got == baseHash {
				t.Errorf("changing %s left the hash at %s", tt.name, got)
			}
		})
	}
	e := base
	e.Hash = "different"
	if got := panel.AuditHash(&e); got != baseHash {
		t.Errorf("changing Hash changed the hash: got %s, want %s", got, baseHash)
	}
}

func TestCanonicalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"sorted keys, no spaces", `{"b": 1, "a": [true, null]}`, `{"a":[true,null],"b":1}`, false},
		{"nested", `{"z": {"y": 1, "x": 2}}`, `{"z":{"x":2,"y":1}}`, false},
		{"numbers as written", `{"n": 2.50, "big": 12345678901234567890}`, `{"big":12345678901234567890,"n":2.50}`, false},
		{"no html escaping", `{"s": "<a & b>"}`, `{"s":"<a & b>"}`, false},
		{"unicode kept", `{"s": "blåbær"}`, `{"s":"blåbær"}`, false},
		{"invalid", `{"a":`, "", true},
		{"two values", `{} {}`, "", true},
		{"trailing garbage", `{}x`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := panel.CanonicalJSON([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %t", err, tt.wantErr)
			}
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCanonicalJSONObject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, wantCode string
	}{
		{"empty is {}", "", "{}", ""},
		{"spaces is {}", "  ", "{}", ""},
		{"object", `{"b":1,"a":2}`, `{"a":2,"b":1}`, ""},
		{"array", `[1]`, "", panel.EINVALID},
		{"string", `"x"`, "", panel.EINVALID},
		{"broken", `{"a"}`, "", panel.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := panel.CanonicalJSONObject("details", []byte(tt.in))
			if code := panel.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("got code %q (%v), want %q", code, err, tt.wantCode)
			}
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
