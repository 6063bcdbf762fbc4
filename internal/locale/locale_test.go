package locale_test

import (
	"testing"
	"time"

	"github.com/citizenspanel/panel/internal/locale"
)

func TestCataloguesComplete(t *testing.T) {
	t.Parallel()
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	if m := c.Missing(); len(m) > 0 {
		t.Errorf("keys without a translation: %v", m)
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ choice, accept, want string }{
		{"", "", "nb"},
		{"", "en-US,en;q=0.9", "en"},
		{"", "nb-NO,nb;q=0.9,en;q=0.8", "nb"},
		{"", "no", "nb"},
		{"", "nn-NO", "nb"},
		{"", "de-DE,de;q=0.9", "nb"},
		{"", "de-DE,en;q=0.5", "en"},
		{"nb", "en-GB", "nb"},
		{"en", "", "en"},
		{"fr", "en", "en"},
		{"", "garbage;;q=x", "nb"},
	} {
		if got := c.Match(tc.choice, tc.accept); got != tc.want {
			t.Errorf("Match(%q, %q): got %s, want %s", tc.choice, tc.accept, got, tc.want)
		}
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 13, 5, 0, 0, time.UTC) // 14:05 in Oslo
	nb, en := c.Printer("nb", oslo), c.Printer("en", oslo)
	for _, tc := range []struct{ got, want string }{
		{nb.DateTime(at), "6. des. 2026 kl. 14:05"},
		{en.DateTime(at), "6 Dec 2026, 14:05"},
		{nb.Date(at), "6. des. 2026"},
		{nb.Int(4000), "4\u00a0000"},
		{en.Int(1234567), "1,234,567"},
		{nb.Int(-12), "-12"},
		{nb.Decimal(2.5), "2,5"},
		{en.Decimal(2.5), "2.5"},
		{nb.T("login.title"), "Logg inn"},
		{en.T("layout.signed_in_as", "kari", "organiser"), "Signed in as kari (organiser)"},
		{en.T("no.such.key"), "[no.such.key]"},
		{c.Printer("xx", nil).Lang, "nb"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	t.Parallel()
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	nb, en := c.Printer("nb", nil), c.Printer("en", nil)
	for _, tc := range []struct{ got, want string }{
		{nb.N("recipients.rejected_count", 1), "1 linje avvist"},
		{nb.N("recipients.rejected_count", 2), "2 linjer avvist"},
		{nb.N("campaign.recipients_count", 4000), "4\u00a0000 mottakere"},
		{en.N("campaign.recipients_count", 1), "1 recipient"},
		{en.N("inbox.count", 0), "0 messages"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
