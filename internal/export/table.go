package export

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// table is an export before it is written: a header row and data rows of
// text cells. phoneCol is the index of the phone column, -1 without one.
type table struct {
	header   []string
	rows     [][]string
	phoneCol int
}

// table reads the rows of what; personal adds phone numbers and free text.
func (x *Exporter) table(ctx context.Context, campaignID int64, what string, personal bool) (*table, error) {
	switch what {
	case Panel, Reserves:
		return x.members(ctx, campaignID, what == Panel, personal)
	case Pool:
		return x.pool(ctx, campaignID, personal)
	case Failed:
		return x.failed(ctx, campaignID, personal)
	default:
		return x.absences(ctx, campaignID, personal)
	}
}

// when writes t on the exporter's wall clock, "" for the zero time.
func (x *Exporter) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(x.loc).Format("2006-01-02 15:04")
}

// categories returns the category names of every values map, sorted.
func categories(values ...map[string]string) []string {
	var out []string
	for _, v := range values {
		for k := range v {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// builder assembles a table from leading columns, a phone column after
// the first one (personal exports only), category columns and trailing
// columns.
type builder struct {
	t     *table
	phone bool
	cats  []string
}

func newBuilder(personal bool, lead, trail, cats []string) *builder {
	b := &builder{t: &table{phoneCol: -1}, phone: personal, cats: cats}
	h := []string{lead[0]}
	if personal {
		b.t.phoneCol = 1
		h = append(h, "phone")
	}
	h = append(h, lead[1:]...)
	h = append(h, cats...)
	h = append(h, trail...)
	b.t.header = h
	return b
}

func (b *builder) add(lead []string, phone panel.Phone, values map[string]string, trail []string) {
	row := []string{lead[0]}
	if b.phone {
		row = append(row, string(phone))
	}
	row = append(row, lead[1:]...)
	for _, c := range b.cats {
		row = append(row, values[c])
	}
	row = append(row, trail...)
	b.t.rows = append(b.t.rows, row)
}

func (x *Exporter) members(ctx context.Context, campaignID int64, onPanel, personal bool) (*table, error) {
	d, err := x.store.CampaignDraw(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	entries, err := x.store.Roster(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	role := panel.RoleReserve
	if onPanel {
		role = panel.RoleSelected
	}
	var list []*panel.RosterEntry
	var values []map[string]string
	for _, e := range entries {
		if e.Role == role {
			list = append(list, e)
			values = append(values, e.Values)
		}
	}
	trail := []string{"absences", "calls", "last_call", "last_call_at", "last_call_by", "support_tags"}
	if personal {
		trail = append(trail, "support_needs")
	}
	b := newBuilder(personal, []string{"member", "rank", "status", "replaced_by", "replaces", "confirm_by", "opted_out"}, trail, categories(values...))
	for _, e := range list {
		confirmBy := ""
		if e.ConfirmBy != nil {
			confirmBy = x.when(*e.ConfirmBy)
		}
		lead := []string{e.PseudoID, strconv.Itoa(e.Rank), e.Status, e.ReplacedBy, e.Replaces, confirmBy, yesNo(e.OptedOut)}
		tr := []string{strconv.Itoa(e.Absences), strconv.Itoa(e.Calls), "", "", "", ""}
		if c := e.LastCall; c != nil {
			tr[2], tr[3], tr[4], tr[5] = c.Outcome, x.when(c.CreatedAt), c.RecordedBy, strings.Join(c.SupportTags, ",")
		}
		if personal {
			needs := ""
			if e.LastCall != nil {
				needs = e.LastCall.SupportNeeds
			}
			tr = append(tr, needs)
		}
		b.add(lead, e.Phone, e.Values, tr)
	}
	return b.t, nil
}

func (x *Exporter) pool(ctx context.Context, campaignID int64, personal bool) (*table, error) {
	rows, err := x.store.ExportPool(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	values := make([]map[string]string, len(rows))
	for i, r := range rows {
		values[i] = r.Values
	}
	b := newBuilder(personal, []string{"id", "source"}, []string{"joined"}, categories(values...))
	for _, r := range rows {
		b.add([]string{r.ExternalID, r.Source}, r.Phone, r.Values, []string{x.when(r.CreatedAt)})
	}
	return b.t, nil
}

func (x *Exporter) failed(ctx context.Context, campaignID int64, personal bool) (*table, error) {
	rows, err := x.store.ExportFailed(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	b := newBuilder(personal, []string{"recipient", "state", "message", "message_state", "error_code", "error", "at"}, nil, nil)
	for _, r := range rows {
		code := ""
		if r.ErrorCode != 0 {
			code = strconv.Itoa(r.ErrorCode)
		}
		b.add([]string{r.PseudoID, r.State, r.MessageKind, r.MessageState, code, r.Error, x.when(r.At)}, r.Phone, nil, nil)
	}
	return b.t, nil
}

func (x *Exporter) absences(ctx context.Context, campaignID int64, personal bool) (*table, error) {
	rows, err := x.store.ExportAbsences(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	var trail []string
	if personal {
		trail = []string{"reason"}
	}
	b := newBuilder(personal, []string{"member", "meeting", "meeting_starts", "reported_by", "reported_at"}, trail, nil)
	for _, r := range rows {
		var tr []string
		if personal {
			tr = []string{r.Reason}
		}
		b.add([]string{r.PseudoID, r.MeetingTitle, x.when(r.StartsAt), r.ReportedBy, x.when(r.CreatedAt)}, r.Phone, nil, tr)
	}
	return b.t, nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
