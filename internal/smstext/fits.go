package smstext

import (
	"fmt"
	"maps"

	"github.com/citizenspanel/panel/internal/panel"
)

// DefaultSample returns long but realistic Norwegian values for the
// standard placeholders, for CheckFits to render with when the caller
// gives none. All are in the GSM-7 alphabet.
func DefaultSample() map[string]string {
	return map[string]string{
		Keyword:      "BEKREFT",
		Deadline:     "søndag 20. desember kl. 23.59",
		MeetingTitle: "Innbyggerpanelet om klima og byutvikling, samling 4",
		MeetingDate:  "torsdag 30. september",
		MeetingTime:  "17.30-21.30",
		Place:        "Trondheim rådhus, bystyresalen, Munkegata 1",
	}
}

// CheckFits renders t with sample values (falling back to DefaultSample
// for placeholders sample lacks) and returns nil if the result fits in
// maxSegments SMS. Otherwise it returns an EINVALID *panel.Error that says
// how many segments the text needs and, when one character forces UCS-2,
// which character and where, such as:
//
//	text needs 3 SMS segments (GSM-7, 342 characters), limit is 2
func CheckFits(t *Template, sample map[string]string, maxSegments int) error {
	if maxSegments < 1 {
		return panel.Errorf(panel.EINVALID, "the SMS segment limit must be at least 1, got %d", maxSegments)
	}
	values := DefaultSample()
	maps.Copy(values, sample)
	for _, name := range t.Placeholders() {
		if _, ok := values[name]; !ok {
			return panel.Errorf(panel.EINVALID, "no sample value for placeholder {%s} to check the text's length with", name)
		}
	}
	text, err := t.Render(values)
	if err != nil {
		return err
	}
	info := Analyze(text)
	if info.Segments <= maxSegments {
		return nil
	}
	if info.Encoding == GSM7 {
		return panel.Errorf(panel.EINVALID, "text needs %d SMS segments (GSM-7, %d characters), limit is %d",
			info.Segments, info.Units, maxSegments)
	}
	return panel.Errorf(panel.EINVALID, "%s, which is not in the GSM-7 alphabet, so it would be sent as UCS-2 (%d characters per segment): needs %d segments, limit is %d",
		ucs2Cause(t, values), UCS2Single, info.Segments, maxSegments)
}

// ucs2Cause names the first character that makes t, rendered with values,
// UCS-2: in the template's own text, or else in a placeholder's value.
func ucs2Cause(t *Template, values map[string]string) string {
	if c := Analyze(t.Text()).FirstNonGSM; c != nil {
		return fmt.Sprintf("text uses %q (position %d)", string(c.Rune), c.Position)
	}
	for _, name := range t.Placeholders() {
		if c := Analyze(values[name]).FirstNonGSM; c != nil {
			return fmt.Sprintf("the value of {%s} uses %q (position %d in the value)", name, string(c.Rune), c.Position)
		}
	}
	return "text uses a character" // not reached: a UCS-2 rendering has a cause above
}
