package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/invite"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// noInvitations lets the fake test server register the invitation routes
// (for the OpenAPI route test) without a database; tests of the routes
// themselves use setupInvite, which has the real store.
type noInvitations struct{}

var _ panel.InvitationService = noInvitations{}

var errNoInvitations = panel.Errorf(panel.EUNAVAILABLE, "no invitation service in this test server")

func (noInvitations) ImportRecipientsCSV(context.Context, int64, io.Reader, panel.ImportOptions) (panel.ImportResult, error) {
	return panel.ImportResult{}, errNoInvitations
}
func (noInvitations) Send(context.Context, int64) (panel.SendResult, error) {
	return panel.SendResult{}, errNoInvitations
}
func (noInvitations) Pause(context.Context, int64) (*panel.Campaign, error) {
	return nil, errNoInvitations
}
func (noInvitations) Resume(context.Context, int64) (*panel.Campaign, error) {
	return nil, errNoInvitations
}
func (noInvitations) Stats(context.Context, int64) (panel.CampaignStats, error) {
	return panel.CampaignStats{}, errNoInvitations
}
func (noInvitations) CheckTexts(*panel.Campaign) error                     { return nil }
func (noInvitations) CampaignWarnings(*panel.Campaign, time.Time) []string { return nil }

// inviteEnv is a Server on a real store, behind a real HTTP server.
type inviteEnv struct {
	*testEnv
	st       *store.Store
	org, aud string
}

// setupInvite serves the real store and invitation service on st.
func setupInvite(t testing.TB, st *store.Store) *inviteEnv {
	t.Helper()
	return setupInviteWith(t, st, nil)
}

// setupInviteWith is setupInvite with tune, when not nil, changing the
// server's dependencies (limits) first.
func setupInviteWith(t testing.TB, st *store.Store, tune func(*Deps)) *inviteEnv {
	t.Helper()
	ctx := context.Background()
	svc, err := invite.New(st, testInbox(t, st, nil), invite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	logs := &syncBuffer{}
	d := Deps{
		Campaigns: st, Tokens: st, Audit: st, DB: st,
		Logger:     slog.New(slog.NewJSONHandler(logs, nil)),
		Registerer: reg, Gatherer: reg, Invitations: svc,
	}
	if tune != nil {
		tune(&d)
	}
	s, err := NewServer(complete(t, d))
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	_, org, err := st.CreateToken(ctx, panel.RoleOrganiser, "alice")
	if err != nil {
		t.Fatal(err)
	}
	_, aud, err := st.CreateToken(ctx, panel.RoleAuditor, "bob")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server logs:\n%s", logs)
		}
	})
	return &inviteEnv{testEnv: &testEnv{s: s, url: srv.URL, logs: logs}, st: st, org: org.Reveal(), aud: aud.Reveal()}
}

