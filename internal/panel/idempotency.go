package panel

// IdempotencyKey identifies one creating call sent with an Idempotency-Key
// header: who sent it, to which method and path, under which key, and a
// hash of its body, so that a reuse of the key for another request can be
// told from a repeat.
type IdempotencyKey struct {
	Actor       string // e.g. "token/7"
	Method      string
	Path        string
	Key         string
	RequestHash string // hex SHA-256 of the request body
}

// IdempotentReply is the first answer to an idempotent call, kept to be
// given again to its repeats.
type IdempotentReply struct {
	Status      int
	ContentType string
	Body        []byte
}

// IdempotencyClaim is the outcome of claiming a key: either the caller now
// owns it (ID set, run the request, then complete or release it), or an
// earlier request with the key has answered (Replay set), or one is still
// running (InFlight).
type IdempotencyClaim struct {
	ID       int64
	Replay   *IdempotentReply
	InFlight bool
}
