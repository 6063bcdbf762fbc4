package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// publicRecord is the part of a published draw record the round reads
// (the fields GET /public/draws/{id} publishes).
type publicRecord struct {
	Commitment     string             `json:"commitment"`
	Seed           string             `json:"seed"`
	Pool           []poolVolunteer    `json:"pool"`
	Probabilities  map[string]float64 `json:"probabilities"`
	MinProbability float64            `json:"min_probability"`
	Selected       []string           `json:"selected"`
	Reserves       []string           `json:"reserves"`
}

// drawState is the admin view of a draw, as far as the round needs it.
type drawState struct {
	ID         int64  `json:"id"`
	State      string `json:"state"`
	Commitment string `json:"commitment"`
	Error      string `json:"error"`
}

// drawPanel freezes the pool, checks that the commitment is published
// before the seed, seeds the draw, downloads the published record and
// verifies it.
func (r *round) drawPanel(ctx context.Context) error {
	var created drawState
	err := r.api.create(ctx, "POST", fmt.Sprintf("/api/v1/campaigns/%d/draws", r.campaign), map[string]any{
		"seats": r.cfg.Seats, "reserves": r.cfg.Reserves, "algorithm": "leximin",
	}, "", &created, func() (bool, error) {
		id, err := r.findDraw(ctx)
		created.ID = id
		return id != 0, err
	})
	if err != nil {
		return err
	}
	r.draw = created.ID
	var d drawState
	err = waitFor(ctx, 5*time.Minute, "the lottery to be computed", func() (bool, error) {
		if err := r.api.call(ctx, "GET", fmt.Sprintf("/api/v1/draws/%d", r.draw), nil, "", &d); err != nil {
			return false, err
		}
		if d.State == "failed" {
			return false, fmt.Errorf("draw %d failed: %s", r.draw, d.Error)
		}
		return d.State != "committing", nil
	})
	if err != nil {
		return err
	}
	r.report.DrawID, r.report.Commitment = r.draw, d.Commitment

	// Before the seed, the public page shows the commitment and no panel.
	var before map[string]json.RawMessage
	if err := r.api.call(ctx, "GET", fmt.Sprintf("/public/draws/%d", r.draw), nil, "", &before); err != nil {
		return err
	}
	var commitment string
	_ = json.Unmarshal(before["commitment"], &commitment)
	if commitment != d.Commitment || commitment == "" {
		return fmt.Errorf("before the seed the public page shows commitment %q, want %q", commitment, d.Commitment)
	}
	if sel := strings.TrimSpace(string(before["selected"])); sel != "" && sel != "null" && sel != "[]" {
		return fmt.Errorf("the public page shows a panel before the seed: %.100s", sel)
	}

	// A draw takes its seed once: after an attempt without an answer, a
	// draw that is no longer waiting for one took this seed.
	err = r.api.create(ctx, "POST", fmt.Sprintf("/api/v1/draws/%d/seed", r.draw), map[string]string{"seed": r.cfg.Seed}, "", nil, func() (bool, error) {
		var now drawState
		err := r.api.do(ctx, "GET", fmt.Sprintf("/api/v1/draws/%d", r.draw), nil, "", &now)
		return now.State == "seeded", err
	})
	if err != nil {
		return err
	}
	rec, err := r.publicRecord(ctx)
	if err != nil {
		return err
	}
	if rec.Commitment != d.Commitment {
		return fmt.Errorf("the published record has commitment %q, committed was %q", rec.Commitment, d.Commitment)
	}
	r.report.Selected, r.report.Reserves = rec.Selected, rec.Reserves
	r.report.MinProbability = rec.MinProbability
	for _, p := range rec.Probabilities {
		r.report.MaxProbability = max(r.report.MaxProbability, p)
	}
	values := map[string]map[string]string{}
	for _, v := range rec.Pool {
		values[v.ID] = v.Values
	}
	r.values = values
	for _, id := range rec.Reserves {
		for c, v := range values[id] {
			if r.report.ReservesByCategory[c] == nil {
				r.report.ReservesByCategory[c] = map[string]int{}
			}
			r.report.ReservesByCategory[c][canonical(c, v)]++
		}
	}
	return nil
}

// publicRecord downloads the published record without a token, verifies
// it and keeps the verdict in the report.
func (r *round) publicRecord(ctx context.Context) (*publicRecord, error) {
	var raw []byte
	if err := r.api.call(ctx, "GET", fmt.Sprintf("/public/draws/%d", r.draw), nil, "", &raw); err != nil {
		return nil, err
	}
	var rec publicRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("published record: %w", err)
	}
	if strings.Contains(string(raw), "+47") {
		return nil, fmt.Errorf("the published record contains a phone number")
	}
	r.record = raw
	verdict, err := r.cfg.Verify(ctx, raw)
	if err != nil {
		r.report.Verification = "failed: " + err.Error()
	} else {
		r.report.Verification = verdict
	}
	return &rec, nil
}

// canonical returns the spelling of a category value used in the shares
// (the service keeps values in lower case).
func canonical(category, value string) string {
	for _, c := range Categories {
		if c.Name != category {
			continue
		}
		for _, s := range c.Shares {
			if strings.EqualFold(s.Value, value) {
				return s.Value
			}
		}
	}
	return value
}

// findDraw returns the id of the campaign's draw from the audit log's
// draw.created events, or 0 when it has none.
func (r *round) findDraw(ctx context.Context) (int64, error) {
	var found int64
	for after := int64(0); ; {
		var page struct {
			Events []struct {
				Seq     int64  `json:"seq"`
				Action  string `json:"action"`
				Subject string `json:"subject"`
				Details struct {
					CampaignID int64 `json:"campaign_id"`
				} `json:"details"`
			} `json:"events"`
		}
		if err := r.api.do(ctx, "GET", fmt.Sprintf("/api/v1/audit?limit=1000&after=%d", after), nil, "", &page); err != nil {
			return 0, err
		}
		if len(page.Events) == 0 {
			return found, nil
		}
		for _, e := range page.Events {
			after = e.Seq
			id, ok := strings.CutPrefix(e.Subject, "draw/")
			if e.Action != "draw.created" || !ok || e.Details.CampaignID != r.campaign {
				continue
			}
			if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				found = n // the latest: an earlier one may have failed
			}
		}
	}
}