// campaign creates a campaign and returns its id.
func (e *inviteEnv) campaign(t testing.TB, name string) int64 {
	t.Helper()
	r := e.do(t, "POST", "/api/v1/campaigns", e.org, strings.NewReader(fmt.Sprintf(`{"name":%q,"invitation_text":"Hei! Vil du være med i innbyggerpanelet? Svar {keyword}.","send_rate":100}`, name)))
	if r.status != 201 {
		t.Fatalf("create campaign: got %d %s", r.status, r.body)
	}
	var c panel.Campaign
	if err := json.Unmarshal(r.body, &c); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// importCSV posts body as the campaign's recipients.
func (e *inviteEnv) importCSV(t *testing.T, id int64, query, body string) response {
	t.Helper()
	return e.do(t, "POST", fmt.Sprintf("/api/v1/campaigns/%d/recipients%s", id, query), e.org, strings.NewReader(body), "Content-Type", "text/csv")
}

// stats returns the campaign's stats.
func (e *inviteEnv) stats(t *testing.T, id int64) panel.CampaignStats {
	t.Helper()
	r := e.do(t, "GET", fmt.Sprintf("/api/v1/campaigns/%d/stats", id), e.aud, nil)
	if r.status != 200 {
		t.Fatalf("stats: got %d %s", r.status, r.body)
	}
	var st panel.CampaignStats
	if err := json.Unmarshal(r.body, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// auditActions lists the actions of the campaign's audit events.
func (e *inviteEnv) auditActions(t *testing.T, id int64) []string {
	t.Helper()
	evs, err := e.st.ListAuditEvents(context.Background(), panel.AuditFilter{Subject: fmt.Sprintf("campaign/%d", id), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Action)
	}
	return out
}

type rejectedBody struct {
	Error    errorDetail      `json:"error"`
	Rejected []panel.RowError `json:"rejected"`
}

func TestImportRecipients(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		e := setupInvite(t, st)
		tests := []struct {
			name         string
			query, body  string
			token        string
			wantStatus   int
			wantImported int
			wantRejected []panel.RowError
			wantInMsg    string
			wantColumns  string // "column>as:by,..." when set
		}{
			{name: "good rows", body: "phone,gender,age,district\n+4791234567,kvinne,34,Midtbyen\n912 34 568,mann,61,Heimdal\n0047 412 34 567,kvinne,19,Lerkendal\n",
				wantStatus: 200, wantImported: 3},
			{name: "bom crlf semicolon and header case", body: "\uFEFFPhone ; Kjønn\r\n91234567;kvinne\r\n\r\n48123456;mann\r\n",
				wantStatus: 200, wantImported: 2},
			{name: "invalid number", body: "phone,gender\n+4791234567,kvinne\n12,mann\n",
				wantStatus: 422, wantRejected: []panel.RowError{{Row: 3, Error: "not a valid phone number: too short"}}, wantInMsg: "1 rows rejected, nothing imported: row 3"},
			{name: "letters in number", body: "phone\n+4791234567\nninety-one\n",
				wantStatus: 422, wantRejected: []panel.RowError{{Row: 3}}},
			{name: "empty phone", body: "phone,gender\n,kvinne\n+4791234567,mann\n",
				wantStatus: 422, wantRejected: []panel.RowError{{Row: 2, Error: "phone is empty"}}},
			{name: "duplicate in file, written differently", body: "phone\n+4791234567\n912 34 567\n",
				wantStatus: 422, wantRejected: []panel.RowError{{Row: 3, Error: "phone number repeats row 2"}}},
			{name: "wrong field count", body: "phone,gender\n+4791234567,kvinne,extra\n",
				wantStatus: 422, wantRejected: []panel.RowError{{Row: 2, Error: "has 3 fields, the header has 2"}}},
			{name: "partial keeps good rows", query: "?partial=true", body: "phone,gender\n+4791234567,kvinne\n12,mann\n+4748123456,mann\n+4748123456,mann\n",
				wantStatus: 200, wantImported: 2, wantRejected: []panel.RowError{{Row: 3}, {Row: 5, Error: "phone number repeats row 4"}}},
			{name: "no phone column", body: "nummer,gender\n+4791234567,kvinne\n", wantStatus: 422, wantInMsg: `the header has no phone column (it has "nummer", "gender"); name it phone, Mobil, Mobilnummer or Telefon, or give ?columns=phone:YOUR_HEADER`},
			{name: "column named twice", body: "phone,Age,age\n+4791234567,1,2\n", wantStatus: 422, wantInMsg: `columns 2 and 3 of the header are both "age"`},
			{name: "windows-1252 from norwegian excel", body: "Mobilnummer;Kj\xf8nn;F\xf8dsels\xe5r;Bydel;Adresse\r\n(+47) 912 34 567;Kvinne;1990;\xd8stbyen;\xc5sveien 3\r\n",
				wantStatus: 200, wantImported: 1, wantColumns: "Mobilnummer>phone:alias,Kjønn>gender:alias,Fødselsår>birth_year:alias,Bydel>district:alias,Adresse>address:alias"},
			{name: "tab separated utf-16", body: "\xff\xfep\x00h\x00o\x00n\x00e\x00\t\x00x\x00\n\x009\x001\x002\x003\x004\x005\x006\x007\x00\t\x00y\x00\n\x00",
				wantStatus: 200, wantImported: 1, wantColumns: "phone>phone:name,x>x:name"},
			{name: "columns mapping", query: "?columns=phone:Tlf,district:Sted", body: "Tlf,Sted,Kjønn\n91234567,Midtbyen,kvinne\n",
				wantStatus: 200, wantImported: 1, wantColumns: "Tlf>phone:mapping,Sted>district:mapping,Kjønn>gender:alias"},
			{name: "json columns mapping", query: "?columns=%7B%22phone%22%3A%22Nr%22%7D", body: "Nr\n91234567\n",
				wantStatus: 200, wantImported: 1, wantColumns: "Nr>phone:mapping"},
			{name: "mapping names a missing column", query: "?columns=phone:Tlf", body: "Mobil\n91234567\n",
				wantStatus: 422, wantInMsg: `columns: phone:Tlf names no column of the file (its header is "Mobil")`},
			{name: "two phone columns", body: "Mobil,Telefon\n91234567,91234568\n",
				wantStatus: 422, wantInMsg: `columns "Mobil" and "Telefon" would both be read as phone; say which one with ?columns=phone:Mobil`},
			{name: "landline rejected", body: "phone\n22 33 44 55\n91234567\n",
				wantStatus: 422, wantRejected: []panel.RowError{{Row: 2, Error: "not a mobile number: it cannot receive SMS"}}},
			{name: "landline with partial", query: "?partial=true", body: "phone\n22 33 44 55\n91234567\n",
				wantStatus: 200, wantImported: 1, wantRejected: []panel.RowError{{Row: 2, Error: "not a mobile number: it cannot receive SMS"}}},
			{name: "replacement character", body: "phone;district\n91234567;\uFFFDstbyen\n",
				wantStatus: 422, wantInMsg: `line 2, column 10: the text (read as UTF-8) has the replacement character U+FFFD`},
			{name: "quota-style semicolons with quoted separators", body: "phone;note\n91234567;\"a; b\"\n", wantStatus: 200, wantImported: 1},
			{name: "empty column name", body: "phone,,age\n+4791234567,1,2\n", wantStatus: 422, wantInMsg: "header column 2 has no name"},
			{name: "empty file", body: "", wantStatus: 422, wantInMsg: "the file is empty"},
			{name: "open quote", body: "phone,gender\n+4791234567,\"kvinne\n", wantStatus: 422, wantInMsg: "the file cannot be read: line 2, column 21: not valid CSV"},
			{name: "bad partial", query: "?partial=yes", body: "phone\n+4791234567\n", wantStatus: 422, wantInMsg: "partial must be true or false"},
			{name: "unknown parameter", query: "?dry=1", body: "phone\n+4791234567\n", wantStatus: 422, wantInMsg: `unknown query parameter "dry"`},
			{name: "auditor may not import", token: "aud", body: "phone\n+4791234567\n", wantStatus: 403},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := e.campaign(t, fmt.Sprintf("import %d", i))
				tok := e.org
				if tt.token == "aud" {
					tok = e.aud
				}
				r := e.do(t, "POST", fmt.Sprintf("/api/v1/campaigns/%d/recipients%s", id, tt.query), tok, strings.NewReader(tt.body), "Content-Type", "text/csv; charset=utf-8")
				if r.status != tt.wantStatus {
					t.Fatalf("status: got %d, want %d (body %s)", r.status, tt.wantStatus, r.body)
				}
				var got panel.ImportResult
				if r.status == 200 {
					if err := json.Unmarshal(r.body, &got); err != nil {
						t.Fatal(err)
					}
					if got.Imported != tt.wantImported {
						t.Errorf("imported: got %d, want %d", got.Imported, tt.wantImported)
					}
					if tt.wantColumns != "" {
						var cols []string
						for _, a := range got.Columns {
							cols = append(cols, a.Column+">"+a.As+":"+a.By)
						}
						if strings.Join(cols, ",") != tt.wantColumns {
							t.Errorf("columns: got %s, want %s", strings.Join(cols, ","), tt.wantColumns)
						}
					}
				} else {
					var rb rejectedBody
					if err := json.Unmarshal(r.body, &rb); err != nil || rb.Error.Code == "" {
						t.Fatalf("error body %s: %v", r.body, err)
					}
					if !strings.Contains(rb.Error.Message, tt.wantInMsg) {
						t.Errorf("message: got %q, want it to contain %q", rb.Error.Message, tt.wantInMsg)
					}
					got.Rejected = rb.Rejected
				}
				if len(got.Rejected) != len(tt.wantRejected) {
					t.Fatalf("rejected: got %+v, want %+v", got.Rejected, tt.wantRejected)
				}
				for j, w := range tt.wantRejected {
					g := got.Rejected[j]
					if g.Row != w.Row || w.Error != "" && g.Error != w.Error || g.Error == "" {
						t.Errorf("rejected[%d]: got %+v, want %+v", j, g, w)
					}
					if strings.Contains(g.Error, "4791234567") || strings.Contains(g.Error, "48123456") {
						t.Errorf("rejected[%d] repeats the phone number: %q", j, g.Error)
					}
				}
				st := e.stats(t, id)
				if st.Recipients != tt.wantImported {
					t.Errorf("recipients stored: got %d, want %d", st.Recipients, tt.wantImported)
				}
				imported := strings.Count(strings.Join(e.auditActions(t, id), " "), "recipients.imported")
				if want := min(tt.wantImported, 1); imported != want {
					t.Errorf("recipients.imported audit events: got %d, want %d", imported, want)
				}
			})
		}

		t.Run("numbers the campaign has already", func(t *testing.T) {
			id := e.campaign(t, "import again")
			if r := e.importCSV(t, id, "", "phone,gender\n+4791234567,kvinne\n"); r.status != 200 {
				t.Fatalf("first import: got %d %s", r.status, r.body)
			}
			r := e.importCSV(t, id, "", "phone,gender\n+4748123456,mann\n91234567,kvinne\n")
			var rb rejectedBody
			if err := json.Unmarshal(r.body, &rb); err != nil || r.status != 422 || len(rb.Rejected) != 1 || rb.Rejected[0].Row != 3 {
				t.Fatalf("second import: got %d %s, want 422 rejecting row 3", r.status, r.body)
			}
			if n := e.stats(t, id).Recipients; n != 1 {
				t.Errorf("recipients after the refused import: got %d, want 1", n)
			}
			r = e.importCSV(t, id, "?partial=true", "phone,gender\n+4748123456,mann\n91234567,kvinne\n")
			var res panel.ImportResult
			if err := json.Unmarshal(r.body, &res); err != nil || r.status != 200 || res.Imported != 1 || len(res.Rejected) != 1 || res.Rejected[0].Row != 3 {
				t.Fatalf("partial import: got %d %s, want 1 imported, row 3 rejected", r.status, r.body)
			}
			rec, err := st.FindRecipient(context.Background(), 0)
			_ = rec
			if panel.ErrorCode(err) != panel.ENOTFOUND {
				t.Errorf("FindRecipient(0): got %v, want not found", err)
			}
		})

		t.Run("attributes kept", func(t *testing.T) {
			id := e.campaign(t, "attributes")
			if r := e.importCSV(t, id, "", "Phone,Gender,AGE\n+4791234567,kvinne,34\n"); r.status != 200 {
				t.Fatalf("import: got %d %s", r.status, r.body)
			}
			var found *panel.Recipient
			for rid := int64(1); rid < 200 && found == nil; rid++ {
				if r, err := st.FindRecipient(context.Background(), rid); err == nil && r.CampaignID == id {
					found = r
				}
			}
			if found == nil || found.Phone != "+4791234567" || found.Attributes["gender"] != "kvinne" || found.Attributes["age"] != "34" || found.State != panel.RecipientPending {
				t.Errorf("recipient: got %+v, want +4791234567 with gender kvinne, age 34, pending", found)
			}
		})

		t.Run("unknown campaign and wrong type", func(t *testing.T) {
			if r := e.importCSV(t, 9999, "", "phone\n+4791234567\n"); r.status != 404 {
				t.Errorf("unknown campaign: got %d %s, want 404", r.status, r.body)
			}
			id := e.campaign(t, "content type")
			r := e.do(t, "POST", fmt.Sprintf("/api/v1/campaigns/%d/recipients", id), e.org, strings.NewReader(`{"phone":1}`), "Content-Type", "application/json")
			if r.status != 415 {
				t.Errorf("JSON body: got %d %s, want 415", r.status, r.body)
			}
		})
	})
}

