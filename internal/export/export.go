// Package export writes a campaign's panel, reserves, pool, failed numbers
// and absences as CSV (UTF-8 with a byte order mark, so Excel opens æøå
// intact) or XLSX (github.com/xuri/excelize/v2). Every export is an audit
// event naming the actor. Phone numbers (and free-text support needs and
// absence reasons) are in the organisers' and callers' exports only, never
// in an auditor's. A cell that starts with = + - @ (or a tab or carriage
// return) is written with a leading apostrophe, so a spreadsheet never
// runs it as a formula; a phone number in E.164 form ("+4791234567") is
// left as it is, as it cannot be one.
//
// The admin API serves it at GET /api/v1/campaigns/{id}/export/{what}.{csv|xlsx}
// and the console at /campaigns/{id}/export/{what}.{csv|xlsx}; both call
// Exporter.Write.
package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// What can be exported.
const (
	Panel    = "panel"    // the panel members drawn, by rank, with status, calls and support needs
	Reserves = "reserves" // the reserve list, by rank
	Pool     = "pool"     // the complete volunteers the draw chose from
	Failed   = "failed"   // numbers that could not be reached, with the provider's reason
	Absences = "absences" // absences reported per meeting, and who reported them
)

// Whats lists what can be exported, in the order the console shows them.
var Whats = []string{Panel, Reserves, Pool, Failed, Absences}

// Formats.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// Store is what the exporter reads.
type Store interface {
	panel.CallStore
	panel.ExportStore
}

// Exporter writes exports. It is safe for concurrent use.
type Exporter struct {
	store Store
	audit panel.AuditLog
	loc   *time.Location
}

// New returns an Exporter reading store, recording each export in audit,
// and writing times on loc's wall clock (PANEL_TIMEZONE). All are
// required.
func New(store Store, audit panel.AuditLog, loc *time.Location) (*Exporter, error) {
	switch {
	case store == nil:
		return nil, errors.New("export: missing store")
	case audit == nil:
		return nil, errors.New("export: missing audit log")
	case loc == nil:
		return nil, errors.New("export: missing time zone")
	}
	return &Exporter{store: store, audit: audit, loc: loc}, nil
}

// ParseName reads an export file name such as "panel.csv" or
// "absences.xlsx" into what and format. ENOTFOUND names what is unknown.
func ParseName(name string) (what, format string, err error) {
	what, format, ok := strings.Cut(name, ".")
	if !ok || (format != CSV && format != XLSX) {
		return "", "", panel.Errorf(panel.ENOTFOUND, "no export %q: the name ends in .csv or .xlsx", name)
	}
	if !slices.Contains(Whats, what) {
		return "", "", panel.Errorf(panel.ENOTFOUND, "no export %q: exports are %s", what, strings.Join(Whats, ", "))
	}
	return what, format, nil
}

// ContentType returns the media type of format.
func ContentType(format string) string {
	if format == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// FileName returns the download name of an export, e.g.
// "campaign-3-panel.xlsx".
func FileName(campaignID int64, what, format string) string {
	return fmt.Sprintf("campaign-%d-%s.%s", campaignID, what, format)
}

// Options change how a CSV is written.
type Options struct {
	// Comma is the CSV field separator. Default ','; ';' suits a
	// spreadsheet whose list separator is a semicolon (as in Norway).
	Comma rune
}

// Write writes the campaign's export what in format to w for actor:
// phone numbers and free text only when actor.Role may see them
// (panel.SeesPhones). The "export.downloaded" audit event (what, format,
// rows, whether phone numbers were included, and the actor) is appended
// before anything is written. ENOTFOUND for an unknown campaign or export;
// ECONFLICT for panel or reserves before the draw is seeded; EFORBIDDEN
// for a role that may not export.
func (x *Exporter) Write(ctx context.Context, w io.Writer, campaignID int64, what, format string, actor panel.Actor, opts Options) error {
	if _, _, err := ParseName(what + "." + format); err != nil {
		return err
	}
	if actor.Role != panel.RoleOrganiser && actor.Role != panel.RoleAuditor && actor.Role != panel.RoleCaller {
		return panel.Errorf(panel.EFORBIDDEN, "role %q may not export", actor.Role)
	}
	if opts.Comma == 0 {
		opts.Comma = ','
	}
	if opts.Comma != ',' && opts.Comma != ';' && opts.Comma != '\t' {
		return panel.Errorf(panel.EINVALID, "the CSV separator must be a comma, a semicolon or a tab")
	}
	personal := panel.SeesPhones(actor.Role)
	t, err := x.table(ctx, campaignID, what, personal)
	if err != nil {
		return err
	}
	details, err := json.Marshal(map[string]any{
		"what": what, "format": format, "rows": len(t.rows), "phone_numbers": personal, "role": actor.Role,
	})
	if err != nil {
		return fmt.Errorf("export: audit details: %w", err)
	}
	err = x.audit.AppendAudit(panel.WithActor(ctx, actor), &panel.AuditEvent{
		Actor: actor.Name, Action: "export.downloaded", Subject: "campaign/" + strconv.FormatInt(campaignID, 10), Details: details,
	})
	if err != nil {
		return err
	}
	if format == XLSX {
		return writeXLSX(w, what, t)
	}
	return writeCSV(w, t, opts.Comma)
}
