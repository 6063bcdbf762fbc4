package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns draws and their panel members: the commitment, the seed,
// notification, confirmation and replacements.

var _ panel.DrawStore = (*Store)(nil)

// drawRow is a row of the draws table.
type drawRow struct {
	ID         int64 `gorm:"primaryKey"`
	CampaignID int64
	Seats      int
	Reserves   int
	Algorithm  string
	State      string
	Commitment *string
	Seed       *string
	Record     *string
	Error      *string
	Params     string
	Snapshot   *string
	LeaseOwner *string
	LeaseUntil *time.Time
	Attempts   int
	Progress   string
	// LotteryProgress is panel.LotteryProgress as JSON; nil until reported.
	LotteryProgress *string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	CommittedAt     *time.Time
	SeededAt        *time.Time
	PublishedAt     *time.Time
	NotifiedAt      *time.Time
}

func (drawRow) TableName() string { return "draws" }

func (r *drawRow) toPanel() (*panel.Draw, error) {
	d := &panel.Draw{
		ID: r.ID, CampaignID: r.CampaignID, State: r.State, Commitment: deref(r.Commitment),
		Seed: deref(r.Seed), Error: deref(r.Error), Progress: r.Progress, Attempts: r.Attempts,
		CreatedAt: r.CreatedAt.UTC(), CommittedAt: utcPtr(r.CommittedAt), SeededAt: utcPtr(r.SeededAt),
		NotifiedAt: utcPtr(r.NotifiedAt),
	}
	if r.Record != nil {
		d.Record = []byte(*r.Record)
	}
	if r.Snapshot != nil {
		d.Snapshot = []byte(*r.Snapshot)
	}
	if err := json.Unmarshal([]byte(r.Params), &d.Params); err != nil {
		return nil, fmt.Errorf("store: draw %d: decode params: %w", r.ID, err)
	}
	if r.LotteryProgress != nil {
		d.LotteryProgress = &panel.LotteryProgress{}
		if err := json.Unmarshal([]byte(*r.LotteryProgress), d.LotteryProgress); err != nil {
			return nil, fmt.Errorf("store: draw %d: decode lottery progress: %w", r.ID, err)
		}
	}
	return d, nil
}

// memberRow is a row of the panel_members table.
type memberRow struct {
	ID          int64 `gorm:"primaryKey"`
	DrawID      int64
	VolunteerID int64
	Pseudonym   string
	Role        string
	Rank        int
	State       string
	ReplacedBy  *int64
	ConfirmBy   *time.Time
	AnsweredAt  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (memberRow) TableName() string { return "panel_members" }

// drawSubject is the audit subject of a draw.
func drawSubject(id int64) string { return "draw/" + strconv.FormatInt(id, 10) }

// CreateDraw stores a new committing draw; see panel.DrawStore.
func (s *Store) CreateDraw(ctx context.Context, d *panel.Draw) error {
	params, err := encodeJSON(d.Params, "draw params")
	if err != nil {
		return err
	}
	snap := string(d.Snapshot)
	return s.InTx(ctx, func(tx *Store) error {
		camp, err := tx.FindCampaignByID(ctx, d.CampaignID)
		if err != nil {
			return err
		}
		if camp.State == panel.CampaignPurged {
			return panel.Errorf(panel.ECONFLICT, "campaign %d is purged: its volunteers can no longer be reached, so it takes no new draw", d.CampaignID)
		}
		var live int64
		err = tx.conn(ctx).Model(&drawRow{}).Where("campaign_id = ? AND state <> ?", d.CampaignID, panel.DrawFailed).Count(&live).Error
		if err != nil {
			return translate(err, "draws")
		}
		if live > 0 {
			return panel.Errorf(panel.ECONFLICT, "campaign %d has a draw already; only a failed draw can be retried", d.CampaignID)
		}
		now := tx.clock()
		row := drawRow{
			CampaignID: d.CampaignID, Seats: d.Params.Seats, Reserves: d.Params.Reserves, Algorithm: d.Params.Algorithm,
			State: panel.DrawCommitting, Params: params, Snapshot: &snap, Progress: "waiting for a worker",
			CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.conn(ctx).Create(&row).Error; err != nil {
			return translate(err, "draw")
		}
		d.ID, d.State, d.CreatedAt, d.Progress = row.ID, row.State, now, row.Progress
		return tx.audit(ctx, "draw.created", drawSubject(row.ID), map[string]any{
			"campaign_id": d.CampaignID, "seats": d.Params.Seats, "reserves": d.Params.Reserves,
			"algorithm": d.Params.Algorithm, "panels": d.Params.Panels, "address_columns": d.Params.HouseholdColumns,
		})
	})
}

// FindDraw returns the draw, or ENOTFOUND.
func (s *Store) FindDraw(ctx context.Context, id int64) (*panel.Draw, error) {
	var row drawRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "draw")
	}
	return row.toPanel()
}

