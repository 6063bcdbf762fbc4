package phone_test

import (
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/phone"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		raw    string
		region string
		want   panel.Phone
	}{
		{"norwegian mobile national with spaces", "912 34 567", "", "+4791234567"},
		{"norwegian mobile starting 4", "41234567", "NO", "+4741234567"},
		{"norwegian landline Oslo", "22 12 34 56", "", "+4722123456"},
		{"norwegian with +47", "+47 912 34 567", "", "+4791234567"},
		{"norwegian with 0047", "0047 912 34 567", "", "+4791234567"},
		{"norwegian with 0047 no spaces", "004791234567", "", "+4791234567"},
		{"norwegian with dots and parentheses", "+47 (912) 34.567", "", "+4791234567"},
		{"norwegian with dashes", "912-34-567", "", "+4791234567"},
		{"country code in parentheses", "(+47) 912 34 567", "", "+4791234567"},
		{"0047 in parentheses", "(0047) 912 34 567", "", "+4791234567"},
		{"surrounding whitespace", "  91234567\t", "", "+4791234567"},
		{"non-breaking spaces", "912\u00a034\u00a0567", "", "+4791234567"},
		{"lower-case region", "91234567", "no", "+4791234567"},
		{"norwegian freephone", "800 12 345", "", "+4780012345"},
		{"swedish mobile national in SE", "070-123 45 67", "SE", "+46701234567"},
		{"swedish mobile international", "+46 70 123 45 67", "", "+46701234567"},
		{"swedish mobile with 0046 from Norway", "0046 70 123 45 67", "", "+46701234567"},
		{"swedish landline Stockholm", "+46 8 123 456 78", "", "+46812345678"},
		{"uk mobile national in GB", "07400 123456", "GB", "+447400123456"},
		{"uk mobile international", "+44 7400 123456", "", "+447400123456"},
		{"uk landline London", "+44 (20) 7946 0018", "", "+442079460018"},
		{"us number", "+1 650-253-0000", "", "+16502530000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := phone.Normalize(tt.raw, tt.region)
			if err != nil {
				t.Fatalf("Normalize: got error %v, want %s", err, tt.want)
			}
			if got != tt.want {
				t.Errorf("Normalize: got %s, want %s", string(got), tt.want)
			}
		})
	}
}

func TestNormalizeRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		raw    string
		region string
		reason string // expected in the message
	}{
		{"empty", "", "", "empty"},
		{"only spaces", "   ", "", "empty"},
		{"only plus", "+", "", "empty"},
		{"letters", "hello", "", "contains letters"},
		{"vanity letters", "+47 9123 ABCD", "", "contains letters"},
		{"extension", "91234567 ext 12", "", "contains letters"},
		{"emoji", "91234567 📞", "", "characters other than digits"},
		{"second plus", "++4791234567", "", `"+" may only come before the digits`},
		{"plus in the middle", "47+91234567", "", `"+" may only come before the digits`},
		{"two digits", "12", "", "too short"},
		{"seven digits in Norway", "1234567", "", "wrong number of digits"},
		{"nine digits in Norway", "912345678", "", "too long"},
		{"norwegian number too long", "+47 9123 4567 8", "", "too long"},
		{"norwegian unused range 1", "12345678", "", "no such number"},
		{"norwegian unused range 0", "02123456", "", "no such number"},
		{"unknown country code", "+999 1234 5678", "", "unknown country code"},
		{"uk number missing digits", "+44 7400 1234", "", "local number without its area code"},
		{"swedish national without region is read as norwegian", "070-123 45 67", "", "too long"},
		{"absurdly long input", strings.Repeat("9", 100), "", "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := phone.Normalize(tt.raw, tt.region)
			if err == nil {
				t.Fatalf("Normalize: got %s, want an error mentioning %q", string(got), tt.reason)
			}
			if code := panel.ErrorCode(err); code != panel.EINVALID {
				t.Errorf("error code: got %q, want %q", code, panel.EINVALID)
			}
			msg := panel.ErrorMessage(err)
			if !strings.Contains(msg, tt.reason) {
				t.Errorf("message: got %q, want it to mention %q", msg, tt.reason)
			}
			if !strings.HasPrefix(msg, "not a valid phone number") {
				t.Errorf("message: got %q, want it to start with %q", msg, "not a valid phone number")
			}
			if digits := onlyDigits(tt.raw); len(digits) >= 4 && strings.Contains(onlyDigits(msg), digits) {
				t.Errorf("message: got %q, which echoes the number", msg)
			}
		})
	}
}

func TestNormalizeUnknownRegion(t *testing.T) {
	t.Parallel()
	_, err := phone.Normalize("91234567", "XX")
	if code := panel.ErrorCode(err); code != panel.EINVALID {
		t.Fatalf("error code: got %q, want %q", code, panel.EINVALID)
	}
	if msg := panel.ErrorMessage(err); !strings.Contains(msg, "region") {
		t.Errorf("message: got %q, want it to name the region", msg)
	}
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// BenchmarkNormalize normalises 10,000 numbers of mixed shapes per
// iteration and reports the cost of one.
func BenchmarkNormalize(b *testing.B) {
	shapes := []string{"912 34 567", "+47 412 34 567", "0047 98765432", "+46 70 123 45 67", "+44 7400 123456", "22 12 34 56"}
	inputs := make([]string, 10000)
	for i := range inputs {
		inputs[i] = shapes[i%len(shapes)]
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range inputs {
			if _, err := phone.Normalize(raw, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(inputs)), "ns/number")
}
