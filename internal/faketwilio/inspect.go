package faketwilio

// Messages returns every message created, in creation order, as they stand now.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, rec := range s.messages {
		out[i] = rec.Message
	}
	return out
}

// SentTo returns the messages created for to, in creation order.
func (s *Server) SentTo(to string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, rec := range s.messages {
		if rec.To == to {
			out = append(out, rec.Message)
		}
	}
	return out
}

// CountTo returns how many messages were created for to.
func (s *Server) CountTo(to string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, rec := range s.messages {
		if rec.To == to {
			n++
		}
	}
	return n
}

// Message returns the message with the given SID, and whether it exists.
func (s *Server) Message(sid string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.bySID[sid]
	if !ok {
		return Message{}, false
	}
	return rec.Message, true
}

// Requests returns how many create requests arrived, refused ones included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Fetches returns how many fetch requests asked for the message with the
// given SID (known or not), refused ones included.
func (s *Server) Fetches(sid string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches[sid]
}

// TotalFetches returns how many fetch requests of single messages arrived.
func (s *Server) TotalFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.fetches {
		n += c
	}
	return n
}
