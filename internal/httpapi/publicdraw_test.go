package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store/storetest"
	"github.com/citizenspanel/panel/sortition"
)

// get sends a GET with the given headers and returns status, content type and body.
func (e *drawEnv) get(t *testing.T, path string, headers map[string]string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest("GET", e.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
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
	return res.StatusCode, res.Header.Get("Content-Type"), string(b)
}

// getAuth sends a GET with a bearer token.
func (e *drawEnv) getAuth(t *testing.T, path, token string) (int, string, string) {
	t.Helper()
	return e.get(t, path, map[string]string{"Authorization": "Bearer " + token})
}

// TestPublicDrawPage checks what the public draw URL answers: a browser gets
// the HTML page in its language, other clients the record JSON, and the
// record, quota file and verifier are downloadable.
func TestPublicDrawPage(t *testing.T) {
	t.Parallel()
	e := newDrawEnv(t, storetest.Open(t, storetest.SQLite(t)))
	var camp struct{ ID int64 }
	json.Unmarshal(e.must(t, 201, "POST", "/api/v1/campaigns", e.organiser, "application/json", `{"name":"Trondheim","invitation_text":"Vil du være med? Svar JA eller NEI."}`), &camp)
	base := fmt.Sprintf("/api/v1/campaigns/%d", camp.ID)
	csv, _ := poolCSV(40)
	e.must(t, 200, "POST", base+"/volunteers", e.organiser, "text/csv", csv)
	e.must(t, 200, "PUT", base+"/quotas", e.organiser, "text/csv", strings.Replace(quotasCategoryName, "district,vest,0,1\n", "", 1))
	var d panel.Draw
	json.Unmarshal(e.must(t, 201, "POST", base+"/draws", e.organiser, "application/json", `{"seats":12,"reserves":3,"panels":200}`), &d)
	ppath := fmt.Sprintf("/public/draws/%d", d.ID)
	browser := map[string]string{"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

	// Before the seed: the page shows the commitment, no panel.
	st, ct, body := e.get(t, ppath, browser)
	if st != 200 || !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, d.Commitment) || strings.Contains(body, `id="selected"`) {
		t.Fatalf("page before the seed: %d %s %.300s", st, ct, body)
	}
	e.must(t, 200, "POST", fmt.Sprintf("/api/v1/draws/%d/seed", d.ID), e.organiser, "application/json", `{"seed":"6-2-4 på rådhuset"}`)

	tests := []struct {
		name, path string
		headers    map[string]string
		wantType   string
		want       []string
	}{
		{"browser, bokmål", ppath, browser, "text/html", []string{`<html lang="nb">`, `id="verification"`, "6-2-4 på rådhuset", "<svg", "/public/assets/verify.wasm"}},
		{"browser, English", ppath, map[string]string{"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"}, "text/html", []string{`<html lang="en">`, "How to verify it yourself"}},
		{"browser, ?lang=en", ppath + "?lang=en", browser, "text/html", []string{`<html lang="en">`}},
		{"JSON client", ppath, map[string]string{"Accept": "application/json"}, "application/json", []string{`"format": "panel-draw/2"`}},
		{"no Accept", ppath, nil, "application/json", []string{`"commitment"`}},
		{"record.json from a browser", ppath + "/record.json", browser, "application/json", []string{`"seed": "6-2-4 på rådhuset"`}},
		{"quotas", ppath + "/quotas.csv", nil, "text/csv", []string{"feature,value,min,max\ngender,kvinne,4,8\n"}},
		{"verifier", "/public/assets/verify.wasm", nil, "application/wasm", nil},
		{"wasm_exec.js", "/public/assets/wasm_exec.js", nil, "text/javascript", []string{"Copyright 2018 The Go Authors"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, ct, body := e.get(t, tt.path, tt.headers)
			if st != 200 || !strings.HasPrefix(ct, tt.wantType) {
				t.Fatalf("got %d %s, want 200 %s (%.200s)", st, ct, tt.wantType, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q: %.300s", w, body)
				}
			}
		})
	}
	// Privacy: imported ids are not published, only keyed pseudonyms.
	_, _, published := e.get(t, ppath+"/record.json", nil)
	for _, raw := range []string{`"w001"`, `"w040"`, "+4791"} {
		if strings.Contains(published, raw) {
			t.Errorf("the public record holds %s", raw)
		}
	}
	// Organisers still see who is who; auditors only the pseudonyms.
	_, _, org := e.getAuth(t, fmt.Sprintf("/api/v1/draws/%d", d.ID), e.organiser)
	_, _, aud := e.getAuth(t, fmt.Sprintf("/api/v1/draws/%d", d.ID), e.auditor)
	if !strings.Contains(org, `"volunteer_id":"w0`) || strings.Contains(aud, `"volunteer_id"`) {
		t.Errorf("members: organiser sees %.300s; auditor sees %.300s", org, aud)
	}
	// The quota file and the record verify together.
	_, _, record := e.get(t, ppath+"/record.json", nil)
	_, _, quotas := e.get(t, ppath+"/quotas.csv", nil)
	q, err := sortition.ParseQuotas(strings.NewReader(quotas), "quotas.csv")
	if err != nil {
		t.Fatal(err)
	}
	var rec sortition.Record
	if err := json.Unmarshal([]byte(record), &rec); err != nil {
		t.Fatal(err)
	}
	rep, err := sortition.Verify(t.Context(), &rec, sortition.VerifyOptions{Quotas: q, Resolve: true})
	if err != nil || rep.Err() != nil {
		t.Errorf("record with the downloaded quotas: %v %v", err, rep.Err())
	}
}
