package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/xuri/excelize/v2"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/drawcli"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/roster"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// memberEnv is a seeded, notified draw of 12 seats and 6 reserves served
// over HTTP, with the members routes on the same store and draw service.
type memberEnv struct {
	*drawEnv
	members *MemberDeps
	base    string // /api/v1/campaigns/{id}
	drawID  int64
}

func newMemberEnv(t *testing.T, st *store.Store) *memberEnv {
	t.Helper()
	ctx := context.Background()
	ds := newDraws(t, st, draw.Config{Software: drawcli.Software})
	md := testMembers(t, st, ds, nil)
	reg := prometheus.NewRegistry()
	s, err := NewServer(complete(t, Deps{Campaigns: st, Tokens: st, Audit: st, DB: st, Logger: slog.New(slog.DiscardHandler),
		Registerer: reg, Gatherer: reg, Draws: ds, Members: md}))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	_, org, err := st.CreateToken(ctx, panel.RoleOrganiser, "ola")
	if err != nil {
		t.Fatal(err)
	}
	_, aud, err := st.CreateToken(ctx, panel.RoleAuditor, "kari")
	if err != nil {
		t.Fatal(err)
	}
	e := &memberEnv{drawEnv: &drawEnv{url: srv.URL, st: st, draws: ds, organiser: org.Reveal(), auditor: aud.Reveal()}, members: md}
	var camp struct{ ID int64 }
	json.Unmarshal(e.must(t, 201, "POST", "/api/v1/campaigns", e.organiser, "application/json", `{"name":"Trondheim","invitation_text":"Vil du være med? Svar JA eller NEI."}`), &camp)
	e.base = fmt.Sprintf("/api/v1/campaigns/%d", camp.ID)
	pool, _ := poolCSV(80)
	e.must(t, 200, "POST", e.base+"/volunteers", e.organiser, "text/csv", pool)
	e.must(t, 200, "PUT", e.base+"/quotas", e.organiser, "text/csv", strings.Replace(quotasCategoryName, "district,vest,0,1\n", "", 1))
	var d panel.Draw
	json.Unmarshal(e.must(t, 201, "POST", e.base+"/draws", e.organiser, "application/json", `{"seats":12,"reserves":6,"panels":200}`), &d)
	e.drawID = d.ID
	e.must(t, 200, "POST", fmt.Sprintf("/api/v1/draws/%d/seed", d.ID), e.organiser, "application/json", `{"seed":"1-2-3-4"}`)
	e.must(t, 202, "POST", fmt.Sprintf("/api/v1/draws/%d/notify", d.ID), e.organiser, "", "")
	return e
}

// list answers GET .../members as token sees it.
func (e *memberEnv) list(t *testing.T, token string) (roster.List, string) {
	t.Helper()
	b := e.must(t, 200, "GET", e.base+"/members", token, "", "")
	var l roster.List
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatalf("members: %v in %s", err, b)
	}
	return l, string(b)
}

