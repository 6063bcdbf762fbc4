package console

import (
	"testing"

	"github.com/citizenspanel/panel/internal/locale"
)

func TestRowReason(t *testing.T) {
	t.Parallel()
	cats, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	nb, en := cats.Printer("nb", nil), cats.Printer("en", nil)
	for _, tc := range []struct{ why, want string }{
		{"phone is empty", "telefonnummeret mangler"},
		{"not a valid phone number: contains letters", "ikke et gyldig telefonnummer: inneholder bokstaver"},
		{"not a valid phone number: something new", "not a valid phone number: something new"},
		{"phone number repeats row 7", "telefonnummeret gjentar linje 7"},
		{"has 3 fields, the header has 4", "har 3 felt, overskriften har 4"},
		{"district is longer than 200 characters", "district er lengre enn 200 tegn"},
		{"phone number is already imported in this campaign", "telefonnummeret er allerede importert i denne kampanjen"},
		{"a reason nobody knows", "a reason nobody knows"},
	} {
		if got := rowReason(nb, tc.why); got != tc.want {
			t.Errorf("rowReason(nb, %q): got %q, want %q", tc.why, got, tc.want)
		}
		if got := rowReason(en, tc.why); got != tc.why {
			t.Errorf("rowReason(en, %q): got %q, want it unchanged", tc.why, got)
		}
	}
}
