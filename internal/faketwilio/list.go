package faketwilio

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// List paging limits, as Twilio's.
const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

// handleFetch serves GET .../Messages/{Sid}.json.
func (s *Server) handleFetch(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	sid, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	s.mu.Lock()
	s.fetches[sid]++
	refused := s.refuseFetchLocked()
	s.mu.Unlock()
	if refused != nil {
		writeError(w, refused.status, refused.code, refused.message, nil)
		return
	}
	if !s.wait(r.Context(), s.delay()) {
		return
	}
	s.mu.Lock()
	rec, found := s.bySID[sid]
	var msg Message
	if found {
		msg = rec.Message
	}
	s.mu.Unlock()
	if !ok || !found {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found", nil)
		return
	}
	writeJSON(w, http.StatusOK, msg.toJSON())
}

// listPage is Twilio's JSON shape of a page of messages.
type listPage struct {
	End             int           `json:"end"`
	FirstPageURI    string        `json:"first_page_uri"`
	Messages        []messageJSON `json:"messages"`
	NextPageURI     *string       `json:"next_page_uri"`
	Page            int           `json:"page"`
	PageSize        int           `json:"page_size"`
	PreviousPageURI *string       `json:"previous_page_uri"`
	Start           int           `json:"start"`
	URI             string        `json:"uri"`
}

// listFilter is the query of a list request.
type listFilter struct {
	to, from              string
	sentOn                *dayOrTime
	sentAfter, sentBefore *dayOrTime
	pageSize, page        int
	pageToken             string
}

// dayOrTime is a DateSent filter value: a whole UTC day (YYYY-MM-DD) or an instant.
type dayOrTime struct {
	t     time.Time
	isDay bool
}

// parseDayOrTime reads YYYY-MM-DD or RFC 3339.
func parseDayOrTime(v string) (*dayOrTime, bool) {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return &dayOrTime{t: t, isDay: true}, true
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &dayOrTime{t: t}, true
	}
	return nil, false
}

// parseListFilter reads a list query, returning the name of the bad
// parameter when one is unreadable.
func parseListFilter(q url.Values) (listFilter, string) {
	f := listFilter{to: q.Get("To"), from: q.Get("From"), pageSize: defaultPageSize, pageToken: q.Get("PageToken")}
	for name, dst := range map[string]**dayOrTime{"DateSent": &f.sentOn, "DateSent>": &f.sentAfter, "DateSent<": &f.sentBefore} {
		if v := q.Get(name); v != "" {
			d, ok := parseDayOrTime(v)
			if !ok {
				return f, name
			}
			*dst = d
		}
	}
	if v := q.Get("PageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return f, "PageSize"
		}
		f.pageSize = min(n, maxPageSize)
	}
	if v := q.Get("Page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return f, "Page"
		}
		f.page = n
	}
	return f, ""
}

// match reports whether m passes the filter. DateSent filters skip messages
// not sent yet, which have no date_sent.
func (f listFilter) match(m Message) bool {
	if f.to != "" && m.To != f.to || f.from != "" && m.From != f.from {
		return false
	}
	if f.sentOn == nil && f.sentAfter == nil && f.sentBefore == nil {
		return true
	}
	if m.DateSent.IsZero() {
		return false
	}
	sent := m.DateSent.UTC()
	day := sent.Truncate(24 * time.Hour)
	if f.sentOn != nil && (f.sentOn.isDay && !day.Equal(f.sentOn.t) || !f.sentOn.isDay && !sent.Equal(f.sentOn.t)) {
		return false
	}
	if f.sentAfter != nil && (f.sentAfter.isDay && day.Before(f.sentAfter.t) || !f.sentAfter.isDay && sent.Before(f.sentAfter.t)) {
		return false
	}
	if f.sentBefore != nil && (f.sentBefore.isDay && day.After(f.sentBefore.t) || !f.sentBefore.isDay && sent.After(f.sentBefore.t)) {
		return false
	}
	return true
}

// handleList serves GET .../Messages.json: the messages newest first, with
// Twilio's filters (To, From, DateSent, DateSent>, DateSent<) and paging
// (PageSize, Page, PageToken).
func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) || !s.wait(r.Context(), s.delay()) {
		return
	}
	q := r.URL.Query()
	f, bad := parseListFilter(q)
	if bad != "" {
		writeError(w, http.StatusBadRequest, 20001, "Invalid value for "+bad, nil)
		return
	}

	s.mu.Lock()
	var all []Message
	for _, rec := range slices.Backward(s.messages) {
		if f.match(rec.Message) {
			all = append(all, rec.Message)
		}
	}
	s.mu.Unlock()
	// Newest first by creation time; creation order breaks ties.
	slices.SortStableFunc(all, func(a, b Message) int { return b.DateCreated.Compare(a.DateCreated) })

	start := f.page * f.pageSize
	if f.pageToken != "" {
		// A token names the last message of the previous page.
		after := strings.TrimPrefix(f.pageToken, "PA")
		start = len(all)
		for i, m := range all {
			if m.SID == after {
				start = i + 1
				break
			}
		}
	}
	start = min(start, len(all))
	end := min(start+f.pageSize, len(all))

	path := r.URL.Path
	page := listPage{
		Start:        start,
		End:          max(start, end-1),
		Page:         f.page,
		PageSize:     f.pageSize,
		Messages:     make([]messageJSON, 0, end-start),
		URI:          pageURI(path, q, f.page, f.pageToken),
		FirstPageURI: pageURI(path, q, 0, ""),
	}
	for _, m := range all[start:end] {
		page.Messages = append(page.Messages, m.toJSON())
	}
	if end < len(all) {
		next := pageURI(path, q, f.page+1, "PA"+all[end-1].SID)
		page.NextPageURI = &next
	}
	if start > 0 && f.page > 0 {
		prev := pageURI(path, q, f.page-1, "")
		page.PreviousPageURI = &prev
	}
	writeJSON(w, http.StatusOK, page)
}

// pageURI is the URI of a page of the same query.
func pageURI(path string, q url.Values, page int, token string) string {
	v := url.Values{}
	for k, vs := range q {
		if k != "Page" && k != "PageToken" {
			v[k] = vs
		}
	}
	v.Set("Page", strconv.Itoa(page))
	if token != "" {
		v.Set("PageToken", token)
	}
	return path + "?" + v.Encode()
}

// delay returns the injected answer delay.
func (s *Server) delay() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.delay
}