// auditOf returns "action by actor" for the draw's audit events after seq.
func (e *memberEnv) auditOf(t *testing.T, subject string, after int64) ([]string, int64) {
	t.Helper()
	events, err := e.st.ListAuditEvents(context.Background(), panel.AuditFilter{Subject: subject, AfterSeq: after, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	last := after
	for _, ev := range events {
		out = append(out, ev.Action+" by "+ev.Actor)
		last = ev.Seq
	}
	return out, last
}

// TestMembersAndCalls: the members list in order with statuses (phone
// numbers for organisers only), call outcomes, and a decline on the phone
// replaced from the reserves exactly as an SMS decline, audited under
// whoever recorded it.
func TestMembersAndCalls(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		e := newMemberEnv(t, st)
		l, _ := e.list(t, e.organiser)
		if len(l.Panel) != 12 || len(l.Reserves) != 6 || !l.Notified || l.Counts[panel.StatusNotified] != 12 || l.Counts[panel.StatusReserve] != 6 {
			t.Fatalf("members: got %d on the panel, %d reserves, notified %t, counts %v; want 12 notified and 6 reserves", len(l.Panel), len(l.Reserves), l.Notified, l.Counts)
		}
		for i, m := range l.Panel {
			if m.Rank != i+1 || !strings.HasPrefix(m.Phone, "+4791") || m.Values["gender"] == "" {
				t.Errorf("panel[%d]: got rank %d phone %q values %v; want rank %d with a phone and values", i, m.Rank, m.Phone, m.Values, i+1)
			}
		}
		_, auditorBody := e.list(t, e.auditor)
		if strings.Contains(auditorBody, `"phone"`) || strings.Contains(auditorBody, "+4791") {
			t.Errorf("the auditor's members list holds phone numbers: %s", auditorBody)
		}

		first, second := l.Panel[0].PseudoID, l.Panel[1].PseudoID
		calls := e.base + "/members/"
		for _, bad := range []struct {
			token, member, body string
			status              int
		}{
			{e.organiser, first, `{"outcome":"maybe"}`, 422},
			{e.organiser, first, `{"outcome":"reached","support_tags":["wheelchair"]}`, 422},
			{e.organiser, first, `{"outcome":"reached","colour":"red"}`, 422},
			{e.organiser, "nobody", `{"outcome":"reached"}`, 404},
			{e.auditor, first, `{"outcome":"reached"}`, 403},
		} {
			if st0, b := e.call(t, "POST", calls+bad.member+"/calls", bad.token, "application/json", bad.body); st0 != bad.status {
				t.Errorf("call %s for %s: got %d %s, want %d", bad.body, bad.member, st0, b, bad.status)
			}
		}
		_, seq := e.auditOf(t, fmt.Sprintf("draw/%d", e.drawID), 0)

		// Confirmed on the phone, with support needs.
		var res roster.CallResult
		json.Unmarshal(e.must(t, 201, "POST", calls+first+"/calls", e.organiser, "application/json",
			`{"outcome":"confirmed","support_needs":"Trenger tolk (arabisk)","support_tags":["Language","diet","language"]}`), &res)
		if res.Member.State != panel.MemberConfirmed || res.Member.Status != panel.StatusConfirmed || !slices.Equal(res.Call.SupportTags, []string{"language", "diet"}) || res.Call.RecordedBy != "ola" {
			t.Errorf("confirmed call: got member %s/%s, tags %v, by %q; want confirmed, tags [language diet], by ola", res.Member.State, res.Member.Status, res.Call.SupportTags, res.Call.RecordedBy)
		}

		// Declined on the phone: the first reserve that keeps the quotas steps in.
		json.Unmarshal(e.must(t, 201, "POST", calls+second+"/calls", e.organiser, "application/json", `{"outcome":"declined"}`), &res)
		if res.Replacement == "" || res.Member.Status != panel.StatusReplaced || res.Member.ReplacedBy != res.Replacement {
			t.Fatalf("declined call: got %+v, want the member replaced", res)
		}
		l, _ = e.list(t, e.organiser)
		var stepped *roster.Member
		for i := range l.Reserves {
			if l.Reserves[i].PseudoID == res.Replacement {
				stepped = &l.Reserves[i]
			}
		}
		if stepped == nil || stepped.State != panel.MemberSelected || stepped.Replaces != second || stepped.Status != panel.StatusNotified {
			t.Errorf("the reserve who stepped in: got %+v, want selected, notified, replacing %s", stepped, second)
		}
		got, seq := e.auditOf(t, fmt.Sprintf("draw/%d", e.drawID), seq)
		want := []string{"draw.member_confirmed by ola", "member.call_recorded by ola", "draw.member_declined by ola",
			"member.call_recorded by ola", "draw.member_replaced by ola"}
		if !slices.Equal(got, want) {
			t.Errorf("audit: got %q, want %q", got, want)
		}
		if st0, b := e.call(t, "POST", calls+second+"/calls", e.organiser, "application/json", `{"outcome":"confirmed"}`); st0 != 409 {
			t.Errorf("confirming a member who left: got %d %s, want 409", st0, b)
		}

		// The console's caller records through the same service: the
		// replacement is audited under the caller's name.
		caller := panel.WithActor(context.Background(), panel.Actor{Name: "siri", Role: panel.RoleCaller})
		third := l.Panel[2].PseudoID
		cres, err := e.members.Roster.RecordCall(caller, e.drawCampaign(t), third, panel.CallInput{Outcome: panel.CallDeclined})
		if err != nil || cres.Replacement == "" {
			t.Fatalf("caller's decline: got %+v, %v; want a replacement", cres, err)
		}
		got, _ = e.auditOf(t, fmt.Sprintf("draw/%d", e.drawID), seq)
		want = []string{"draw.member_declined by siri", "member.call_recorded by siri", "draw.member_replaced by siri"}
		if !slices.Equal(got, want) {
			t.Errorf("caller's audit: got %q, want %q", got, want)
		}
		auditor := panel.WithActor(context.Background(), panel.Actor{Name: "kari", Role: panel.RoleAuditor})
		if _, err := e.members.Roster.RecordCall(auditor, e.drawCampaign(t), third, panel.CallInput{Outcome: panel.CallReached}); panel.ErrorCode(err) != panel.EFORBIDDEN {
			t.Errorf("auditor recording a call: got %v, want forbidden", err)
		}

		// The calls of a member: free text for organisers only.
		b := e.must(t, 200, "GET", calls+first+"/calls", e.organiser, "", "")
		if !strings.Contains(string(b), "Trenger tolk (arabisk)") {
			t.Errorf("organiser's calls of %s: %s, want the support needs", first, b)
		}
		b = e.must(t, 200, "GET", calls+first+"/calls", e.auditor, "", "")
		if strings.Contains(string(b), "tolk") || !strings.Contains(string(b), `"language"`) {
			t.Errorf("auditor's calls of %s: %s, want tags without the free text", first, b)
		}
	})
}

// drawCampaign returns the campaign id of the env's draw.
func (e *memberEnv) drawCampaign(t *testing.T) int64 {
	t.Helper()
	d, err := e.st.FindDraw(context.Background(), e.drawID)
	if err != nil {
		t.Fatal(err)
	}
	return d.CampaignID
}

