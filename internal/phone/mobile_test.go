package phone_test

import (
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/phone"
)

func TestIsMobile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		phone panel.Phone
		want  bool
	}{
		{"norwegian starting 9", "+4791234567", true},
		{"norwegian starting 4", "+4741234567", true},
		{"norwegian landline 2", "+4722123456", false},
		{"norwegian landline 7", "+4773123456", false},
		{"norwegian freephone 8", "+4780012345", false},
		{"norwegian too short", "+479123456", false},
		{"norwegian with letters", "+47912345a7", false},
		{"swedish mobile", "+46701234567", true},
		{"swedish landline", "+46812345678", false},
		{"uk mobile", "+447400123456", true},
		{"uk landline", "+442079460018", false},
		{"us fixed line or mobile", "+16502530000", true},
		{"empty", "", false},
		{"not e164", "91234567", false},
		{"garbage", "+hello", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := phone.IsMobile(tt.phone); got != tt.want {
				t.Errorf("IsMobile: got %t, want %t", got, tt.want)
			}
		})
	}
}

func TestIsMobileAfterNormalize(t *testing.T) {
	t.Parallel()
	p, err := phone.Normalize("0047 412 34 567", "")
	if err != nil {
		t.Fatal(err)
	}
	if !phone.IsMobile(p) {
		t.Errorf("IsMobile(Normalize(...)): got false, want true")
	}
}

func TestNormalizeMobileAgreesWithIsMobile(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"912 34 567", "22 33 44 55", "800 12 345", "+46 70 123 45 67", "+46 8 123 456 78", "+1 650-253-0000", "(+47) 412 34 567"} {
		p, mobile, err := phone.NormalizeMobile(raw, "")
		if err != nil {
			t.Fatalf("NormalizeMobile(%q): %v", raw, err)
		}
		if mobile != phone.IsMobile(p) {
			t.Errorf("NormalizeMobile(%q): mobile %t, IsMobile %t", raw, mobile, phone.IsMobile(p))
		}
	}
}
