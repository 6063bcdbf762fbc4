package panel

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEvent is one entry of the append-only audit log. Each event carries
// the hash of the one before it, so deleting or editing any row breaks the
// chain from that row on.
type AuditEvent struct {
	Seq      int64           `json:"seq"`       // 1, 2, 3, ... with no gaps
	At       time.Time       `json:"at"`        // UTC, truncated to microseconds
	Actor    string          `json:"actor"`     // token name, "cli", "system", ...
	Action   string          `json:"action"`    // e.g. "campaign.created"
	Subject  string          `json:"subject"`   // e.g. "campaign/3"
	Details  json.RawMessage `json:"details"`   // a JSON object, never personal data
	PrevHash string          `json:"prev_hash"` // hex SHA-256 of the previous event; 64 zeros for the first
	Hash     string          `json:"hash"`      // hex SHA-256 of this event's canonical form
}

// AuditFilter narrows AuditLog.ListAuditEvents.
type AuditFilter struct {
	AfterSeq int64 // only events with Seq > AfterSeq
	Subject  string
	Limit    int // default 100, at most 1000
}

// AuditLog appends to and reads the audit log.
type AuditLog interface {
	// AppendAudit appends an event; Seq, At, PrevHash and Hash are filled in.
	// Appends are serialised so the chain never forks, also across replicas.
	AppendAudit(ctx context.Context, e *AuditEvent) error
	// ListAuditEvents returns events in Seq order.
	ListAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
	// VerifyAuditChain recomputes every hash and link. It returns the number of
	// events checked, and an EINVALID error naming the first broken Seq.
	VerifyAuditChain(ctx context.Context) (int, error)
}

// Pinger reports whether a dependency is reachable.
type Pinger interface {
	// Ping returns EUNAVAILABLE when the dependency cannot be reached.
	Ping(ctx context.Context) error
}
