package reminder

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/smstext"
)

var _ panel.Absences = (*Scheduler)(nil)

// CantAttend records that the confirmed panel member reached through
// recipientID cannot attend their next meeting (the first one not
// cancelled that has not started), as an absence and an audit event in
// one transaction. reason is kept with the absence (e.g. the reply's
// text) and is never logged. Calling it again for the same meeting
// changes nothing and returns Created false. ENOTFOUND when the recipient
// is no confirmed member or has no upcoming meeting. A STOP reply must
// not come here: opting out wins and is the inbox's to handle.
func (s *Scheduler) CantAttend(ctx context.Context, recipientID int64, reason string) (panel.CantAttendResult, error) {
	now := s.cfg.Now()
	a, m, created, err := s.store.RecordAbsence(ctx, recipientID, reason, now)
	if err != nil {
		return panel.CantAttendResult{}, fmt.Errorf("record absence: %w", err)
	}
	res := panel.CantAttendResult{
		Absence: a, Meeting: m, Created: created,
		Note: fmt.Sprintf("Kan ikke komme: %s, %s kl. %s", m.Title, smstext.FormatDate(m.StartsAt, now, s.cfg.Location), smstext.FormatTime(m.StartsAt, s.cfg.Location)),
	}
	if created {
		s.cfg.Logger.InfoContext(ctx, "absence recorded", slog.Int64("member_id", a.MemberID), slog.Int64("meeting_id", m.ID))
	}
	return res, nil
}
