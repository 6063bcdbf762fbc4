package invite

import (
	"slices"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
	"github.com/citizenspanel/panel/internal/templates"
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

// Check checks c's invitation text and templates: every template key is
// one the service knows (package templates), and each text parses and fits
// its segment limit when rendered with its values (or, where they are not
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
	if err := templates.CheckKeys(c.Templates); err != nil {
		return err
	}
	for _, k := range smstext.Kinds {
		for _, lang := range []string{panel.LangNorwegian, panel.LangEnglish} {
			if _, err := k.ParseIn(c.Templates, lang); err != nil {
				return err
			}
		}
	}
	return nil
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
