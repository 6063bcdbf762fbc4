package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
)

// page is a list request's ?limit (1..1000, default 100), ?offset (default
// 0) and ?state (one of the allowed states, or "" for any).
type page struct {
	limit, offset int
	state         string
}

// parsePage reads a list request's paging and state filter and refuses
// any other query parameter. A state outside states is EINVALID naming
// the allowed ones.
func parsePage(r *http.Request, states ...string) (page, error) {
	q, err := parseQuery(r, "limit", "offset", "state")
	if err != nil {
		return page{}, err
	}
	return parsePageQuery(q, states...)
}

// parsePageQuery reads ?limit, ?offset and ?state from a query parsed by a
// caller that allows more parameters.
func parsePageQuery(q query, states ...string) (page, error) {
	limit, err := q.intIn("limit", 100, 1, 1000)
	if err != nil {
		return page{}, err
	}
	offset, err := q.intIn("offset", 0, 0, 1<<31-1)
	if err != nil {
		return page{}, err
	}
	state, err := q.str("state", "")
	if err != nil {
		return page{}, err
	}
	if state != "" && !slices.Contains(states, state) {
		return page{}, panel.Errorf(panel.EINVALID, "query parameter state must be one of %s, got %q", strings.Join(states, ", "), state)
	}
	return page{limit: int(limit), offset: int(offset), state: state}, nil
}
