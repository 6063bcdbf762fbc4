package draw

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/sortition"
)

// toSortition converts quotas for the sortition package.
func toSortition(qs []panel.Quota) []sortition.Quota {
	out := make([]sortition.Quota, len(qs))
	for i, q := range qs {
		out[i] = sortition.Quota{Category: q.Category, Value: q.Value, Min: q.Min, Max: q.Max, MinFlex: q.MinFlex, MaxFlex: q.MaxFlex}
	}
	return out
}

// fromSortition converts parsed quotas back.
func fromSortition(qs []sortition.Quota) []panel.Quota {
	out := make([]panel.Quota, len(qs))
	for i, q := range qs {
		out[i] = panel.Quota{Category: q.Category, Value: q.Value, Min: q.Min, Max: q.Max, MinFlex: q.MinFlex, MaxFlex: q.MaxFlex}
	}
	return out
}

// fold is the case-insensitive matching key of a value (panel.FoldValue).
func fold(s string) string { return panel.FoldValue(s) }

// buildPool turns complete volunteers into the draw's pool: pseudonymous
// ids (publicID: imported volunteers' ids are never published), each quota category's value spelled as in the quotas, and, when
// households is set, opaque household keys "h1", "h2", ... for volunteers
// sharing an address. Volunteers lacking a value, or with a value no quota
// lists, are an EINVALID error naming the category, the value and how many.
// The pool is in the order of the pseudonymous ids, so that it depends on
// who volunteered, not on the order their replies arrived in: the same
// volunteers give the same commitment and, with the same seed, the same
// panel.
func buildPool(secret []byte, vols []*panel.Volunteer, quotas []panel.Quota, households bool) (*sortition.Pool, error) {
	vols = slices.Clone(vols)
	slices.SortFunc(vols, func(a, b *panel.Volunteer) int { return strings.Compare(publicID(secret, a), publicID(secret, b)) })
	cats := sortition.Categories(toSortition(quotas))
	accepted := map[string]map[string]string{}
	for _, q := range quotas {
		if accepted[q.Category] == nil {
			accepted[q.Category] = map[string]string{}
		}
		accepted[q.Category][fold(q.Value)] = q.Value
	}
	missing := map[string]int{}
	unknown := map[[2]string]int{}
	pool := &sortition.Pool{}
	addr := make([]string, 0, len(vols))
	for _, v := range vols {
		p := sortition.Person{ID: publicID(secret, v), Values: make(map[string]string, len(cats))}
		ok := true
		for _, c := range cats {
			raw := panel.LookupFold(v.Values, c)
			canon, known := accepted[c][fold(raw)]
			switch {
			case strings.TrimSpace(raw) == "":
				missing[c]++
				ok = false
			case !known:
				unknown[[2]string{c, fold(raw)}]++
				ok = false
			default:
				p.Values[c] = canon
			}
		}
		if ok {
			pool.People = append(pool.People, p)
			addr = append(addr, v.HouseholdKey)
		}
	}
	var problems []string
	for _, c := range cats {
		if n := missing[c]; n > 0 {
			problems = append(problems, fmt.Sprintf("%d volunteers have no %s value", n, c))
		}
	}
	var keys [][2]string
	for k := range unknown {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	for _, k := range keys {
		problems = append(problems, fmt.Sprintf("%d volunteers have %s=%s, which no quota lists (add a quota row for it, min 0 if need be)", unknown[k], k[0], k[1]))
	}
	if len(problems) > 0 {
		return nil, panel.Errorf(panel.EINVALID, "the pool does not fit the quotas: %s", strings.Join(problems, "; "))
	}
	if households {
		sortition.AssignHouseholds(pool.People, addr)
	}
	return pool, nil
}

// sortitionError turns the sortition package's input and feasibility
// errors into EINVALID errors with its explanation; other errors pass.
func sortitionError(err error) error {
	var (
		inf  *sortition.InfeasibleError
		ie   *sortition.InputError
		ies  sortition.InputErrors
		perr *panel.Error
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &perr):
		return err
	case errors.As(err, &inf), errors.As(err, &ie), errors.As(err, &ies):
		return panel.Errorf(panel.EINVALID, "%s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return err
}
