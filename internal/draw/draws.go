package draw

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/sortition"
)

// Limits of a draw's parameters.
const (
	MaxPanels   = 10000
	MaxReserves = 1000
	// MaxTimeLimit is the largest time_limit_seconds: a day.
	MaxTimeLimit = 24 * 60 * 60
)

// progressEvery is how often at most the worker writes a computation's
// progress to the database.
const progressEvery = 2 * time.Second

// Request is the body of POST /api/v1/campaigns/{id}/draws.
type Request struct {
	Seats     int    `json:"seats"`
	Reserves  int    `json:"reserves"`
	Algorithm string `json:"algorithm"` // leximin (default) or legacy
	Panels    int    `json:"panels"`    // lottery size m for leximin; default 1000
	// AddressColumns, when given, turn on the household rule: at most one
	// person per address. For volunteers recruited by SMS the address is
	// read from these columns of the recipients import; volunteers
	// imported by CSV keep the address of their import's address columns.
	// A column that no volunteer has is refused (EINVALID).
	AddressColumns []string `json:"address_columns"`
	// ConfirmWithin is how long selected members have to confirm, as a Go
	// duration ("72h"); default the service's ConfirmWithin.
	ConfirmWithin string `json:"confirm_within"`
	// TimeLimitSeconds, when positive, is the lottery computation's time
	// budget in seconds (at most MaxTimeLimit; fractions allowed). A
	// computation that reaches it stops and the draw fails, naming the limit
	// and the bounds reached; no record is published. Default: none (the
	// service's Lease bounds every computation).
	TimeLimitSeconds float64 `json:"time_limit_seconds"`
	// Wait, when positive, is how long CreateDraw waits for the
	// commitment instead of the service's InlineWait (the console waits
	// briefly and shows the progress itself). Never read from JSON.
	Wait time.Duration `json:"-"`
}

// snapshot is the frozen input of a draw.
type snapshot struct {
	Quotas []sortition.Quota  `json:"quotas"`
	Pool   []sortition.Person `json:"pool"`
}

// params checks a request and fills the defaults.
func (s *Service) params(r Request) (panel.DrawParams, error) {
	p := panel.DrawParams{Seats: r.Seats, Reserves: r.Reserves, Algorithm: r.Algorithm, Panels: r.Panels, HouseholdColumns: []string{}}
	if p.Algorithm == "" {
		p.Algorithm = sortition.AlgorithmLeximin
	}
	switch {
	case p.Seats <= 0:
		return p, panel.Errorf(panel.EINVALID, "seats must be a positive number, got %d", r.Seats)
	case p.Reserves < 0 || p.Reserves > MaxReserves:
		return p, panel.Errorf(panel.EINVALID, "reserves must be from 0 to %d, got %d", MaxReserves, r.Reserves)
	case p.Algorithm != sortition.AlgorithmLeximin && p.Algorithm != sortition.AlgorithmLegacy:
		return p, panel.Errorf(panel.EINVALID, "algorithm must be %q or %q, got %q", sortition.AlgorithmLeximin, sortition.AlgorithmLegacy, r.Algorithm)
	case p.Panels < 0 || p.Panels > MaxPanels:
		return p, panel.Errorf(panel.EINVALID, "panels must be from 1 to %d, got %d", MaxPanels, r.Panels)
	case r.TimeLimitSeconds < 0 || r.TimeLimitSeconds > MaxTimeLimit:
		return p, panel.Errorf(panel.EINVALID, "time_limit_seconds must be from 0 (no limit) to %d, got %v", MaxTimeLimit, r.TimeLimitSeconds)
	case p.Algorithm == sortition.AlgorithmLegacy && p.Panels != 0:
		return p, panel.Errorf(panel.EINVALID, "panels is for leximin only; legacy publishes no lottery")
	}
	if p.Algorithm == sortition.AlgorithmLeximin && p.Panels == 0 {
		p.Panels = sortition.DefaultPanels
	}
	for i, c := range r.AddressColumns {
		c = strings.TrimSpace(c)
		if c == "" {
			return p, panel.Errorf(panel.EINVALID, "address_columns[%d] is empty", i)
		}
		p.HouseholdColumns = append(p.HouseholdColumns, c)
	}
	within := s.cfg.ConfirmWithin
	if r.ConfirmWithin != "" {
		d, err := time.ParseDuration(r.ConfirmWithin)
		if err != nil || d < time.Hour || d > 60*24*time.Hour {
			return p, panel.Errorf(panel.EINVALID, "confirm_within must be a duration from 1h to 1440h, such as \"72h\"; got %q", r.ConfirmWithin)
		}
		within = d
	}
	p.ConfirmWithin = int64(within / time.Second)
	p.TimeLimit = r.TimeLimitSeconds
	return p, nil
}

