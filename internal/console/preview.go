package console

import (
	"regexp"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/invite"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

// preview is the invitation as the resident will see it, with what
// sending it costs.
type preview struct {
	Text       string   `json:"text"`
	Characters int      `json:"characters"`
	Encoding   string   `json:"encoding"` // "GSM-7" or "UCS-2"
	Segments   int      `json:"segments"`
	Recipients int      `json:"recipients"`
	Total      int      `json:"total"`              // Segments × Recipients
	ForcedBy   string   `json:"forced_by"`          // the first character that forces UCS-2
	Error      string   `json:"error,omitempty"`    // why the text cannot be rendered
	Warnings   []string `json:"warnings,omitempty"` // sentences in the viewer's language
}

// keywordWord finds the default reply keyword typed out as a word.
var keywordWord = regexp.MustCompile(`(?i)(^|[^\p{L}])` + invite.DefaultKeyword + `([^\p{L}]|$)`)

// makePreview renders c's invitation with smstext, as the sender would,
// and lists warnings: no reply keyword, a reply-by date in the past.
// Texts are in the printer's language (warnings) or the domain's.
func (c *Console) makePreview(v viewer, camp *panel.Campaign, recipients int) preview {
	p := preview{Recipients: recipients}
	text, err := invite.Texts{}.RenderInvitation(camp)
	if err != nil {
		p.Error = panel.ErrorMessage(err)
		text = camp.InvitationText
	}
	info := smstext.Analyze(text)
	p.Text, p.Characters, p.Segments = text, info.Characters, info.Segments
	p.Encoding = info.Encoding
	if info.Encoding == smstext.UCS2 {
		if info.FirstNonGSM != nil {
			p.ForcedBy = string(info.FirstNonGSM.Rune)
		}
	}
	p.Total = p.Segments * recipients
	if !strings.Contains(camp.InvitationText, "{"+smstext.Keyword+"}") && !keywordWord.MatchString(camp.InvitationText) {
		p.Warnings = append(p.Warnings, v.L.T("preview.no_keyword", invite.DefaultKeyword))
	}
	if camp.ReplyBy != "" {
		if d, err := time.ParseInLocation(time.DateOnly, camp.ReplyBy, c.loc); err == nil {
			today := c.now().In(c.loc)
			if d.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, c.loc)) {
				p.Warnings = append(p.Warnings, v.L.T("preview.reply_by_past"))
			}
		}
	}
	if p.Encoding == smstext.UCS2 {
		p.Warnings = append(p.Warnings, v.L.T("preview.ucs2", p.ForcedBy))
	}
	return p
}
