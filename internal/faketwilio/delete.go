package faketwilio

import (
	"net/http"
	"slices"
	"strings"
)

// handleDelete serves DELETE .../Messages/{Sid}.json as Twilio does: 204
// with no body once the message, its body and numbers are gone; 404
// (code 20404) for a message it does not hold, deleted ones included.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	sid, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	s.mu.Lock()
	if refused := s.refuseDeleteLocked(); refused != nil {
		s.mu.Unlock()
		writeError(w, refused.status, refused.code, refused.message, nil)
		return
	}
	rec, found := s.bySID[sid]
	if ok && found {
		delete(s.bySID, sid)
		s.messages = slices.DeleteFunc(s.messages, func(m *record) bool { return m == rec })
		s.deleted = append(s.deleted, sid)
	}
	s.mu.Unlock()
	if !ok || !found {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found", nil)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Deleted returns the SIDs of the messages deleted through the API, in
// the order they were deleted.
func (s *Server) Deleted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deleted)
}
