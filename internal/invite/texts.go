package invite

import (
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

// Defaults of Texts.
const (
	// DefaultKeyword is what the invitation asks people to answer with;
	// the reply parser understands it (and YES, NEI, STOPP, ...).
	DefaultKeyword = "JA"
	// DefaultMaxSegments is how many SMS segments an invitation (and any
	// template without limits of its own) may need: 3 GSM-7 parts are 459
	// characters, 3 UCS-2 parts 201.
	DefaultMaxSegments = 3
)

// InvitationPlaceholders are the placeholders an invitation text may use.
var InvitationPlaceholders = []string{smstext.Keyword, smstext.Deadline}

// unknownSample is the value a placeholder of a template this package does
// not know gets when its length is checked: long, and GSM-7.
var unknownSample = strings.Repeat("x", 40)

// placeholderName finds {name} placeholders (not {{ escapes).
var placeholderName = regexp.MustCompile(`\{([a-z0-9_]+)\}`)

// Texts are the values and limits invitations are rendered and checked with.
type Texts struct {
	// Keyword fills {keyword}. Default DefaultKeyword.
	Keyword string
	// MaxSegments is how many SMS segments the invitation text and other
	// templates may need. Default DefaultMaxSegments. The meeting texts
	// keep their own limit (smstext.Kind.MaxSegments).
	MaxSegments int
}

func (t Texts) withDefaults() Texts {
	if t.Keyword == "" {
		t.Keyword = DefaultKeyword
	}
	if t.MaxSegments <= 0 {
		t.MaxSegments = DefaultMaxSegments
	}
	return t
}

// values are the invitation's placeholder values for campaign c:
// {keyword}, and {deadline} when c has a reply_by date, written in
// Norwegian ("søndag 18. oktober").
func (t Texts) values(c *panel.Campaign) (map[string]string, error) {
	v := map[string]string{smstext.Keyword: t.Keyword}
	d, err := panel.ParseReplyBy(c.ReplyBy)
	if err != nil {
		return nil, err
	}
	if !d.IsZero() {
		v[smstext.Deadline] = smstext.FormatDate(d, d, time.UTC)
	}
	return v, nil
}

// invitationValues returns the values of c's invitation text, or EINVALID
// when the text uses {deadline} and c has no reply_by.
func (t Texts) invitationValues(c *panel.Campaign, tpl *smstext.Template) (map[string]string, error) {
	values, err := t.values(c)
	if err != nil {
		return nil, err
	}
	if _, ok := values[smstext.Deadline]; !ok && slices.Contains(tpl.Placeholders(), smstext.Deadline) {
		return nil, panel.Errorf(panel.EINVALID, "invitation_text uses {deadline}, but the campaign has no reply_by date")
	}
	return values, nil
}

// Check checks c's invitation text and templates: each parses, and fits
// the segment limit when rendered with its values (or, where they are not
// known before sending, with long sample values). An error is EINVALID and
// starts with the field's name, e.g. "invitation_text: text uses "’"
// (position 12), which is not in the GSM-7 alphabet, ...". An empty
// invitation text passes here: panel.Campaign.Validate reports it.
func (t Texts) Check(c *panel.Campaign) error {
	t = t.withDefaults()
	if strings.TrimSpace(c.InvitationText) != "" {
		tpl, err := smstext.Parse(c.InvitationText, InvitationPlaceholders)
		if err != nil {
			return panel.Errorf(panel.EINVALID, "invitation_text: %s", panel.ErrorMessage(err))
		}
		values, err := t.invitationValues(c, tpl)
		if err != nil {
			return err
		}
		if err := smstext.CheckFits(tpl, values, t.MaxSegments); err != nil {
			return panel.Errorf(panel.EINVALID, "invitation_text: %s", panel.ErrorMessage(err))
		}
	}
	var others []string
	meeting := false
	for key := range c.Templates {
		if slices.ContainsFunc(smstext.MeetingKinds, func(k smstext.Kind) bool {
			return k.Key == key || k.KeyIn(panel.LangEnglish) == key
		}) {
			meeting = true
		} else {
			others = append(others, key)
		}
	}
	if meeting {
		for _, k := range smstext.MeetingKinds {
			for _, lang := range []string{panel.LangNorwegian, panel.LangEnglish} {
				if _, err := k.ParseIn(c.Templates, lang); err != nil {
					return err
				}
			}
		}
	}
	sort.Strings(others)
	for _, key := range others {
		if err := t.checkOther(c, c.Templates[key]); err != nil {
			return panel.Errorf(panel.EINVALID, "templates.%s: %s", key, panel.ErrorMessage(err))
		}
	}
	return nil
}

// checkOther checks a template whose placeholders this package does not
// know: any well-formed name is allowed, and names without a standard
// sample value are rendered as 40 characters.
func (t Texts) checkOther(c *panel.Campaign, text string) error {
	var names []string
	for _, m := range placeholderName.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	tpl, err := smstext.Parse(text, names)
	if err != nil {
		return err
	}
	sample := smstext.DefaultSample()
	values, err := t.values(c)
	if err != nil {
		return err
	}
	maps.Copy(sample, values)
	for _, n := range names {
		if _, ok := sample[n]; !ok {
			sample[n] = unknownSample
		}
	}
	return smstext.CheckFits(tpl, sample, t.MaxSegments)
}

// RenderInvitation returns the invitation text of c with its placeholders
// filled in. EINVALID when the text does not parse.
func (t Texts) RenderInvitation(c *panel.Campaign) (string, error) {
	t = t.withDefaults()
	tpl, err := smstext.Parse(c.InvitationText, InvitationPlaceholders)
	if err != nil {
		return "", panel.Errorf(panel.EINVALID, "invitation_text: %s", panel.ErrorMessage(err))
	}
	values, err := t.invitationValues(c, tpl)
	if err != nil {
		return "", err
	}
	return tpl.Render(values)
}
