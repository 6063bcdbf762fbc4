package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/citizenspanel/panel/internal/csvfile"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citizenspanel/panel/internal/draw"
	"github.com/citizenspanel/panel/internal/drawcli"
	"github.com/citizenspanel/panel/internal/inbox"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/sortition"
)

// testDrawService is a draw service on a fresh SQLite store, for the tests
// that use the fakes (the OpenAPI route test sees the draw routes).
func testDrawService(t testing.TB) *draw.Service {
	st := storetest.Open(t, storetest.SQLite(t))
	ds, err := draw.New(st, draw.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// drawEnv is a server on a real store with real tokens.
type drawEnv struct {
	url       string
	st        *store.Store
	draws     *draw.Service
	inbox     *inbox.Service
	organiser string
	auditor   string
}

func newDrawEnv(t *testing.T, st *store.Store) *drawEnv {
	t.Helper()
	return newDrawEnvWith(t, st, nil)
}

// newDrawEnvWith is newDrawEnv with edit applied to the server's Deps.
func newDrawEnvWith(t *testing.T, st *store.Store, edit func(*Deps)) *drawEnv {
	t.Helper()
	ctx := context.Background()
	ds := newDraws(t, st, draw.Config{Software: drawcli.Software})
	reg := prometheus.NewRegistry()
	deps := Deps{Campaigns: st, Tokens: st, Audit: st, DB: st, Logger: slog.New(slog.DiscardHandler),
		Registerer: reg, Gatherer: reg, Draws: ds}
	if edit != nil {
		edit(&deps)
	}
	s, err := NewServer(complete(t, deps))
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
	return &drawEnv{url: srv.URL, st: st, draws: ds, inbox: testInbox(t, st, ds),
		organiser: org.Reveal(), auditor: aud.Reveal()}
}

// call sends a request and returns status and body.
func (e *drawEnv) call(t *testing.T, method, path, token, contentType, body string) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

// must calls and fails the test unless the status is want.
func (e *drawEnv) must(t *testing.T, want int, method, path, token, contentType, body string) []byte {
	t.Helper()
	st, b := e.call(t, method, path, token, contentType, body)
	if st != want {
		t.Fatalf("%s %s: got %d %s, want %d", method, path, st, b, want)
	}
	return b
}

// poolCSV is n volunteers with phones: gender alternating, three age
// bands, two districts.
func poolCSV(n int) (string, map[string]string) {
	var b strings.Builder
	b.WriteString("id,phone,gender,age,district\n")
	phones := map[string]string{}
	genders := []string{"kvinne", "mann"}
	ages := []string{"18-39", "40-64", "65+"}
	districts := []string{"Nord", "Sør"}
	for i := range n {
		id := fmt.Sprintf("w%03d", i+1)
		ph := fmt.Sprintf("+4791%06d", i+1)
		phones[id] = ph
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s\n", id, ph, genders[i%2], ages[(i/2)%3], districts[(i/6)%2])
	}
	return b.String(), phones
}

const (
	quotasCategoryName = "category,name,min,max\ngender,kvinne,4,8\ngender,mann,4,8\nage,18-39,2,6\nage,40-64,2,6\nage,65+,2,6\ndistrict,nord,3,9\ndistrict,sør,3,9\ndistrict,vest,0,1\n"
	quotasFeature      = "Category,Feature,Min,Max,Notes\ngender,kvinne,4,8,x\ngender,mann,4,8,\nage,18-39,2,6,\nage,40-64,2,6,\nage,65+,2,6,\ndistrict,nord,3,9,\ndistrict,sør,3,9,\ndistrict,vest,0,1,\n"
	quotasFlex         = "feature,value,min,max,min_flex,max_flex\ngender,kvinne,4,8,0,12\ngender,mann,4,8,0,12\nage,18-39,2,6,0,12\nage,40-64,2,6,0,12\nage,65+,2,6,0,12\ndistrict,nord,3,9,0,12\ndistrict,sør,3,9,0,12\ndistrict,vest,0,1,0,1\n"
	quotasJSON         = `[{"category":"gender","value":"kvinne","min":4,"max":8},{"category":"gender","value":"mann","min":4,"max":8},
{"category":"age","value":"18-39","min":2,"max":6},{"category":"age","value":"40-64","min":2,"max":6},{"category":"age","value":"65+","min":2,"max":6},
{"category":"district","value":"nord","min":3,"max":9},{"category":"district","value":"sør","min":3,"max":9},{"category":"district","value":"vest","min":0,"max":1}]`
)

// TestDrawCeremony runs the whole ceremony through HTTP on each database.
func TestDrawCeremony(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newDrawEnv(t, st)
		var camp struct{ ID int64 }
		json.Unmarshal(e.must(t, 201, "POST", "/api/v1/campaigns", e.organiser, "application/json", `{"name":"Trondheim","invitation_text":"Vil du være med? Svar JA eller NEI."}`), &camp)
		base := fmt.Sprintf("/api/v1/campaigns/%d", camp.ID)

		// Volunteers: a bad file is refused whole, naming rows; a good one imported.
		st0, b := e.call(t, "POST", base+"/volunteers", e.organiser, "text/csv", "id,phone,gender\nx1,12,kvinne\nx1,,\n")
		if st0 != 422 || !strings.Contains(string(b), `"row":2`) || !strings.Contains(string(b), `"row":3`) || !strings.Contains(string(b), "repeats row 2") {
			t.Fatalf("bad volunteers: got %d %s", st0, b)
		}
		// Every cell is capped at csvfile.MaxCellLength, as for recipients:
		// a longer address or category is refused with its row, nothing stored.
		long := strings.Repeat("å", csvfile.MaxCellLength+1)
		for _, bad := range []struct{ body, want string }{
			{"id,gender,age,district,address\nl1,kvinne,65+,nord," + long + "\n", "address is longer than 200 characters"},
			{"id,gender,age,district\nl2,kvinne,65+," + long + "\n", "district is longer than 200 characters"},
		} {
			st0, b = e.call(t, "POST", base+"/volunteers?partial=true", e.organiser, "text/csv", bad.body)
			if st0 != 200 || !strings.Contains(string(b), `"imported":0`) || !strings.Contains(string(b), `{"row":2,"error":"`+bad.want) {
				t.Fatalf("long cell: got %d %s, want row 2 rejected with %q", st0, b, bad.want)
			}
		}
		csv, byExternal := poolCSV(80)
		b = e.must(t, 200, "POST", base+"/volunteers", e.organiser, "text/csv", csv)
		if !strings.Contains(string(b), `"imported":80`) {
			t.Fatalf("import: %s", b)
		}
		// The record knows imported volunteers by keyed pseudonyms only.
		secret, err := st.RecordSecret(ctx, camp.ID)
		if err != nil {
			t.Fatal(err)
		}
		phones := map[string]string{}
		for id, ph := range byExternal {
			if pid := draw.PublicID(secret, panel.SourceImport, id); pid == id || !strings.HasPrefix(pid, "v") {
				t.Fatalf("imported id %q is published as %q", id, pid)
			} else {
				phones[pid] = ph
			}
		}
		st0, b = e.call(t, "POST", base+"/volunteers", e.organiser, "text/csv", "id,phone,gender,age,district\nw001,,kvinne,65+,nord\nnew1,,mann,65+,nord\n")
		if st0 != 409 || !strings.Contains(string(b), "already a volunteer") {
			t.Fatalf("duplicate volunteer: got %d %s", st0, b)
		}
		b = e.must(t, 200, "POST", base+"/volunteers?partial=true", e.organiser, "text/csv", "id,gender,age,district\nw002,mann,65+,nord\nextra1,mann,65+,vest\n")
		if !strings.Contains(string(b), `"imported":1`) || !strings.Contains(string(b), `"row":2`) {
			t.Fatalf("partial import: %s", b)
		}

		// Quotas: each format accepted; bad ones named.
		for _, q := range []struct{ ct, body string }{
			{"text/csv", quotasCategoryName}, {"text/csv", quotasFeature}, {"application/json", quotasJSON}, {"text/csv", quotasFlex},
		} {
			b := e.must(t, 200, "PUT", base+"/quotas?seats=12", e.organiser, q.ct, q.body)
			var got quotaAnswer
			if err := json.Unmarshal(b, &got); err != nil || len(got.Quotas) != 8 || got.Quotas[0].Max != 8 {
				t.Fatalf("quotas %q: got %s", q.body[:20], b)
			}
		}
		// The population share each quota came from: an optional column or
		// field, kept as given (a decimal comma too), absent when empty.
		shared := strings.Replace(strings.Replace(quotasCategoryName, "category,name,min,max\n", "category,name,min,max,share\n", 1), "gender,kvinne,4,8\n", "gender,kvinne,4,8,\"0,51\"\n", 1)
		sharedJSON := strings.Replace(quotasJSON, `"value":"kvinne","min":4,"max":8}`, `"value":"kvinne","min":4,"max":8,"share":0.51}`, 1)
		for _, q := range []struct{ ct, body string }{{"text/csv", shared}, {"application/json", sharedJSON}} {
			var got quotaAnswer
			if err := json.Unmarshal(e.must(t, 200, "PUT", base+"/quotas?seats=12", e.organiser, q.ct, q.body), &got); err != nil ||
				got.Quotas[0].Share == nil || *got.Quotas[0].Share != 0.51 || got.Quotas[1].Share != nil {
				t.Fatalf("quotas with a share (%s): got %+v, %v", q.ct, got.Quotas, err)
			}
			var listed quotaAnswer
			if err := json.Unmarshal(e.must(t, 200, "GET", base+"/quotas", e.auditor, "", ""), &listed); err != nil || len(listed.Quotas) == 0 || listed.Quotas[0].Share == nil || *listed.Quotas[0].Share != 0.51 {
				t.Fatalf("quotas listed after a share (%s): %+v, %v", q.ct, listed, err)
			}
		}
		for _, bad := range []struct{ ct, body, want string }{
			{"text/csv", "category,name,min,max,share\ngender,kvinne,4,8,0.5\ngender,mann,4,8,1.5\n", `row 3, column share: the share must be a number from 0 to 1, got \"1.5\"`},
			{"text/csv", "category,name,min,max,Share\ngender,kvinne,4,8,half\n", "row 2, column Share"},
			{"application/json", `[{"category":"gender","value":"kvinne","min":4,"max":8,"share":-0.1}]`, "share must be a number from 0 to 1"},
			{"text/csv", "category,name,min,max\ngender,kvinne,4,8\ngender,mann,4,8\nage,18-39,2,6\nage,40-64,2,6\nage,65+,2,6\ndistrict,nord,3,9\ndistrict,sør,3,9\ndistrict,vest,0,1\nhair,red,0,2\n", `unknown category \"hair\"`},
			{"text/csv", "category,name,min,max\ngender,kvinne,5,x\n", "row 2"},
			{"text/csv", "name,min\n", "header"},
			{"text/csv", strings.Replace(quotasFlex, "district,vest,0,1,0,1", "district,vest,2,3,0,3", 1), "smallest relaxation"},
		} {
			st0, b := e.call(t, "PUT", base+"/quotas?seats=12", e.organiser, bad.ct, bad.body)
			if st0 != 422 || !strings.Contains(string(b), bad.want) {
				t.Errorf("bad quotas %q: got %d %s, want 422 naming %s", bad.body, st0, b, bad.want)
			}
		}
		// A value no volunteer has yet is allowed: volunteers may still come.
		e.must(t, 200, "PUT", base+"/quotas?seats=12", e.organiser, "text/csv", "category,name,min,max\ngender,kvinne,4,8\ngender,mann,4,8\nage,18-39,2,6\nage,40-64,2,6\nage,65+,2,6\ndistrict,nord,3,9\ndistrict,sør,3,9\ndistrict,vest,0,1\ndistrict,øst,0,8\n")
		e.must(t, 200, "PUT", base+"/quotas", e.organiser, "text/csv", quotasCategoryName)
		if b := e.must(t, 200, "GET", base+"/quotas", e.auditor, "", ""); !strings.Contains(string(b), `"sør"`) {
			t.Fatalf("GET quotas: %s", b)
		}

		// Draws: bad parameters and infeasible seat counts are 422, and so
		// is a household rule on a pool without any address (it would be
		// recorded without being applied).
		for _, body := range []string{`{"seats":0}`, `{"seats":12,"algorithm":"dice"}`, `{"seats":40,"reserves":2}`, `{"seats":12,"address_columns":["adresse"]}`,
			`{"seats":12,"time_limit_seconds":-1}`, `{"seats":12,"time_limit_seconds":86401}`} {
			if st0, b := e.call(t, "POST", base+"/draws", e.organiser, "application/json", body); st0 != 422 {
				t.Errorf("draw %s: got %d %s, want 422", body, st0, b)
			}
		}
		var d panel.Draw
		json.Unmarshal(e.must(t, 201, "POST", base+"/draws", e.organiser, "application/json", `{"seats":12,"reserves":6,"panels":200,"confirm_within":"48h"}`), &d)
		if d.State != panel.DrawCommitted || !strings.HasPrefix(d.Commitment, "sha256:") {
			t.Fatalf("draw: got state %q commitment %q", d.State, d.Commitment)
		}
		if st0, b := e.call(t, "POST", base+"/draws", e.organiser, "application/json", `{"seats":12}`); st0 != 409 {
			t.Errorf("second live draw: got %d %s, want 409", st0, b)
		}
		dpath := fmt.Sprintf("/api/v1/draws/%d", d.ID)
		ppath := fmt.Sprintf("/public/draws/%d", d.ID)
		// The lottery computation's progress is cleared once committed.
		if b := e.must(t, 200, "GET", dpath, e.auditor, "", ""); strings.Contains(string(b), "lottery_progress") {
			t.Errorf("GET committed draw shows lottery_progress: %s", b)
		}

		// The pool is frozen: a late volunteer is not in the draw.
		e.must(t, 200, "POST", base+"/volunteers", e.organiser, "text/csv", "id,gender,age,district\nlate1,kvinne,65+,nord\n")

		// Before the seed: only the commitment and the parameters.
		pre := e.must(t, 200, "GET", ppath, "", "", "")
		var prep map[string]json.RawMessage
		if err := json.Unmarshal(pre, &prep); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"pool", "lottery", "seed", "selected", "reserves", "probabilities"} {
			if _, ok := prep[k]; ok {
				t.Errorf("before the seed the public page shows %q", k)
			}
		}
		if string(prep["commitment"]) != strconv.Quote(d.Commitment) || string(prep["pool_size"]) != "81" ||
			string(prep["seats"]) != "12" || string(prep["lottery_panels"]) != "200" || string(prep["state"]) != `"committed"` {
			t.Errorf("before the seed: got %s", pre)
		}

		// Auditors read but change nothing.
		for _, w := range [][2]string{{"PUT", base + "/quotas"}, {"POST", base + "/volunteers"}, {"POST", base + "/draws"},
			{"POST", dpath + "/seed"}, {"POST", dpath + "/notify"}, {"POST", dpath + "/members/" + draw.PublicID(secret, panel.SourceImport, "w001") + "/drop"}} {
			if st0, b := e.call(t, w[0], w[1], e.auditor, "application/json", `{"seed":"x"}`); st0 != 403 {
				t.Errorf("auditor %s %s: got %d %s, want 403", w[0], w[1], st0, b)
			}
		}
		e.must(t, 200, "GET", dpath, e.auditor, "", "")

		// Exactly one seed, also when two race.
		seed := "3-5-1-6-2-2-4-5 read at the council meeting"
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i], _ = e.call(t, "POST", dpath+"/seed", e.organiser, "application/json", `{"seed":"`+seed+`"}`)
			}()
		}
		wg.Wait()
		slices.Sort(codes)
		if codes[0] != 200 || codes[1] != 409 {
			t.Fatalf("two seeds at once: got %v, want one 200 and one 409", codes)
		}
		if st0, _ := e.call(t, "POST", dpath+"/seed", e.organiser, "application/json", `{"seed":"another"}`); st0 != 409 {
			t.Errorf("second seed: got %d, want 409", st0)
		}
		rec := verifyPublished(t, e, ppath, d.Commitment)
		if len(rec.Selected) != 12 || len(rec.Reserves) != 6 || rec.Seed != seed {
			t.Fatalf("record: %d selected, %d reserves, seed %q", len(rec.Selected), len(rec.Reserves), rec.Seed)
		}

		// Notify twice: each of the three groups gets its SMS once.
		for range 2 {
			e.must(t, 202, "POST", dpath+"/notify", e.organiser, "", "")
		}
		msgs, err := st.Claim(ctx, "test", time.Now().Add(time.Hour), 1000, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		groups := map[string]int{}
		for _, m := range msgs {
			switch {
			case strings.HasPrefix(m.Body, "Du er trukket ut"):
				groups["selected"]++
			case strings.Contains(m.Body, "reservelisten"):
				groups["reserve"]++
			case strings.Contains(m.Body, "ikke trukket ut"):
				groups["not_selected"]++
			}
		}
		// 80 with phones in the frozen pool (extra1 came without one).
		withPhone := func(ids []string) (n int) {
			for _, id := range ids {
				if phones[id] != "" {
					n++
				}
			}
			return n
		}
		sel, res := withPhone(rec.Selected), withPhone(rec.Reserves)
		if len(msgs) != 80 || groups["selected"] != sel || groups["reserve"] != res || groups["not_selected"] != 80-sel-res {
			t.Fatalf("notifications: %d messages, groups %v", len(msgs), groups)
		}

		// One selected member confirms, another declines by SMS: replaced.
		var reachable []string // selected members with a phone
		for _, id := range rec.Selected {
			if phones[id] != "" {
				reachable = append(reachable, id)
			}
		}
		if len(reachable) < 2 {
			t.Fatalf("test pool: fewer than two selected members have a phone: %v", rec.Selected)
		}
		confirmer, decliner := reachable[0], reachable[1]
		sms := func(id, from, body string) string {
			t.Helper()
			reply, err := e.inbox.Handle(ctx, panel.InboundSMS{ProviderID: id, From: panel.Phone(from), To: "+4759440000", Body: body})
			if err != nil {
				t.Fatalf("sms %s: %v", body, err)
			}
			return reply
		}
		if r := sms("SM1", phones[confirmer], "Ja"); !strings.Contains(r, "bekreftet") {
			t.Errorf("confirm reply: %q", r)
		}
		if r := sms("SM2", phones[decliner], "NEI"); !strings.Contains(r, "Plassen går videre") {
			t.Errorf("decline reply: %q", r)
		}
		sms("SM2", phones[decliner], "NEI") // the same message again changes nothing

		// A confirmed member who cannot come to the next meeting: an
		// absence, an audit event, and the message in the organisers' inbox.
		meeting := &panel.Meeting{CampaignID: camp.ID, Title: "Samling 1", StartsAt: time.Now().Add(72 * time.Hour)}
		if err := st.CreateMeeting(ctx, meeting); err != nil {
			t.Fatal(err)
		}
		if r := sms("SM3", phones[confirmer], "Kan ikke komme, er syk"); !strings.Contains(r, "ikke kommer") {
			t.Errorf("absence reply: %q", r)
		}
		if abs, err := st.ListAbsences(ctx, meeting.ID); err != nil || len(abs) != 1 {
			t.Errorf("absences: got %d, %v; want 1", len(abs), err)
		}
		open, _, err := st.ListInbox(ctx, camp.ID, panel.InboxFilter{State: panel.InboxOpen})
		if err != nil || len(open) != 1 || open[0].ProviderID != "SM3" {
			t.Errorf("inbox after the absence: %d messages, %v; want SM3 alone", len(open), err)
		}
		var got drawAnswer
		if err := json.Unmarshal(e.must(t, 200, "GET", dpath, e.organiser, "", ""), &got); err != nil {
			t.Fatal(err)
		}
		states := map[string]*panel.DrawMember{}
		for _, m := range got.Members {
			states[m.PseudoID] = m.DrawMember
		}
		if states[confirmer].State != panel.MemberConfirmed || states[decliner].State != panel.MemberDeclined || states[decliner].ReplacedBy == 0 {
			t.Fatalf("after replies: confirmer %+v decliner %+v", states[confirmer], states[decliner])
		}
		rec = verifyPublished(t, e, ppath, d.Commitment)
		if len(rec.History) != 1 || rec.History[0].Member != decliner || !rec.History[0].QuotasKept || rec.History[0].Replacement != rec.Reserves[0] && !slices.Contains(rec.Reserves, rec.History[0].Replacement) {
			t.Fatalf("history: %+v", rec.History)
		}
		if states[rec.History[0].Replacement].State != panel.MemberSelected {
			t.Errorf("replacement state: %+v", states[rec.History[0].Replacement])
		}
		more, err := st.Claim(ctx, "test", time.Now().Add(time.Hour), 1000, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(more) != 1 || !strings.HasPrefix(more[0].Body, "Du er trukket ut") {
			t.Fatalf("replacement SMS: %d messages", len(more))
		}

		// An organiser drops a member: replaced too; a second drop is a conflict.
		var dropped string // a selected member who has not answered
		for _, id := range rec.Selected {
			if id != confirmer && id != decliner {
				dropped = id
				break
			}
		}
		e.must(t, 200, "POST", dpath+"/members/"+dropped+"/drop", e.organiser, "", "")
		if st0, _ := e.call(t, "POST", dpath+"/members/"+dropped+"/drop", e.organiser, "", ""); st0 != 409 {
			t.Errorf("second drop: got %d, want 409", st0)
		}
		rec = verifyPublished(t, e, ppath, d.Commitment)
		if len(rec.History) != 2 || rec.History[1].Member != dropped {
			t.Fatalf("history after drop: %+v", rec.History)
		}
		if n, err := st.VerifyAuditChain(ctx); err != nil || n == 0 {
			t.Fatalf("audit chain: %d, %v", n, err)
		}
		events, err := st.ListAuditEvents(ctx, panel.AuditFilter{Subject: fmt.Sprintf("draw/%d", d.ID), Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range events {
			actions = append(actions, ev.Action)
		}
		for _, want := range []string{"draw.created", "draw.committed", "draw.seeded", "draw.notified", "draw.member_confirmed", "draw.member_declined", "draw.member_replaced", "draw.member_dropped"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit events %v lack %s", actions, want)
			}
		}
	})
}

// verifyPublished downloads the public record, checks it has no phone
// numbers and runs panel verify on it.
func verifyPublished(t *testing.T, e *drawEnv, path, commitment string) *sortition.Record {
	t.Helper()
	b := e.must(t, 200, "GET", path, "", "", "")
	if bytes.Contains(b, []byte("+47")) || regexp.MustCompile(`4791\d{6}`).Match(b) {
		t.Fatalf("the published record holds a phone number")
	}
	file := filepath.Join(t.TempDir(), "record.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := drawcli.Verify(context.Background(), []string{file}, &out, &errOut); err != nil || !strings.Contains(out.String(), "verified") {
		t.Fatalf("panel verify: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	var rec sortition.Record
	if err := json.Unmarshal(b, &rec); err != nil || rec.Commitment != commitment {
		t.Fatalf("record: commitment %q, %v", rec.Commitment, err)
	}
	return &rec
}
