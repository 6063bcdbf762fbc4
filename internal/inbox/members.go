package inbox

import (
	"context"
	"log/slog"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reply"
)

// memberStop is what STOP does to a draw member: a member on the panel
// drops out, a reserve can no longer step in.
func memberStop(snap *panel.DialogueSnapshot, out *panel.DialogueOutcome) {
	m := snap.Member
	if m == nil {
		return
	}
	switch m.State {
	case panel.MemberSelected, panel.MemberConfirmed:
		out.MemberState = panel.MemberDropped
	case panel.MemberReserve:
		out.MemberState = panel.MemberDeclined
	}
}

// memberReply handles a reply (not STOP) of a member of a seeded draw and
// reports whether it did; false leaves the message to the recruitment
// dialogue.
func memberReply(intent reply.Intent, lang string, snap *panel.DialogueSnapshot, out *panel.DialogueOutcome) bool {
	m := snap.Member
	if m == nil {
		return false
	}
	if lang == "" && snap.Volunteer != nil {
		lang = snap.Volunteer.Language
	}
	yes := intent == reply.Yes || intent == reply.Confirm
	switch {
	case m.State == panel.MemberSelected && yes:
		out.MemberState, out.Reply = panel.MemberConfirmed, memberText(lang, msgMemberConfirmed)
	case m.State == panel.MemberSelected && (intent == reply.No || intent == reply.CantAttend):
		out.MemberState, out.Reply = panel.MemberDeclined, memberText(lang, msgMemberDeclined)
	case m.State == panel.MemberConfirmed && yes:
		out.Reply = memberText(lang, msgMemberAgain)
	case m.State == panel.MemberConfirmed && intent == reply.CantAttend:
		// The absence is recorded after the message is stored (followUp);
		// the message also waits in the organisers' inbox, so they hear of
		// it where they read replies.
		out.Reply, out.ToInbox = memberText(lang, msgMemberAbsent), true
	case m.State == panel.MemberReserve && yes:
		out.Reply = memberText(lang, msgReserveYes)
	case m.State == panel.MemberReserve && intent == reply.No:
		out.MemberState, out.Reply = panel.MemberDeclined, memberText(lang, msgReserveNo)
	default:
		out.ToInbox = true // a person reads it
	}
	return true
}

// memberFollowUp is what Handle does after the message is stored: the
// absence of a confirmed member who cannot come, and the replacement of a
// member who left.
type memberFollowUp struct {
	member  *panel.MemberRef
	absent  bool
	leaving bool
}

// followUp reads what the dialogue decided for a member.
func followUp(in panel.InboundSMS, snap *panel.DialogueSnapshot, out *panel.DialogueOutcome) memberFollowUp {
	m := snap.Member
	if m == nil {
		return memberFollowUp{}
	}
	f := memberFollowUp{member: m}
	f.leaving = (out.MemberState == panel.MemberDeclined || out.MemberState == panel.MemberDropped) &&
		(m.State == panel.MemberSelected || m.State == panel.MemberConfirmed)
	f.absent = !out.OptOut && m.State == panel.MemberConfirmed && reply.Parse(in.Body).Intent == reply.CantAttend
	return f
}

// run carries out the follow-up. Failures are logged: the message is
// stored and answered, and the draw service's periodic job replaces
// members who left.
func (f memberFollowUp) run(ctx context.Context, s *Service, recipientID int64, body string) {
	if f.member == nil {
		return
	}
	if f.absent {
		if _, err := s.absences.CantAttend(ctx, recipientID, body); err != nil {
			s.logger.WarnContext(ctx, "absence not recorded", slog.Int64("member_id", f.member.ID),
				slog.String("code", panel.ErrorCode(err)), slog.String("error", panel.ErrorMessage(err)))
		}
	}
	if f.leaving {
		if err := s.replacements.ReplaceDropouts(ctx, f.member.DrawID); err != nil {
			s.logger.WarnContext(ctx, "member not replaced yet", slog.Int64("draw_id", f.member.DrawID),
				slog.String("code", panel.ErrorCode(err)), slog.String("error", panel.ErrorMessage(err)))
		}
	}
}