// CreateDraw freezes the campaign's complete volunteers and quotas into a
// new draw and starts computing its lottery; it waits up to InlineWait for
// the commitment. The quotas must be set and feasible (EINVALID with the
// sortition package's explanation); ECONFLICT when the campaign has a draw
// that did not fail.
func (s *Service) CreateDraw(ctx context.Context, campaignID int64, r Request) (*panel.Draw, error) {
	p, err := s.params(r)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.FindCampaignByID(ctx, campaignID); err != nil {
		return nil, err
	}
	quotas, err := s.store.ListQuotas(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	if len(quotas) == 0 {
		return nil, panel.Errorf(panel.EINVALID, "campaign %d has no quotas: set them with PUT /api/v1/campaigns/%d/quotas first", campaignID, campaignID)
	}
	vols, err := s.store.ListPool(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	secret, err := s.store.RecordSecret(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	if len(p.HouseholdColumns) > 0 {
		if vols, err = s.households(ctx, campaignID, secret, vols, p.HouseholdColumns); err != nil {
			return nil, err
		}
	}
	pool, err := buildPool(secret, vols, quotas, len(p.HouseholdColumns) > 0)
	if err != nil {
		return nil, err
	}
	pool.HouseholdColumns = p.HouseholdColumns
	sq := toSortition(quotas)
	// A cheap feasibility check first, so that infeasible quotas are a 422
	// now rather than a failed draw later.
	if _, err := sortition.Prepare(ctx, pool, sq, sortition.Params{Seats: p.Seats, Reserves: p.Reserves, Algorithm: sortition.AlgorithmLegacy}); err != nil {
		return nil, sortitionError(err)
	}
	snap, err := json.Marshal(snapshot{Quotas: sq, Pool: pool.People})
	if err != nil {
		return nil, fmt.Errorf("draw: encode snapshot: %w", err)
	}
	d := &panel.Draw{CampaignID: campaignID, Params: p, Snapshot: snap}
	if err := s.store.CreateDraw(ctx, d); err != nil {
		return nil, err
	}
	s.cfg.Logger.InfoContext(ctx, "draw created", slog.Int64("draw_id", d.ID), slog.Int("pool", len(pool.People)))
	done := s.computeAsync(d.ID)
	wait := s.cfg.InlineWait
	if r.Wait > 0 {
		wait = r.Wait
	}
	select {
	case <-done:
	case <-time.After(wait):
	case <-ctx.Done():
	}
	return s.store.FindDraw(ctx, d.ID)
}

// computeAsync starts computing committing draws in the background (this
// one first, if no other replica holds it) and returns a channel closed
// when that work ends. The work stops when Run's context ends.
func (s *Service) computeAsync(id int64) <-chan struct{} {
	done := make(chan struct{})
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.life.Err() != nil {
		close(done) // stopping: the draw is taken up by the next run
		return done
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(done)
		ctx := s.life
		for {
			more, err := s.commitOne(ctx)
			if err != nil && ctx.Err() == nil {
				s.cfg.Logger.WarnContext(ctx, "draw commit", slog.Int64("draw_id", id), slog.String("error", err.Error()))
			}
			if !more || err != nil {
				return
			}
		}
	}()
	return done
}

// commitOne claims one committing draw and computes its lottery and
// commitment. It reports whether it claimed one.
func (s *Service) commitOne(ctx context.Context) (bool, error) {
	d, err := s.store.ClaimCommitting(ctx, s.owner, s.cfg.Now(), s.cfg.Lease)
	if err != nil || d == nil {
		return false, err
	}
	log := s.cfg.Logger.With(slog.Int64("draw_id", d.ID))
	var snap snapshot
	if err := json.Unmarshal(d.Snapshot, &snap); err != nil {
		return true, s.store.FailCommit(ctx, d.ID, s.owner, "the frozen pool cannot be read: "+err.Error())
	}
	start := time.Now()
	budget, limited := s.cfg.Lease, false
	if limit := time.Duration(d.Params.TimeLimit * float64(time.Second)); limit > 0 && limit < budget {
		budget, limited = limit, true
	}
	workCtx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	workCtx = sortition.WithProgress(workCtx, s.progressWriter(ctx, d.ID, start, log))
	rec, err := sortition.Prepare(workCtx, &sortition.Pool{People: snap.Pool, HouseholdColumns: d.Params.HouseholdColumns}, snap.Quotas,
		sortition.Params{Seats: d.Params.Seats, Reserves: d.Params.Reserves, Algorithm: d.Params.Algorithm, Panels: d.Params.Panels, Software: s.cfg.Software})
	if err != nil {
		if ctx.Err() != nil {
			return true, ctx.Err() // stopping: the lease expires and the work is taken up again
		}
		msg := sortitionError(err).Error()
		if limited && errors.Is(err, context.DeadlineExceeded) {
			msg = fmt.Sprintf("the lottery computation stopped at the time limit of %v; no lottery is published", budget)
			var stopped *sortition.StoppedError
			if errors.As(err, &stopped) {
				msg += fmt.Sprintf("; reached %v", stopped.Reached)
				if err := s.store.SetLotteryProgress(ctx, d.ID, s.owner, lotteryProgress(stopped.Reached, time.Since(start))); err != nil {
					log.WarnContext(ctx, "draw progress", slog.String("error", err.Error()))
				}
			}
		}
		log.WarnContext(ctx, "draw failed", slog.String("error", msg))
		return true, s.store.FailCommit(ctx, d.ID, s.owner, msg)
	}
	var b bytes.Buffer
	if err := sortition.WriteRecord(&b, rec); err != nil {
		return true, err
	}
	if err := s.store.FinishCommit(ctx, d.ID, s.owner, b.Bytes(), rec.Commitment); err != nil {
		return true, err
	}
	log.InfoContext(ctx, "draw committed", slog.Duration("took", time.Since(start)), slog.Float64("min_probability", rec.MinProbability))
	return true, nil
}

// progressWriter returns the sortition progress callback of draw id's
// computation: it writes the first report and then at most one every
// progressEvery, so that GET /api/v1/draws/{id} (served by any replica)
// shows where the computation stands. A failed write is logged and does
// not stop the computation.
func (s *Service) progressWriter(ctx context.Context, id int64, start time.Time, log *slog.Logger) func(sortition.Progress) {
	var next time.Time
	return func(p sortition.Progress) {
		now := time.Now()
		if now.Before(next) {
			return
		}
		next = now.Add(progressEvery)
		if err := s.store.SetLotteryProgress(ctx, id, s.owner, lotteryProgress(p, now.Sub(start))); err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "draw progress", slog.String("error", err.Error()))
		}
	}
}

// lotteryProgress converts sortition's progress for storage.
func lotteryProgress(p sortition.Progress, elapsed time.Duration) panel.LotteryProgress {
	return panel.LotteryProgress{Level: p.Level, PeopleFixed: p.FixedPeople, People: p.People, Panels: p.Panels,
		LowerBound: p.Lower, UpperBound: p.Upper, Elapsed: elapsed.Round(time.Millisecond).Seconds()}
}

// Find returns a draw, or ENOTFOUND.
func (s *Service) Find(ctx context.Context, id int64) (*panel.Draw, error) {
	return s.store.FindDraw(ctx, id)
}

// Members returns a draw's members (none before the seed).
func (s *Service) Members(ctx context.Context, id int64) ([]*panel.DrawMember, error) {
	if _, err := s.store.FindDraw(ctx, id); err != nil {
		return nil, err
	}
	ms, err := s.store.ListDrawMembers(ctx, id)
	if ms == nil && err == nil {
		ms = []*panel.DrawMember{}
	}
	return ms, err
}

// Seed reveals the seed of a committed draw: it runs the draw on the
// stored lottery, stores the record byte for byte and creates the members.
// A draw takes one seed: ECONFLICT when it is not committed (seeded
// already, also by a concurrent call, or still committing). It returns
// the record as published.
func (s *Service) Seed(ctx context.Context, id int64, seed string) ([]byte, error) {
	if seed == "" {
		return nil, panel.Errorf(panel.EINVALID, "seed is required: a non-empty string, e.g. dice rolls read out at a public meeting")
	}
	if len(seed) > 1000 {
		return nil, panel.Errorf(panel.EINVALID, "seed must be at most 1000 bytes, got %d", len(seed))
	}
	d, err := s.store.FindDraw(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.State != panel.DrawCommitted {
		return nil, panel.Errorf(panel.ECONFLICT, "draw %d is %s: only a committed draw takes a seed, and only once", id, d.State)
	}
	var rec sortition.Record
	if err := json.Unmarshal(d.Record, &rec); err != nil {
		return nil, fmt.Errorf("draw %d: read record: %w", id, err)
	}
	if err := rec.Draw(seed); err != nil {
		return nil, sortitionError(err)
	}
	var b bytes.Buffer
	if err := sortition.WriteRecord(&b, &rec); err != nil {
		return nil, err
	}
	external, err := s.externalIDs(ctx, d.CampaignID)
	if err != nil {
		return nil, err
	}
	members := make([]panel.SeedMember, 0, len(rec.Selected)+len(rec.Reserves))
	for i, p := range rec.Selected {
		members = append(members, panel.SeedMember{PseudoID: p, ExternalID: external[p], Role: panel.RoleSelected, Rank: i + 1})
	}
	for i, p := range rec.Reserves {
		members = append(members, panel.SeedMember{PseudoID: p, ExternalID: external[p], Role: panel.RoleReserve, Rank: i + 1})
	}
	details := map[string]any{"commitment": rec.Commitment, "seed": seed, "lottery_index": rec.LotteryIndex,
		"selected": len(rec.Selected), "reserves": len(rec.Reserves)}
	if err := s.store.SeedDraw(ctx, id, seed, b.Bytes(), members, details); err != nil {
		return nil, err
	}
	s.cfg.Logger.InfoContext(ctx, "draw seeded", slog.Int64("draw_id", id))
	return b.Bytes(), nil
}

// Public returns what GET /public/draws/{id} serves: the stored record,
// byte for byte. Before the seed it is the prepared record (commitment,
// parameters, quotas, the pseudonymous pool and, for leximin, the lottery,
// with seed "" and no panel), so anyone can check the commitment and the
// lottery before the seed is known; after, the full record with the
// history of replacements. ENOTFOUND while the draw is committing or when
// it failed.
func (s *Service) Public(ctx context.Context, id int64) ([]byte, error) {
	d, err := s.store.FindDraw(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(d.Record) == 0 || !slices.Contains([]string{panel.DrawCommitted, panel.DrawSeeded}, d.State) {
		return nil, panel.Errorf(panel.ENOTFOUND, "draw %d is %s: nothing is published yet", id, d.State)
	}
	if d.State == panel.DrawCommitted {
		return committedView(d.Record)
	}
	return d.Record, nil
}

// committedParameters are the fields of a prepared record published
// before the seed: the commitment and the draw's parameters. The pool and
// the lottery follow with the seed, in the full record the commitment
// covers.
var committedParameters = []string{"format", "software", "algorithm", "seats", "reserves_count", "household_columns", "quotas", "commitment"}

// committedView is what GET /public/draws/{id} shows of a committed draw:
// committedParameters, the pool's size, the number of lottery panels, and
// "state": "committed".
func committedView(record []byte) ([]byte, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(record, &all); err != nil {
		return nil, fmt.Errorf("draw: read prepared record: %w", err)
	}
	view := map[string]any{"state": panel.DrawCommitted}
	for _, k := range committedParameters {
		if v, ok := all[k]; ok {
			view[k] = v
		}
	}
	var pool []json.RawMessage
	if err := json.Unmarshal(all["pool"], &pool); err != nil {
		return nil, fmt.Errorf("draw: read prepared record's pool: %w", err)
	}
	view["pool_size"] = len(pool)
	var lottery struct {
		Panels []json.RawMessage `json:"panels"`
	}
	if raw, ok := all["lottery"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &lottery); err != nil {
			return nil, fmt.Errorf("draw: read prepared record's lottery: %w", err)
		}
		view["lottery_panels"] = len(lottery.Panels)
	}
	return json.Marshal(view)
}

// externalIDs maps the record ids of the campaign's pool (publicID) to the
// volunteers' own ids where they differ (imported volunteers).
func (s *Service) externalIDs(ctx context.Context, campaignID int64) (map[string]string, error) {
	secret, err := s.store.RecordSecret(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	vols, err := s.store.ListPool(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(vols))
	for _, v := range vols {
		if id := publicID(secret, v); id != v.ExternalID {
			out[id] = v.ExternalID
		}
	}
	return out, nil
}
