package draw

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/citizenspanel/panel/internal/columns"
	"github.com/citizenspanel/panel/internal/panel"
)

// households returns vols with the household key of every SMS volunteer
// set, keyed by the campaign's record secret, from columns of the
// recipients import (the address as the organiser
// imported it with the sample); imported volunteers keep the key of their
// import's address columns. With SMS volunteers in the pool, a column
// that none of their register rows has a value in is EINVALID naming it
// and the columns there are; with none, a pool without any address is.
// So a draw never records a household rule it did not apply. vols is not
// changed.
func (s *Service) households(ctx context.Context, campaignID int64, secret []byte, vols []*panel.Volunteer, cols []string) ([]*panel.Volunteer, error) {
	attrs, err := s.store.PoolAttributes(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	has := map[string]bool{}
	names := map[string]bool{}
	smsCount, importedKeys := 0, 0
	out := make([]*panel.Volunteer, len(vols))
	for i, v := range vols {
		c := *v
		out[i] = &c
		a, sms := attrs[v.RecipientID]
		if v.Source != panel.SourceSMS || !sms {
			if v.HouseholdKey != "" {
				importedKeys++
			}
			continue
		}
		smsCount++
		parts := make([]string, len(cols))
		for j, col := range cols {
			parts[j] = addressCell(a, col)
			if parts[j] != "" {
				has[panel.FoldValue(col)] = true
			}
		}
		for k := range a {
			names[k] = true
		}
		c.HouseholdKey = ""
		if key := addressKey(parts); key != "" {
			c.HouseholdKey = householdHash(secret, key)
		}
	}
	if smsCount == 0 {
		if importedKeys == 0 {
			return nil, panel.Errorf(panel.EINVALID,
				"address_columns: no volunteer has an address, so the household rule cannot be applied (import volunteers with address columns, or recipients with the columns named)")
		}
		return out, nil // the import's address columns stand for the columns named
	}
	for _, col := range cols {
		if !has[panel.FoldValue(col)] {
			there := "none"
			if len(names) > 0 {
				there = strings.Join(slices.Sorted(maps.Keys(names)), ", ")
			}
			return nil, panel.Errorf(panel.EINVALID,
				"address_columns: no volunteer recruited by SMS has a value in the column %q, so the household rule cannot be applied (the recipients import has the columns: %s)", col, there)
		}
	}
	return out, nil
}

// addressCell is the value of the address column col in a recipient's
// attributes, trimmed. col may be named as the organiser's file heads it
// ("Adresse"): the import stored it under its standard name ("address").
func addressCell(attrs map[string]string, col string) string {
	v := panel.LookupFold(attrs, col)
	if v == "" {
		v = panel.LookupFold(attrs, columns.Canonical(col))
	}
	return strings.TrimSpace(v)
}

// addressKey is the folded address parts joined, "" when all are empty;
// only its hash keyed by the campaign's record secret (householdHash) is
// stored. Volunteers imported by CSV and recruited by SMS get the same key
// for the same address in the same columns.
func addressKey(parts []string) string {
	folded := make([]string, len(parts))
	empty := true
	for i, p := range parts {
		folded[i] = fold(p)
		empty = empty && folded[i] == ""
	}
	if empty {
		return ""
	}
	return strings.Join(folded, "\x1f")
}
