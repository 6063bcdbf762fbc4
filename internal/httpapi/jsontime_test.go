package httpapi

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// TestAnswersShowTimesInPanelTimeZone: on both databases, the times of
// campaigns, meetings and audit events come back in PANEL_TIMEZONE with its
// offset (+01:00 in winter, +02:00 in summer), not in UTC.
func TestAnswersShowTimesInPanelTimeZone(t *testing.T) {
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		winter := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
		e := newStoreEnv(t, db, winter, 1)
		id := e.campaign.ID

		var camp struct {
			CreatedAt string `json:"created_at"`
			UpdatedAt string `json:"updated_at"`
		}
		decodeAnswer(t, e.call(t, "GET", fmt.Sprintf("/api/v1/campaigns/%d", id), e.org, "", 200), &camp)
		for name, got := range map[string]string{"created_at": camp.CreatedAt, "updated_at": camp.UpdatedAt} {
			if want := "2026-11-02T10:30:00+01:00"; got != want {
				t.Errorf("campaign %s: got %q, want %q", name, got, want)
			}
		}

		var list struct {
			Campaigns []struct {
				CreatedAt string `json:"created_at"`
			} `json:"campaigns"`
		}
		decodeAnswer(t, e.call(t, "GET", "/api/v1/campaigns", e.aud, "", 200), &list)
		if len(list.Campaigns) != 1 || !strings.HasSuffix(list.Campaigns[0].CreatedAt, "+01:00") {
			t.Errorf("campaign list: got %+v, want one campaign created at +01:00", list.Campaigns)
		}

		var m struct {
			StartsAt  string `json:"starts_at"`
			CreatedAt string `json:"created_at"`
		}
		decodeAnswer(t, e.call(t, "POST", fmt.Sprintf("/api/v1/campaigns/%d/meetings", id), e.org,
			`{"title":"Samling 1","starts_at":"2027-06-10T16:00:00Z"}`, 201), &m)
		if want := "2027-06-10T18:00:00+02:00"; m.StartsAt != want {
			t.Errorf("meeting starts_at: got %q, want %q", m.StartsAt, want)
		}
		if want := "2026-11-02T10:30:00+01:00"; m.CreatedAt != want {
			t.Errorf("meeting created_at: got %q, want %q", m.CreatedAt, want)
		}

		// A recipient's messages (the store's clock is at winter).
		if _, err := e.st.Enqueue(t.Context(), []*panel.OutboundMessage{{CampaignID: id, RecipientID: e.members[0].RecipientID,
			Kind: panel.KindNotice, Body: "Hei", DedupKey: "tz/1"}}); err != nil {
			t.Fatal(err)
		}
		var rec struct {
			CreatedAt string `json:"created_at"`
			Messages  []struct {
				At string `json:"at"`
			} `json:"messages"`
		}
		decodeAnswer(t, e.call(t, "GET", fmt.Sprintf("/api/v1/campaigns/%d/recipients/%d", id, e.members[0].RecipientID), e.org, "", 200), &rec)
		if len(rec.Messages) != 1 || rec.Messages[0].At != "2026-11-02T10:30:00+01:00" || !strings.HasSuffix(rec.CreatedAt, "+01:00") {
			t.Errorf("recipient: got %+v, want its message at 2026-11-02T10:30:00+01:00 and created_at at +01:00", rec)
		}

		var audit struct {
			Events []struct {
				At string `json:"at"`
			} `json:"events"`
		}
		decodeAnswer(t, e.call(t, "GET", "/api/v1/audit", e.aud, "", 200), &audit)
		if len(audit.Events) == 0 {
			t.Fatal("audit: got no events, want the campaign's and the meeting's")
		}
		for _, ev := range audit.Events {
			if want := "2026-11-02T10:30:00+01:00"; ev.At != want {
				t.Errorf("audit event at: got %q, want %q", ev.At, want)
			}
		}
	})
}

// TestInZone covers the shapes answers take: pointers, slices, maps,
// interfaces, embedded structs of unexported types and raw JSON, which is
// left as it is.
func TestInZone(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2027, 1, 5, 17, 0, 0, 0, time.UTC)
	type inner struct {
		When time.Time `json:"when"`
	}
	type view struct {
		inner
		Ptr    *time.Time      `json:"ptr"`
		List   []inner         `json:"list"`
		ByName map[string]any  `json:"by_name"`
		Raw    json.RawMessage `json:"raw"`
		hidden time.Time
	}
	v := &view{inner: inner{at}, Ptr: &at, List: []inner{{at}}, ByName: map[string]any{"x": at}, Raw: json.RawMessage(`{"t":"2027-01-05T17:00:00Z"}`), hidden: at}
	b, err := json.Marshal(inZone(v, oslo))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"when":"2027-01-05T18:00:00+01:00","ptr":"2027-01-05T18:00:00+01:00","list":[{"when":"2027-01-05T18:00:00+01:00"}],"by_name":{"x":"2027-01-05T18:00:00+01:00"},"raw":{"t":"2027-01-05T17:00:00Z"}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	if v.When.Location() != time.UTC || v.Ptr.Location() != time.UTC || v.ByName["x"].(time.Time).Location() != time.UTC {
		t.Error("inZone changed its argument, want a copy")
	}
}

// TestHandlersWriteJSONOnce keeps every JSON answer going through
// writeJSON, so that no handler shows times in another zone.
func TestHandlersWriteJSONOnce(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	direct := regexp.MustCompile(`\bc\.(JSON|IndentedJSON)\(`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "jsontime.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if loc := direct.FindIndex(src); loc != nil {
			line := 1 + strings.Count(string(src[:loc[0]]), "\n")
			t.Errorf("%s:%d writes JSON with gin directly; use s.writeJSON so times are in PANEL_TIMEZONE", f, line)
		}
	}
}

// BenchmarkInZone measures the zone step on a page of 1000 recipients
// with three messages each, the largest answers the API gives.
func BenchmarkInZone(b *testing.B) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	page := make([]panel.RecipientDetail, 1000)
	for i := range page {
		page[i] = panel.RecipientDetail{ID: int64(i), Attributes: map[string]string{"gender": "kvinne"}, CreatedAt: now, UpdatedAt: now,
			Messages: []panel.RecipientMessage{{At: now}, {At: now}, {At: now, SentAt: &now}}}
	}
	answer := recipientsAnswer{Recipients: page, Total: len(page)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(inZone(answer, oslo)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarshalOnly is BenchmarkInZone without the zone step, to
// compare.
func BenchmarkMarshalOnly(b *testing.B) {
	now := time.Now().UTC()
	page := make([]panel.RecipientDetail, 1000)
	for i := range page {
		page[i] = panel.RecipientDetail{ID: int64(i), Attributes: map[string]string{"gender": "kvinne"}, CreatedAt: now, UpdatedAt: now,
			Messages: []panel.RecipientMessage{{At: now}, {At: now}, {At: now, SentAt: &now}}}
	}
	answer := recipientsAnswer{Recipients: page, Total: len(page)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(answer); err != nil {
			b.Fatal(err)
		}
	}
}