// readCSV checks the byte order mark and reads an export.
func readCSV(t *testing.T, b []byte, comma rune) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatalf("CSV does not start with the UTF-8 byte order mark: %q", b[:min(len(b), 20)])
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	r.Comma = comma
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v", err)
	}
	return rows
}

// TestExports: every export in both formats for an organiser and an
// auditor; the XLSX read back equals the CSV; phone numbers only for the
// organiser; formula-like cells neutralised; each download audited.
func TestExports(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, db storetest.Database) {
		st := storetest.Open(t, db)
		raw := &storeEnv{db: db} // plain SQL for a fixture the API has no call for
		e := newMemberEnv(t, st)
		// A volunteer whose id and district a spreadsheet would run as formulas.
		e.must(t, 200, "POST", e.base+"/volunteers", e.organiser, "text/csv", "id,phone,gender,age,district\n@risky,+4790000001,kvinne,65+,\"=HYPERLINK(\"\"http://x\"\")\"\n")
		raw.exec(t, `UPDATE recipients SET state = 'unreachable' WHERE phone = '+4791000005'`)
		_, before := e.auditOf(t, "", 0)
		for _, what := range []string{"panel", "reserves", "pool", "failed", "absences"} {
			for _, who := range []struct {
				name, token string
				phones      bool
			}{{"ola", e.organiser, true}, {"kari", e.auditor, false}} {
				path := e.base + "/export/" + what
				csvBody := e.must(t, 200, "GET", path+".csv", who.token, "", "")
				rows := readCSV(t, csvBody, ',')
				if hasPhone := slices.Contains(rows[0], "phone"); hasPhone != who.phones {
					t.Errorf("%s.csv for %s: header %v has phone %t, want %t", what, who.name, rows[0], hasPhone, who.phones)
				}
				if !who.phones && strings.Contains(string(csvBody), "+479") {
					t.Errorf("%s.csv for the auditor holds a phone number", what)
				}
				xb := e.must(t, 200, "GET", path+".xlsx", who.token, "", "")
				f, err := excelize.OpenReader(bytes.NewReader(xb))
				if err != nil {
					t.Fatalf("%s.xlsx: %v", what, err)
				}
				xrows, err := f.GetRows(what)
				f.Close()
				if err != nil {
					t.Fatalf("%s.xlsx sheet %q: %v", what, what, err)
				}
				for i := range xrows { // GetRows drops trailing empty cells
					for len(xrows[i]) < len(rows[0]) {
						xrows[i] = append(xrows[i], "")
					}
				}
				if fmt.Sprint(xrows) != fmt.Sprint(rows) {
					t.Errorf("%s.xlsx for %s differs from the CSV:\n xlsx %q\n csv  %q", what, who.name, xrows, rows)
				}
				switch what {
				case "panel", "reserves":
					if want := map[string]int{"panel": 13, "reserves": 7}[what]; len(rows) != want {
						t.Errorf("%s.csv: got %d rows, want %d with the header", what, len(rows), want)
					}
				case "pool":
					last := rows[len(rows)-1]
					if !slices.Contains(last, "'@risky") || !slices.Contains(last, `'=hyperlink("http://x")`) || !strings.Contains(fmt.Sprint(rows), "sør") {
						t.Errorf("pool.csv: the formula cells are not neutralised or sør is lost: last row %q", last)
					}
					if who.phones && !slices.Contains(last, "+4790000001") {
						t.Errorf("pool.csv for the organiser: the E.164 number was changed: %q", last)
					}
				case "failed":
					if len(rows) != 2 || !slices.Contains(rows[1], "unreachable") {
						t.Errorf("failed.csv: got %q, want the unreachable number", rows)
					}
				}
			}
		}
		got, _ := e.auditOf(t, "", before)
		if n := len(got); n != 20 {
			t.Errorf("audit: got %d events for 20 downloads: %q", n, got)
		}
		if !slices.Contains(got, "export.downloaded by kari") || !slices.Contains(got, "export.downloaded by ola") {
			t.Errorf("audit: got %q, want export.downloaded by ola and by kari", got)
		}

		b := e.must(t, 200, "GET", e.base+"/export/panel.csv?sep=semicolon", e.organiser, "", "")
		if rows := readCSV(t, b, ';'); len(rows[0]) < 5 || rows[0][0] != "member" {
			t.Errorf("semicolon CSV: got header %q", rows[0])
		}
		for _, bad := range []struct {
			path   string
			status int
		}{{"/export/votes.csv", 404}, {"/export/panel.pdf", 404}, {"/export/panel", 404}, {"/export/panel.csv?sep=pipe", 422}, {"/export/panel.csv?x=1", 422}} {
			if st0, b := e.call(t, "GET", e.base+bad.path, e.organiser, "", ""); st0 != bad.status || !strings.Contains(string(b), `"error"`) {
				t.Errorf("GET %s: got %d %s, want %d with a JSON error", bad.path, st0, b, bad.status)
			}
		}
	})
}
