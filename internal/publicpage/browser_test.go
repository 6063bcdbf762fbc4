package publicpage_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/citizenspanel/panel/internal/publicpage"
)

// chromium returns the path of a Chromium to drive, skipping the test when
// there is none (failing under CI=true, where browser tests must run).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found; browser tests must run under CI=true (apt-get install chromium)")
	}
	t.Skip("no Chromium found (apt-get install chromium)")
	return ""
}

// pageServer serves one draw's page, its record (as given) and the assets,
// as the service does.
func pageServer(t *testing.T, record []byte) string {
	t.Helper()
	mux := http.NewServeMux()
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	mux.HandleFunc("GET /public/draws/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := publicpage.Render(w, publicpage.Language(r.Header.Get("Accept-Language")), publicpage.Draw{ID: 1, State: "seeded", CreatedAt: at, CommittedAt: &at, SeededAt: &at, Record: record}); err != nil {
			t.Error(err)
		}
	})
	mux.HandleFunc("GET /public/draws/1/record.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(record)
	})
	mux.Handle("GET "+publicpage.AssetsPath, publicpage.Assets())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestPageVerifiesInBrowser opens the public page in headless Chromium: the
// WebAssembly verifier must write "verified" into #verification for a
// genuine record and say what differs for a tampered one.
func TestPageVerifiesInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	exe := chromium(t)
	genuine := drawnRecord(t)
	tampered := bytes.Replace(genuine, []byte(`"reserves_count": 2`), []byte(`"reserves_count": 1`), 1)
	if bytes.Equal(tampered, genuine) {
		t.Fatal("tampering changed nothing")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	for _, tt := range []struct {
		name   string
		record []byte
		want   string
	}{
		{"genuine", genuine, "verified"},
		{"tampered", tampered, "does not verify"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url := pageServer(t, tt.record)
			ctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
			defer cancel()
			if _, err := chromedp.Run(ctx, chromedp.Navigate(url+"/public/draws/1")); err != nil {
				t.Fatalf("load the page: %v", err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("verification").className !== ""`, chromedp.WithPollingTimeout(90*time.Second))); err != nil {
				t.Fatalf("wait for the verification: %v", err)
			}
			text, err := chromedp.Run(ctx, chromedp.Text("#verification"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(text, tt.want) {
				t.Errorf("#verification says %q, want it to start with %q", text, tt.want)
			}
			if tt.name == "tampered" && !strings.Contains(text, "reserves_count") {
				t.Errorf("#verification says %q, want it to name reserves_count", text)
			}
		})
	}
}
