package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/citizenspanel/panel/internal/panel"
)

var _ panel.PanelCounter = (*Store)(nil)

// PanelCounts implements panel.PanelCounter in one query: the category
// values of the members on the panel of the campaign's seeded draw.
func (s *Store) PanelCounts(ctx context.Context, campaignID int64) (panel.PanelCounts, error) {
	var rows []struct{ CategoryValues string }
	err := s.conn(ctx).Table("panel_members AS m").
		Select("v.category_values").
		Joins("JOIN draws AS d ON d.id = m.draw_id").
		Joins("JOIN volunteers AS v ON v.id = m.volunteer_id").
		Where("d.campaign_id = ? AND d.state = ? AND m.state IN ?", campaignID, panel.DrawSeeded,
			[]string{panel.MemberSelected, panel.MemberConfirmed}).
		Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "panel members")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := panel.PanelCounts{}
	for _, r := range rows {
		values := map[string]string{}
		if err := json.Unmarshal([]byte(r.CategoryValues), &values); err != nil {
			return nil, fmt.Errorf("store: panel member category values: %w", err)
		}
		for c, v := range values {
			if out[c] == nil {
				out[c] = map[string]int{}
			}
			out[c][v]++
		}
	}
	return out, nil
}