// ClaimCommitting leases one committing draw; see panel.DrawStore. The
// lease is taken by a conditional UPDATE, so of two concurrent claimers
// (also in two replicas) only one changes the row.
func (s *Store) ClaimCommitting(ctx context.Context, owner string, now time.Time, lease time.Duration) (*panel.Draw, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var ids []int64
	err := s.conn(ctx).Model(&drawRow{}).
		Where("state = ? AND (lease_until IS NULL OR lease_until < ?)", panel.DrawCommitting, now).
		Order("id").Limit(5).Pluck("id", &ids).Error
	if err != nil {
		return nil, translate(err, "draws")
	}
	for _, id := range ids {
		res := s.conn(ctx).Model(&drawRow{}).
			Where("id = ? AND state = ? AND (lease_until IS NULL OR lease_until < ?)", id, panel.DrawCommitting, now).
			Updates(map[string]any{"lease_owner": owner, "lease_until": now.Add(lease), "attempts": gorm.Expr("attempts + 1"),
				"progress": "computing the lottery", "updated_at": now})
		if res.Error != nil {
			return nil, translate(res.Error, "draw")
		}
		if res.RowsAffected == 1 {
			return s.FindDraw(ctx, id)
		}
	}
	return nil, nil
}

// heldDraw updates a committing draw that owner holds and reports ECONFLICT
// when it does not.
func (s *Store) heldDraw(ctx context.Context, id int64, owner string, set map[string]any) error {
	res := s.conn(ctx).Model(&drawRow{}).Where("id = ? AND state = ? AND lease_owner = ?", id, panel.DrawCommitting, owner).Updates(set)
	if res.Error != nil {
		return translate(res.Error, "draw")
	}
	if res.RowsAffected == 0 {
		return panel.Errorf(panel.ECONFLICT, "draw %d is not held by this worker any more", id)
	}
	return nil
}

// SetProgress records what the work on a claimed draw is doing.
func (s *Store) SetProgress(ctx context.Context, id int64, owner, progress string) error {
	return s.heldDraw(ctx, id, owner, map[string]any{"progress": progress, "updated_at": s.clock()})
}

// SetLotteryProgress records the lottery computation's progress; see
// panel.DrawStore.
func (s *Store) SetLotteryProgress(ctx context.Context, id int64, owner string, p panel.LotteryProgress) error {
	b, err := encodeJSON(p, "lottery progress")
	if err != nil {
		return err
	}
	return s.heldDraw(ctx, id, owner, map[string]any{"lottery_progress": b, "updated_at": s.clock()})
}

// FinishCommit stores the prepared record; see panel.DrawStore.
func (s *Store) FinishCommit(ctx context.Context, id int64, owner string, record []byte, commitment string) error {
	return s.InTx(ctx, func(tx *Store) error {
		now := tx.clock()
		rec := string(record)
		err := tx.heldDraw(ctx, id, owner, map[string]any{
			"state": panel.DrawCommitted, "record": rec, "commitment": commitment, "committed_at": now,
			"lease_owner": nil, "lease_until": nil, "progress": "", "lottery_progress": nil, "updated_at": now,
		})
		if err != nil {
			return err
		}
		return tx.audit(panel.WithActor(ctx, panel.SystemActor), "draw.committed", drawSubject(id), map[string]any{"commitment": commitment})
	})
}

// FailCommit ends a held draw as failed; see panel.DrawStore.
func (s *Store) FailCommit(ctx context.Context, id int64, owner, msg string) error {
	return s.InTx(ctx, func(tx *Store) error {
		now := tx.clock()
		msg = clipText(msg, 2000)
		err := tx.heldDraw(ctx, id, owner, map[string]any{
			"state": panel.DrawFailed, "error": msg, "lease_owner": nil, "lease_until": nil, "progress": "", "updated_at": now,
		})
		if err != nil {
			return err
		}
		return tx.audit(panel.WithActor(ctx, panel.SystemActor), "draw.failed", drawSubject(id), map[string]any{"error": msg})
	})
}

