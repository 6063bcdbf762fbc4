package smstext_test

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

func TestCheckFits(t *testing.T) {
	t.Parallel()
	all := []string{smstext.Keyword, smstext.Deadline, smstext.MeetingTitle, smstext.MeetingDate, smstext.MeetingTime, smstext.Place}
	long := strings.Repeat("Dette er en lang tekst. ", 14) // 336 characters
	tests := []struct {
		name   string
		text   string
		sample map[string]string
		max    int
		want   string // "" for fits; else the exact message
	}{
		{"short invitation fits", "Du er invitert til innbyggerpanelet. Svar {keyword} innen {deadline}.", nil, 1, ""},
		{"reminder fits two", "Påminnelse: {meeting_title} {meeting_date} {meeting_time}, {place}. Svar {keyword} hvis du ikke kan komme.", nil, 2, ""},
		{"gsm too long", long + "{keyword}", map[string]string{"keyword": "JA"}, 2,
			"text needs 3 SMS segments (GSM-7, 338 characters), limit is 2"},
		{"extension characters count two", strings.Repeat("€", 81), nil, 1,
			"text needs 2 SMS segments (GSM-7, 162 characters), limit is 1"},
		{"curly quote in template", "Svar ’{keyword}’ innen {deadline}. " + strings.Repeat("Velkommen! ", 10), nil, 2,
			`text uses "’" (position 6), which is not in the GSM-7 alphabet, so it would be sent as UCS-2 (70 characters per segment): needs 3 segments, limit is 2`},
		{"emoji in template", "Hei 😊 " + strings.Repeat("x", 70), nil, 1,
			`text uses "😊" (position 5), which is not in the GSM-7 alphabet, so it would be sent as UCS-2 (70 characters per segment): needs 2 segments, limit is 1`},
		{"en dash in sample value", "Møtet er {meeting_time}. " + strings.Repeat("x", 60), map[string]string{"meeting_time": "kl. 18–21"}, 1,
			`the value of {meeting_time} uses "–" (position 7 in the value), which is not in the GSM-7 alphabet, so it would be sent as UCS-2 (70 characters per segment): needs 2 segments, limit is 1`},
		{"ucs2 that still fits", "Hei “du”", nil, 1, ""},
		{"default sample makes it too long", strings.Repeat("x", 120) + " {meeting_title}", nil, 1,
			"text needs 2 SMS segments (GSM-7, 172 characters), limit is 1"},
		{"caller sample replaces default", strings.Repeat("x", 120) + " {meeting_title}", map[string]string{"meeting_title": "Møte 1"}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tpl, err := smstext.Parse(tt.text, all)
			if err != nil {
				t.Fatal(err)
			}
			err = smstext.CheckFits(tpl, tt.sample, tt.max)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckFits: got %v, want nil", err)
			case tt.want != "" && err == nil:
				t.Errorf("CheckFits: got nil, want %q", tt.want)
			case tt.want != "":
				if got := panel.ErrorMessage(err); got != tt.want {
					t.Errorf("CheckFits:\n got %q\nwant %q", got, tt.want)
				}
				if code := panel.ErrorCode(err); code != panel.EINVALID {
					t.Errorf("code: got %q, want %q", code, panel.EINVALID)
				}
			}
		})
	}
}

func TestCheckFitsErrors(t *testing.T) {
	t.Parallel()
	tpl, err := smstext.Parse("Hei {custom}", []string{"custom"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		sample map[string]string
		max    int
		want   string
	}{
		{"no sample for a custom placeholder", nil, 1, "no sample value for placeholder {custom}"},
		{"zero limit", map[string]string{"custom": "x"}, 0, "at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := smstext.CheckFits(tpl, tt.sample, tt.max)
			if msg := panel.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("CheckFits: got %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}

func TestDefaultSampleIsGSM7(t *testing.T) {
	t.Parallel()
	for name, v := range smstext.DefaultSample() {
		if info := smstext.Analyze(v); info.Encoding != smstext.GSM7 {
			t.Errorf("DefaultSample()[%q]: got %s, want GSM-7", name, info.Encoding)
		}
	}
}
