// Package roster is the members list of a drawn panel and the
// confirmation calls: organisers and callers see the panel members and
// reserves in order with their status and phone numbers (auditors the same
// without phone numbers or free-text support needs), and record call
// outcomes. A decline recorded by a call replaces the member from the
// reserves through the same path as a decline by SMS.
package roster

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
)

// Config holds the service's settings; zero fields take the defaults
// WithDefaults documents.
type Config struct {
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger gets ids and outcomes, never phone numbers or support needs.
	// Default: discard.
	Logger *slog.Logger
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Service serves the members list and records calls. It is safe for
// concurrent use.
type Service struct {
	store        panel.CallStore
	replacements panel.Replacements
	now          func() time.Time
	logger       *slog.Logger
}

// New returns a Service over store, giving the seats of members who
// decline on the phone to reserves through replacements (the draw
// service, as for SMS declines). Both are required.
func New(store panel.CallStore, replacements panel.Replacements, cfg Config) (*Service, error) {
	if store == nil {
		return nil, errors.New("roster: missing store")
	}
	if replacements == nil {
		return nil, errors.New("roster: missing replacements")
	}
	cfg = cfg.WithDefaults()
	return &Service{store: store, replacements: replacements, now: cfg.Now, logger: cfg.Logger}, nil
}

// Member is one entry of the members list as the actor may see it: Phone
// is set only for organisers and callers; the last call's free-text
// support needs only for them too.
type Member struct {
	*panel.RosterEntry
	Phone string `json:"phone,omitempty"`
}

// List is a campaign's members list.
type List struct {
	CampaignID int64    `json:"campaign_id"`
	DrawID     int64    `json:"draw_id"`
	Notified   bool     `json:"notified"` // the draw's notifications were sent
	Panel      []Member `json:"panel"`    // drawn onto the panel, by rank (those who left included)
	Reserves   []Member `json:"reserves"` // the reserve list, by rank (those who stepped in included)
	// Counts is the number of people per status.
	Counts map[string]int `json:"counts"`
}

// Members returns the campaign's members list for the actor in ctx.
// ENOTFOUND for an unknown campaign; ECONFLICT before the draw is seeded.
func (s *Service) Members(ctx context.Context, campaignID int64) (*List, error) {
	d, err := s.store.CampaignDraw(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	entries, err := s.store.Roster(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	role := panel.ActorOrSystem(ctx).Role
	out := &List{CampaignID: campaignID, DrawID: d.ID, Notified: d.NotifiedAt != nil,
		Panel: []Member{}, Reserves: []Member{}, Counts: map[string]int{}}
	for _, e := range entries {
		m := view(e, role)
		out.Counts[e.Status]++
		if e.Role == panel.RoleSelected {
			out.Panel = append(out.Panel, m)
		} else {
			out.Reserves = append(out.Reserves, m)
		}
	}
	return out, nil
}

// view hides what role may not see.
func view(e *panel.RosterEntry, role string) Member {
	m := Member{RosterEntry: e}
	if panel.SeesPhones(role) {
		m.Phone = string(e.Phone)
		return m
	}
	if e.LastCall != nil {
		c := *e.LastCall
		c.SupportNeeds = ""
		cp := *e
		cp.LastCall = &c
		m.RosterEntry = &cp
	}
	return m
}

// CallResult is what recording a call did.
type CallResult struct {
	Call   *panel.Call `json:"call"`
	Member Member      `json:"member"` // the member after the call (and any replacement)
	// Replacement is the reserve who took the seat of a member who
	// declined; "" when none did (yet).
	Replacement string `json:"replacement,omitempty"`
}

// RecordCall records a call outcome for the campaign's member or reserve
// pseudoID under the actor in ctx, who must be an organiser or a caller
// (else EFORBIDDEN). "confirmed" confirms a member not yet confirmed;
// "declined" makes a member on the panel (or a reserve) decline exactly
// as an SMS "NEI" does, and the seat goes to the first reserve that keeps
// the quotas, audited under the same actor. EINVALID for a bad outcome or
// tag; ENOTFOUND for an unknown campaign or member; ECONFLICT when the
// outcome does not fit the member's state (e.g. confirming a member who
// has left) or before the draw is seeded.
func (s *Service) RecordCall(ctx context.Context, campaignID int64, pseudoID string, in panel.CallInput) (*CallResult, error) {
	actor := panel.ActorOrSystem(ctx)
	if !panel.MayRecordCalls(actor.Role) {
		return nil, panel.Errorf(panel.EFORBIDDEN, "role %q may not record calls; organisers and callers may", actor.Role)
	}
	in, err := in.Normalize()
	if err != nil {
		return nil, err
	}
	d, err := s.store.CampaignDraw(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	before, err := s.find(ctx, d.ID, campaignID, pseudoID)
	if err != nil {
		return nil, err
	}
	change, err := changeFor(before, in.Outcome)
	if err != nil {
		return nil, err
	}
	call, err := s.store.RecordCall(ctx, d.ID, pseudoID, in, change)
	if err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "call recorded", slog.Int64("draw_id", d.ID), slog.Int64("member_id", before.MemberID),
		slog.String("outcome", in.Outcome), slog.String("actor", actor.Name))
	leaving := change != nil && change.To == panel.MemberDeclined && slices.Contains(change.From, panel.MemberSelected)
	if leaving {
		// The same path as a decline by SMS (package inbox): the draw
		// service's replacement, under the caller's actor. Should it fail,
		// the draw worker's periodic replacement takes it up.
		if err := s.replacements.ReplaceDropouts(ctx, d.ID); err != nil {
			s.logger.WarnContext(ctx, "member not replaced yet", slog.Int64("draw_id", d.ID),
				slog.String("code", panel.ErrorCode(err)), slog.String("error", panel.ErrorMessage(err)))
		}
	}
	after, err := s.find(ctx, d.ID, campaignID, pseudoID)
	if err != nil {
		return nil, err
	}
	return &CallResult{Call: call, Member: view(after, actor.Role), Replacement: after.ReplacedBy}, nil
}

// changeFor decides the member state change of an outcome.
func changeFor(e *panel.RosterEntry, outcome string) (*panel.MemberChange, error) {
	left := e.State == panel.MemberDeclined || e.State == panel.MemberDropped
	switch outcome {
	case panel.CallConfirmed:
		switch {
		case e.State == panel.MemberSelected:
			return &panel.MemberChange{From: []string{panel.MemberSelected}, To: panel.MemberConfirmed, Action: "draw.member_confirmed"}, nil
		case left:
			return nil, panel.Errorf(panel.ECONFLICT, "member %s has left the panel (%s); a call cannot bring them back", e.PseudoID, e.State)
		}
	case panel.CallDeclined:
		switch e.State {
		case panel.MemberSelected, panel.MemberConfirmed:
			return &panel.MemberChange{From: []string{panel.MemberSelected, panel.MemberConfirmed}, To: panel.MemberDeclined, Action: "draw.member_declined"}, nil
		case panel.MemberReserve:
			return &panel.MemberChange{From: []string{panel.MemberReserve}, To: panel.MemberDeclined, Action: "draw.member_declined"}, nil
		}
	}
	return nil, nil
}

// find returns the member or reserve pseudoID of the draw.
func (s *Service) find(ctx context.Context, drawID, campaignID int64, pseudoID string) (*panel.RosterEntry, error) {
	entries, err := s.store.Roster(ctx, drawID)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.PseudoID == pseudoID {
			return e, nil
		}
	}
	return nil, panel.Errorf(panel.ENOTFOUND, "campaign %d has no panel member or reserve %q", campaignID, pseudoID)
}

// Calls returns the calls recorded for the campaign's member pseudoID,
// oldest first; the free-text support needs only for organisers and
// callers. ENOTFOUND for an unknown campaign or member.
func (s *Service) Calls(ctx context.Context, campaignID int64, pseudoID string) ([]*panel.Call, error) {
	d, err := s.store.CampaignDraw(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	calls, err := s.store.ListCalls(ctx, d.ID, pseudoID)
	if err != nil {
		return nil, err
	}
	if !panel.SeesPhones(panel.ActorOrSystem(ctx).Role) {
		for _, c := range calls {
			c.SupportNeeds = ""
		}
	}
	return calls, nil
}

// AbsenceResult is what reporting an absence did.
type AbsenceResult struct {
	Absence *panel.Absence `json:"absence"`
	Created bool           `json:"created"` // false when it was reported before
}

// ReportAbsence records, under the actor in ctx (an organiser or a caller,
// else EFORBIDDEN), that the campaign's member pseudoID cannot attend
// meeting meetingID, e.g. as heard on a call; the member then gets no
// reminder for it. The actor's name is kept as who reported it.
// ENOTFOUND for an unknown campaign, member or meeting; ECONFLICT when
// the member holds no seat or the meeting was cancelled or has started.
func (s *Service) ReportAbsence(ctx context.Context, campaignID int64, pseudoID string, meetingID int64, reason string) (*AbsenceResult, error) {
	actor := panel.ActorOrSystem(ctx)
	if !panel.MayRecordCalls(actor.Role) {
		return nil, panel.Errorf(panel.EFORBIDDEN, "role %q may not report absences; organisers and callers may", actor.Role)
	}
	if meetingID <= 0 {
		return nil, panel.Errorf(panel.EINVALID, "meeting_id is required: the meeting the member cannot attend")
	}
	d, err := s.store.CampaignDraw(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	a, created, err := s.store.ReportAbsence(ctx, d.ID, pseudoID, meetingID, reason, s.now())
	if err != nil {
		return nil, err
	}
	if created {
		s.logger.InfoContext(ctx, "absence reported", slog.Int64("member_id", a.MemberID), slog.Int64("meeting_id", meetingID),
			slog.String("actor", actor.Name))
	}
	return &AbsenceResult{Absence: a, Created: created}, nil
}