// SeedDraw stores the seed, the record and the members; see panel.DrawStore.
func (s *Store) SeedDraw(ctx context.Context, id int64, seed string, record []byte, members []panel.SeedMember, details map[string]any) error {
	return s.InTx(ctx, func(tx *Store) error {
		var d drawRow
		if err := tx.conn(ctx).Where("id = ?", id).Take(&d).Error; err != nil {
			return translate(err, "draw")
		}
		now := tx.clock()
		rec := string(record)
		res := tx.conn(ctx).Model(&drawRow{}).Where("id = ? AND state = ?", id, panel.DrawCommitted).Updates(map[string]any{
			"state": panel.DrawSeeded, "seed": seed, "record": rec, "seeded_at": now, "published_at": now, "updated_at": now,
		})
		if res.Error != nil {
			return translate(res.Error, "draw")
		}
		if res.RowsAffected == 0 {
			return panel.Errorf(panel.ECONFLICT, "draw %d is %s: only a committed draw takes a seed, and only once", id, d.State)
		}
		ids := make([]string, len(members))
		for i, m := range members {
			ids[i] = m.VolunteerExternalID()
		}
		vols := map[string]int64{}
		for start := 0; start < len(ids); start += importBatch {
			var found []volunteerRow
			err := tx.conn(ctx).Select("id, external_id").Where("campaign_id = ? AND external_id IN ?", d.CampaignID, ids[start:min(start+importBatch, len(ids))]).Find(&found).Error
			if err != nil {
				return translate(err, "volunteers")
			}
			for _, v := range found {
				vols[v.ExternalID] = v.ID
			}
		}
		rows := make([]memberRow, len(members))
		for i, m := range members {
			vid, ok := vols[m.VolunteerExternalID()]
			if !ok {
				return fmt.Errorf("store: draw %d: pool id %q has no volunteer", id, m.PseudoID)
			}
			state := panel.MemberSelected
			if m.Role == panel.RoleReserve {
				state = panel.MemberReserve
			}
			rows[i] = memberRow{DrawID: id, VolunteerID: vid, Pseudonym: m.PseudoID, Role: m.Role, Rank: m.Rank,
				State: state, CreatedAt: now, UpdatedAt: now}
		}
		if len(rows) > 0 {
			if err := tx.conn(ctx).CreateInBatches(&rows, tx.drv.insertBatch()).Error; err != nil {
				return translate(err, "panel member")
			}
		}
		return tx.audit(ctx, "draw.seeded", drawSubject(id), details)
	})
}

// memberQuery selects the DrawMember columns.
const memberQuery = `SELECT pm.id, pm.draw_id, pm.volunteer_id, COALESCE(v.recipient_id, 0) AS recipient_id, v.external_id,
	pm.pseudonym AS pseudo_id, pm.role, pm.rank, pm.state, COALESCE(pm.replaced_by, 0) AS replaced_by,
	pm.confirm_by, pm.answered_at,
	CASE WHEN r.state = 'opted_out' THEN 1 ELSE 0 END AS opted_out,
	CASE WHEN r.phone IS NULL THEN 0 ELSE 1 END AS has_phone
	FROM panel_members pm JOIN volunteers v ON v.id = pm.volunteer_id
	LEFT JOIN recipients r ON r.id = v.recipient_id`

// memberScan is a memberQuery row.
type memberScan struct {
	ID          int64
	DrawID      int64
	VolunteerID int64
	RecipientID int64
	PseudoID    string
	Role        string
	Rank        int
	State       string
	ReplacedBy  int64
	ConfirmBy   *time.Time
	AnsweredAt  *time.Time
	OptedOut    int
	HasPhone    int
	ExternalID  string
}

func (m memberScan) toPanel() *panel.DrawMember {
	return &panel.DrawMember{ID: m.ID, DrawID: m.DrawID, VolunteerID: m.VolunteerID, RecipientID: m.RecipientID, ExternalID: m.ExternalID,
		PseudoID: m.PseudoID, Role: m.Role, Rank: m.Rank, State: m.State, ReplacedBy: m.ReplacedBy,
		ConfirmBy: utcPtr(m.ConfirmBy), AnsweredAt: utcPtr(m.AnsweredAt), OptedOut: m.OptedOut == 1, HasPhone: m.HasPhone == 1}
}

// ListDrawMembers returns the draw's members; see panel.DrawStore.
func (s *Store) ListDrawMembers(ctx context.Context, drawID int64) ([]*panel.DrawMember, error) {
	var rows []memberScan
	q := memberQuery + ` WHERE pm.draw_id = ? ORDER BY CASE WHEN pm.role = 'selected' THEN 0 ELSE 1 END, pm.rank`
	if err := s.conn(ctx).Raw(q, drawID).Scan(&rows).Error; err != nil {
		return nil, translate(err, "panel members")
	}
	out := make([]*panel.DrawMember, len(rows))
	for i, r := range rows {
		out[i] = r.toPanel()
	}
	return out, nil
}