func TestImportRecipientsLargeBody(t *testing.T) {
	st := storetest.Open(t, storetest.SQLite(t))
	e := setupInvite(t, st)
	id := e.campaign(t, "large")
	var b strings.Builder
	b.WriteString("phone,note\n")
	for i := range 6000 {
		fmt.Fprintf(&b, "+479%07d,%s\n", i, strings.Repeat("x", 190))
	}
	if b.Len() <= int(DefaultBodyLimit) {
		t.Fatalf("test body is %d bytes, want more than the default limit", b.Len())
	}
	r := e.importCSV(t, id, "", b.String())
	if r.status != 200 || !strings.Contains(string(r.body), `"imported":6000`) {
		t.Fatalf("import of %d bytes: got %d %.300s, want 6000 imported", b.Len(), r.status, r.body)
	}
}

func TestSendPauseResume(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := setupInvite(t, st)
		id := e.campaign(t, "send")
		path := func(action string) string { return fmt.Sprintf("/api/v1/campaigns/%d/%s", id, action) }
		steps := []struct {
			name, action, token string
			wantStatus          int
			wantState           string
			wantEnqueued        int
			wantInMsg           string
		}{
			{"pause a draft", "pause", e.org, 409, "", 0, "draft"},
			{"resume a draft", "resume", e.org, 409, "", 0, "draft"},
			{"auditor may not send", "send", e.aud, 403, "", 0, "may only read"},
			{"send", "send", e.org, 202, "sending", 3, ""},
			{"send again", "send", e.org, 202, "sending", 0, ""},
			{"resume while sending", "resume", e.org, 409, "", 0, "sending already"},
			{"pause", "pause", e.org, 200, "paused", 0, ""},
			{"pause twice", "pause", e.org, 409, "", 0, "paused already"},
			{"send while paused", "send", e.org, 409, "", 0, "resume it"},
			{"auditor may not resume", "resume", e.aud, 403, "", 0, ""},
			{"resume", "resume", e.org, 200, "sending", 0, ""},
		}
		if r := e.importCSV(t, id, "", "phone\n+4791234567\n+4791234568\n+4791234569\n"); r.status != 200 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
		for _, s := range steps {
			r := e.do(t, "POST", path(s.action), s.token, nil)
			if r.status != s.wantStatus {
				t.Fatalf("%s: status got %d, want %d (%s)", s.name, r.status, s.wantStatus, r.body)
			}
			if r.status >= 400 {
				if m := r.errorBody(t).Message; !strings.Contains(m, s.wantInMsg) {
					t.Errorf("%s: message %q, want it to contain %q", s.name, m, s.wantInMsg)
				}
				continue
			}
			var got struct {
				State    string `json:"state"`
				Enqueued int    `json:"enqueued"`
			}
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatal(err)
			}
			if got.State != s.wantState || got.Enqueued != s.wantEnqueued {
				t.Errorf("%s: got state %q enqueued %d, want %q %d", s.name, got.State, got.Enqueued, s.wantState, s.wantEnqueued)
			}
		}
		want := []string{"campaign.created", "recipients.imported", "campaign.sending_started", "campaign.paused", "campaign.resumed"}
		if got := e.auditActions(t, id); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("audit: got %v, want %v", got, want)
		}

		// Import more and send again: only the new ones are enqueued, and
		// nobody has two invitations.
		if r := e.importCSV(t, id, "", "phone\n+4791234570\n+4791234571\n"); r.status != 200 {
			t.Fatalf("second import: %d %s", r.status, r.body)
		}
		r := e.do(t, "POST", path("send"), e.org, nil)
		if r.status != 202 || !strings.Contains(string(r.body), `"enqueued":2`) {
			t.Fatalf("send after import: got %d %s, want 202 with 2 enqueued", r.status, r.body)
		}
		if s := e.stats(t, id); s.Invitations != 5 || s.Queued != 5 || s.Recipients != 5 {
			t.Errorf("stats: got %+v, want 5 recipients, 5 invitations, 5 queued", s)
		}

		// A paused campaign's messages are not claimed.
		if r := e.do(t, "POST", path("pause"), e.org, nil); r.status != 200 {
			t.Fatalf("pause: %d %s", r.status, r.body)
		}
		now := time.Now().Add(time.Minute)
		if got, err := st.Claim(ctx, "t", now, 100, time.Minute); err != nil || len(got) != 0 {
			t.Fatalf("claim while paused: got %d messages (%v), want none", len(got), err)
		}
		if r := e.do(t, "POST", path("resume"), e.org, nil); r.status != 200 {
			t.Fatalf("resume: %d %s", r.status, r.body)
		}
		msgs, err := st.Claim(ctx, "t", now, 100, time.Minute)
		if err != nil || len(msgs) != 5 {
			t.Fatalf("claim after resume: got %d (%v), want 5", len(msgs), err)
		}
		seen := map[int64]bool{}
		for _, m := range msgs {
			if seen[m.RecipientID] || m.Kind != panel.KindInvitation || m.Body != "Hei! Vil du være med i innbyggerpanelet? Svar JA." {
				t.Errorf("message %+v: want one invitation per recipient with {keyword} rendered", m)
			}
			seen[m.RecipientID] = true
		}

		// Outcomes: delivered, reported failed, refused (invalid), opted out, still sent.
		fail := func(m *panel.OutboundMessage, code int) {
			if err := st.Fail(ctx, m.ID, "t", code, "refused"); err != nil {
				t.Fatal(err)
			}
		}
		sent := func(m *panel.OutboundMessage, sid string) {
			if err := st.MarkSent(ctx, m.ID, "t", sid, "queued"); err != nil {
				t.Fatal(err)
			}
		}
		sent(msgs[0], "SM0")
		sent(msgs[1], "SM1")
		sent(msgs[2], "SM2")
		fail(msgs[3], 21211)
		fail(msgs[4], panel.ProviderCodeUnsubscribed)
		for sid, status := range map[string]string{"SM0": "delivered", "SM1": "undelivered"} {
			if err := st.ApplyStatus(ctx, sid, status, 0, now); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.SetQuotas(ctx, id, []panel.Quota{{Category: "gender", Value: "kvinne", Min: 2, Max: 3}}); err != nil {
			t.Fatal(err)
		}
		s := e.stats(t, id)
		got := [...]int{s.Recipients, s.Invitations, s.Queued, s.Sent, s.Delivered, s.Failed, s.OptedOut, s.Unreachable, s.Volunteers, s.Declined}
		if want := [...]int{5, 5, 0, 1, 1, 3, 1, 1, 0, 0}; got != want {
			t.Errorf("stats [recipients invitations queued sent delivered failed opted_out unreachable volunteers declined]: got %v, want %v", got, want)
		}
		if s.State != panel.CampaignSending || s.Pool.Volunteers != 0 || len(s.Pool.Unmet) != 1 || s.Pool.Unmet[0].Short != 2 {
			t.Errorf("stats pool: got state %s %+v, want sending and gender=kvinne short by 2", s.State, s.Pool)
		}
		// The opted-out and the refused recipients are not invited again.
		if r := e.do(t, "POST", path("send"), e.org, nil); r.status != 202 || !strings.Contains(string(r.body), `"enqueued":0`) {
			t.Errorf("send after outcomes: got %d %s, want 0 enqueued", r.status, r.body)
		}
		if r := e.do(t, "GET", fmt.Sprintf("/api/v1/campaigns/%d/stats", 999), e.org, nil); r.status != 404 {
			t.Errorf("stats of unknown campaign: got %d, want 404", r.status)
		}
	})
}

