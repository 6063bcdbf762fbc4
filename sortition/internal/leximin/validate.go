package leximin

import "fmt"

// Validate checks the instance is well formed: positive seats, one Min and
// Max per feature with 0 <= Min <= Max, feature indices in range and not
// repeated within a type, non-negative counts, and groups that name existing
// types, each type in at most one group.
func (in *Instance) Validate() error {
	if in.Seats <= 0 {
		return fmt.Errorf("leximin: seats must be positive, got %d", in.Seats)
	}
	if len(in.Min) != len(in.Max) {
		return fmt.Errorf("leximin: %d minimums but %d maximums", len(in.Min), len(in.Max))
	}
	for f := range in.Min {
		if in.Min[f] < 0 || in.Min[f] > in.Max[f] {
			return fmt.Errorf("leximin: feature %d: quota [%d, %d] is not valid", f, in.Min[f], in.Max[f])
		}
	}
	seen := make([]int, len(in.Min))
	for t, ty := range in.Types {
		if ty.Count < 0 {
			return fmt.Errorf("leximin: type %d: negative count %d", t, ty.Count)
		}
		for _, f := range ty.Features {
			if f < 0 || f >= len(in.Min) {
				return fmt.Errorf("leximin: type %d: feature index %d out of range [0,%d)", t, f, len(in.Min))
			}
			if seen[f] == t+1 {
				return fmt.Errorf("leximin: type %d: feature %d listed twice", t, f)
			}
			seen[f] = t + 1
		}
	}
	group := make([]int, len(in.Types))
	for g, members := range in.Groups {
		for _, t := range members {
			if t < 0 || t >= len(in.Types) {
				return fmt.Errorf("leximin: group %d: type index %d out of range [0,%d)", g, t, len(in.Types))
			}
			if group[t] != 0 {
				return fmt.Errorf("leximin: type %d is in groups %d and %d", t, group[t]-1, g)
			}
			group[t] = g + 1
		}
	}
	return nil
}
