package publicpage_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/publicpage"
	"github.com/citizenspanel/panel/sortition"
)

// TestWasmIsFresh rebuilds the WebAssembly verifier as go generate does and
// fails when the committed assets/verify.wasm or wasm_exec.js differ: run
// go generate ./internal/publicpage after changing the sortition package.
func TestWasmIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the verifier for GOOS=js GOARCH=wasm")
	}
	out := filepath.Join(t.TempDir(), "verify.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out, "./verifywasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the verifier: %v\n%s", err, b)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ built, committed string }{
		{out, "assets/verify.wasm"},
		{filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"), "assets/wasm_exec.js"},
	} {
		want, err := os.ReadFile(f.built)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(f.committed)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./internal/publicpage and commit it", f.committed)
		}
	}
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct{ header, want string }{
		{"", "nb"},
		{"en-GB,en;q=0.9", "en"},
		{"nb-NO,nb;q=0.9,en;q=0.8", "nb"},
		{"en;q=0.5,no;q=0.9", "nb"},
		{"nn", "nb"},
		{"de-DE,en;q=0.7", "en"},
		{"fr", "nb"},
	}
	for _, tt := range tests {
		if got := publicpage.Language(tt.header); got != tt.want {
			t.Errorf("Language(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

// drawnRecord is a small leximin draw's record JSON.
func drawnRecord(t *testing.T) []byte {
	t.Helper()
	quotas, err := sortition.ParseQuotas(strings.NewReader("category,name,min,max\ngender,kvinne,2,2\ngender,mann,2,2\n"), "q.csv")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := sortition.ParsePeople(strings.NewReader("id,gender\np1,kvinne\np2,kvinne\np3,kvinne\np4,mann\np5,mann\np6,mann\np7,mann\n"), "r.csv", sortition.PeopleOptions{Quotas: quotas})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := sortition.Prepare(context.Background(), pool, quotas, sortition.Params{Seats: 4, Reserves: 2, Panels: 60})
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Draw("1-2-3 <rådhuset>"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := sortition.WriteRecord(&b, rec); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRender(t *testing.T) {
	t.Parallel()
	rec := drawnRecord(t)
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"nb", []string{`<html lang="nb">`, "Slik kontrollerer du selv", "Frø avslørt", "2026-11-02 11:00 CET", `<code id="seed">1-2-3 &lt;rådhuset&gt;</code>`, `id="verification"`, "<svg", "<title>p1: 0.", "/public/draws/7/record.json", "/public/draws/7/quotas.csv", "/public/assets/verify.wasm"}},
		{"en", []string{`<html lang="en">`, "How to verify it yourself", "Seed revealed", "Lowest probability"}},
	} {
		var b bytes.Buffer
		if err := publicpage.Render(&b, tt.lang, publicpage.Draw{ID: 7, State: "seeded", CreatedAt: at, CommittedAt: &at, SeededAt: &at, Record: rec}); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s page lacks %q", tt.lang, w)
			}
		}
		if strings.Contains(b.String(), "http://") || strings.Contains(b.String(), "https://") {
			t.Errorf("%s page refers to another host", tt.lang)
		}
	}
	// Before the seed: the commitment and parameters, no panel, no script.
	committed := []byte(`{"state":"committed","format":"panel-draw/2","algorithm":"leximin","seats":4,"reserves_count":2,"household_columns":[],"quotas":[{"category":"gender","value":"kvinne","min":2,"max":2}],"commitment":"sha256:abc","pool_size":7,"lottery_panels":60}`)
	var b bytes.Buffer
	if err := publicpage.Render(&b, "en", publicpage.Draw{ID: 8, State: "committed", CreatedAt: at, Record: committed}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"sha256:abc", "Not drawn yet", "<dd>7</dd>", "<dd>60</dd>"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("committed page lacks %q", w)
		}
	}
	if strings.Contains(b.String(), `id="selected"`) || strings.Contains(b.String(), "verify.js") {
		t.Error("committed page shows a panel or runs the verifier")
	}
}

func TestQuotasCSVReadsBack(t *testing.T) {
	t.Parallel()
	b, err := publicpage.QuotasCSV(drawnRecord(t))
	if err != nil {
		t.Fatal(err)
	}
	q, err := sortition.ParseQuotas(bytes.NewReader(b), "quotas.csv")
	if err != nil || len(q) != 2 || q[0].Value != "kvinne" || q[0].Min != 2 {
		t.Errorf("got %v, %v from %q", q, err, b)
	}
}