// NotifyDraw enqueues the notifications; see panel.DrawStore.
func (s *Store) NotifyDraw(ctx context.Context, drawID int64, msgs []*panel.OutboundMessage, confirmBy time.Time) (int, error) {
	created := 0
	err := s.InTx(ctx, func(tx *Store) error {
		d, err := tx.FindDraw(ctx, drawID)
		if err != nil {
			return err
		}
		if d.State != panel.DrawSeeded {
			return panel.Errorf(panel.ECONFLICT, "draw %d is %s: notify needs a seeded draw", drawID, d.State)
		}
		if len(msgs) > 0 {
			if created, err = tx.Enqueue(ctx, msgs); err != nil {
				return err
			}
		}
		now := tx.clock()
		err = tx.conn(ctx).Model(&memberRow{}).Where("draw_id = ? AND state = ? AND confirm_by IS NULL", drawID, panel.MemberSelected).
			Updates(map[string]any{"confirm_by": confirmBy.UTC().Truncate(time.Microsecond), "updated_at": now}).Error
		if err != nil {
			return translate(err, "panel members")
		}
		res := tx.conn(ctx).Model(&drawRow{}).Where("id = ? AND notified_at IS NULL", drawID).Updates(map[string]any{"notified_at": now, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "draw")
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return tx.audit(ctx, "draw.notified", drawSubject(drawID), map[string]any{"messages": created, "confirm_by": confirmBy.UTC()})
	})
	return created, err
}

// SetMemberState moves one member between states; see panel.DrawStore.
func (s *Store) SetMemberState(ctx context.Context, drawID int64, pseudoID string, from []string, to, action string) (*panel.DrawMember, error) {
	var out *panel.DrawMember
	err := s.InTx(ctx, func(tx *Store) error {
		var row memberRow
		if err := tx.conn(ctx).Where("draw_id = ? AND pseudonym = ?", drawID, pseudoID).Take(&row).Error; err != nil {
			return translate(err, "panel member")
		}
		now := tx.clock()
		res := tx.conn(ctx).Model(&memberRow{}).Where("id = ? AND state IN ?", row.ID, from).
			Updates(map[string]any{"state": to, "answered_at": now, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "panel member")
		}
		if res.RowsAffected == 0 {
			return panel.Errorf(panel.ECONFLICT, "panel member %s is %s; this needs one of %v", pseudoID, row.State, from)
		}
		if err := tx.audit(ctx, action, drawSubject(drawID), map[string]any{"member": pseudoID, "from": row.State, "to": to}); err != nil {
			return err
		}
		members, err := tx.ListDrawMembers(ctx, drawID)
		if err != nil {
			return err
		}
		for _, m := range members {
			if m.ID == row.ID {
				out = m
			}
		}
		return nil
	})
	return out, err
}

// ExpireUnconfirmed drops members past their deadline; see panel.DrawStore.
func (s *Store) ExpireUnconfirmed(ctx context.Context, now time.Time) ([]int64, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var drawIDs []int64
	err := s.InTx(ctx, func(tx *Store) error {
		var rows []memberRow
		err := tx.conn(ctx).Where("state = ? AND confirm_by IS NOT NULL AND confirm_by < ?", panel.MemberSelected, now).Order("id").Find(&rows).Error
		if err != nil {
			return translate(err, "panel members")
		}
		seen := map[int64]bool{}
		for _, r := range rows {
			res := tx.conn(ctx).Model(&memberRow{}).Where("id = ? AND state = ?", r.ID, panel.MemberSelected).
				Updates(map[string]any{"state": panel.MemberDropped, "updated_at": tx.clock()})
			if res.Error != nil {
				return translate(res.Error, "panel member")
			}
			if res.RowsAffected == 0 {
				continue
			}
			err := tx.audit(panel.WithActor(ctx, panel.SystemActor), "draw.member_unconfirmed", drawSubject(r.DrawID),
				map[string]any{"member": r.Pseudonym, "confirm_by": r.ConfirmBy})
			if err != nil {
				return err
			}
			if !seen[r.DrawID] {
				seen[r.DrawID] = true
				drawIDs = append(drawIDs, r.DrawID)
			}
		}
		return nil
	})
	return drawIDs, err
}

// DrawsToReplace lists draws with a leaver not yet replaced; see
// panel.DrawStore.
func (s *Store) DrawsToReplace(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.conn(ctx).Raw(`SELECT DISTINCT pm.draw_id FROM panel_members pm JOIN draws d ON d.id = pm.draw_id
		WHERE d.state = ? AND pm.state IN (?, ?) AND pm.replaced_by IS NULL
		AND (pm.role = 'selected' OR EXISTS (SELECT 1 FROM panel_members o WHERE o.replaced_by = pm.id))
		ORDER BY pm.draw_id`, panel.DrawSeeded, panel.MemberDeclined, panel.MemberDropped).Scan(&ids).Error
	if err != nil {
		return nil, translate(err, "panel members")
	}
	return ids, nil
}

// lockDraw locks a draw row until the transaction ends (PostgreSQL; on
// SQLite the transaction holds the write lock already).
func (s *Store) lockDraw(ctx context.Context, id int64) (*drawRow, error) {
	q := "SELECT * FROM draws WHERE id = ?" + s.drv.forUpdate(false)
	var row drawRow
	if err := s.conn(ctx).Raw(q, id).Scan(&row).Error; err != nil {
		return nil, translate(err, "draw")
	}
	if row.ID == 0 {
		return nil, panel.Errorf(panel.ENOTFOUND, "draw not found")
	}
	return &row, nil
}

// ReplaceMembers applies replacements decided on the locked draw; see
// panel.DrawStore.
func (s *Store) ReplaceMembers(ctx context.Context, drawID int64, confirmBy time.Time, decide panel.ReplaceFunc) ([]panel.Replacement, error) {
	var done []panel.Replacement
	err := s.InTx(ctx, func(tx *Store) error {
		row, err := tx.lockDraw(ctx, drawID)
		if err != nil {
			return err
		}
		if row.State != panel.DrawSeeded || row.Record == nil {
			return panel.Errorf(panel.ECONFLICT, "draw %d is %s: only a seeded draw has members to replace", drawID, row.State)
		}
		members, err := tx.ListDrawMembers(ctx, drawID)
		if err != nil {
			return err
		}
		rec, reps, err := decide([]byte(*row.Record), members)
		if err != nil || len(reps) == 0 {
			return err
		}
		now := tx.clock()
		byID := map[int64]*panel.DrawMember{}
		for _, m := range members {
			byID[m.ID] = m
		}
		for _, r := range reps {
			res := tx.conn(ctx).Model(&memberRow{}).Where("id = ? AND replaced_by IS NULL", r.Leaving).
				Updates(map[string]any{"replaced_by": r.Reserve, "updated_at": now})
			if res.Error != nil {
				return translate(res.Error, "panel member")
			}
			if res.RowsAffected == 0 {
				return panel.Errorf(panel.ECONFLICT, "panel member %d was replaced already", r.Leaving)
			}
			res = tx.conn(ctx).Model(&memberRow{}).Where("id = ? AND state = ?", r.Reserve, panel.MemberReserve).
				Updates(map[string]any{"state": panel.MemberSelected, "confirm_by": confirmBy.UTC().Truncate(time.Microsecond), "updated_at": now})
			if res.Error != nil {
				return translate(res.Error, "panel member")
			}
			if res.RowsAffected == 0 {
				return panel.Errorf(panel.ECONFLICT, "reserve %d is not available", r.Reserve)
			}
			if r.Message != nil {
				if _, err := tx.Enqueue(ctx, []*panel.OutboundMessage{r.Message}); err != nil {
					return err
				}
			}
			err := tx.audit(ctx, "draw.member_replaced", drawSubject(drawID), map[string]any{
				"member": byID[r.Leaving].PseudoID, "left_as": byID[r.Leaving].State, "replacement": byID[r.Reserve].PseudoID,
				"quotas_kept": r.QuotasKept, "unavailable": r.Unavailable,
			})
			if err != nil {
				return err
			}
		}
		if err := tx.conn(ctx).Model(&drawRow{}).Where("id = ?", drawID).Updates(map[string]any{"record": string(rec), "updated_at": now}).Error; err != nil {
			return translate(err, "draw")
		}
		done = reps
		return nil
	})
	return done, err
}

// CampaignDraws returns the campaign's draws, newest first (failed ones
// included), for the console's way to the ceremony.
func (s *Store) CampaignDraws(ctx context.Context, campaignID int64) ([]*panel.Draw, error) {
	var rows []drawRow
	if err := s.conn(ctx).Where("campaign_id = ?", campaignID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, translate(err, "draw")
	}
	out := make([]*panel.Draw, 0, len(rows))
	for i := range rows {
		d, err := rows[i].toPanel()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