func TestCreateCampaignChecksTexts(t *testing.T) {
	st := storetest.Open(t, storetest.SQLite(t))
	e := setupInvite(t, st)
	long := strings.Repeat("Vil du være med på å gi råd til bystyret? ", 12) // 504 GSM-7 characters: 4 segments
	tests := []struct {
		name      string
		text      string
		templates map[string]string
		wantInMsg string // "" means accepted
	}{
		{"gsm-7 with æøå fits", "Hei! Vil du være med i innbyggerpanelet i Trondheim? Svar {keyword} før søndag. Blåbærsyltetøy.", nil, ""},
		{"too long in GSM-7", long, nil, "invitation_text: text needs 4 SMS segments (GSM-7, 504 characters), limit is 3"},
		{"curly quote forces UCS-2", "Hei! Vil du bli med i «panelet»? Svar {keyword}. Vi trenger deg! Vi trenger deg! Vi trenger deg! Vi trenger deg! Vi trenger deg! Vi trenger deg! Vi trenger deg! Vi trenger deg! Vi trenger deg! Vi ’trenger’ deg!",
			nil, `invitation_text: text uses "«" (position 23), which is not in the GSM-7 alphabet, so it would be sent as UCS-2 (70 characters per segment): needs 4 segments, limit is 3`},
		{"emoji forces UCS-2", "Hei 👋 " + strings.Repeat("vil du være med? ", 12), nil, `text uses "👋" (position 5)`},
		{"short UCS-2 text still fits", "Hei 👋 Svar {keyword}", nil, ""},
		{"unknown placeholder", "Hei {navn}, svar {keyword}", nil, "invitation_text: template has an unknown placeholder {navn} at position 5; this message allows {keyword}"},
		{"meeting template too long", "Hei", map[string]string{"meeting_reminder": strings.Repeat("husk møtet ", 30)}, "templates.meeting_reminder: text needs"},
		{"draw template with emoji", "Hei", map[string]string{"draw_selected": "Gratulerer 🎉 " + strings.Repeat("du er trukket ut ", 12)}, `templates.draw_selected: text uses "🎉" (position 12)`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"name": fmt.Sprintf("texts %d", i), "invitation_text": tt.text, "templates": tt.templates})
			r := e.do(t, "POST", "/api/v1/campaigns", e.org, strings.NewReader(string(body)))
			if tt.wantInMsg == "" {
				if r.status != 201 {
					t.Fatalf("got %d %s, want 201", r.status, r.body)
				}
				return
			}
			if r.status != 422 {
				t.Fatalf("got %d %s, want 422", r.status, r.body)
			}
			if m := r.errorBody(t).Message; !strings.Contains(m, tt.wantInMsg) {
				t.Errorf("message: got %q, want it to contain %q", m, tt.wantInMsg)
			}
		})
	}
}
