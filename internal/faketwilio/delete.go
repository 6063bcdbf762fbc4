package faketwilio

import (
	"net/http"
	"slices"
	"strings"
)

// inProgress are the statuses of a message Twilio is still handling; it
// refuses to delete one (error 20009) until it is final.
var inProgress = map[string]bool{"accepted": true, "scheduled": true, "queued": true, "sending": true}

// handleDelete serves DELETE .../Messages/{Sid}.json as Twilio does: 204
// with no body once the message, its body and numbers are gone; 404
// (code 20404) for a message it does not hold, deleted ones included; 409
// with Twilio's code 20009 while the message is still in progress.
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
	if ok && found && inProgress[rec.Status] {
		s.mu.Unlock()
		writeError(w, http.StatusConflict, 20009, "Cannot delete this resource before it is complete", nil)
		return
	}
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
