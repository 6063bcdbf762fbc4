package sortition

import (
	"crypto/sha256"
	"math/rand/v2"
)

// Purposes of the random streams derived from a seed (see the package
// documentation for the exact derivation).
const (
	PurposeLottery  = "lottery"  // the lottery index; key = SHA-256(seed)
	PurposeLegacy   = "legacy"   // the legacy algorithm's choices
	PurposeReserves = "reserves" // the order of the reserves
	PurposeMembers  = "members"  // who, among interchangeable people, takes a lottery panel's seats
)

// streamDomain prefixes every derived key except the lottery's.
const streamDomain = "panel-draw/1"

// Stream is a deterministic source of uniform integers derived from a seed:
// ChaCha8 (c2sp.org/chacha8rand, as in math/rand/v2) keyed by a SHA-256 hash.
type Stream struct {
	src *rand.ChaCha8
}

// StreamKey returns the 32-byte ChaCha8 key of a purpose's stream:
// SHA-256(seed) for PurposeLottery, and
// SHA-256("panel-draw/1" || 0x00 || purpose || 0x00 || seed) for every other
// purpose, the seed taken as its UTF-8 bytes.
func StreamKey(purpose, seed string) [32]byte {
	if purpose == PurposeLottery {
		return sha256.Sum256([]byte(seed))
	}
	return sha256.Sum256([]byte(streamDomain + "\x00" + purpose + "\x00" + seed))
}

// NewStream returns the stream for a purpose and seed.
func NewStream(purpose, seed string) *Stream {
	return &Stream{src: rand.NewChaCha8(StreamKey(purpose, seed))}
}

// Uint64 returns the next 64-bit output of the ChaCha8 stream.
func (s *Stream) Uint64() uint64 { return s.src.Uint64() }

// Uniform returns a uniform integer in [0, n) by rejection sampling: take the
// next 64-bit output x; while x >= 2^64 - (2^64 mod n) take another; return
// x mod n. It panics if n <= 0.
func (s *Stream) Uniform(n int) int {
	if n <= 0 {
		panic("sortition: Uniform needs n > 0")
	}
	un := uint64(n)
	rem := -un % un // 2^64 mod n
	for {
		x := s.src.Uint64()
		if rem == 0 || x < -rem { // -rem == 2^64 - rem when rem > 0
			return int(x % un)
		}
	}
}

// LotteryIndex returns the index in [0, m) that a seed picks from a lottery of
// m panels: the first Uniform(m) of the lottery stream.
func LotteryIndex(seed string, m int) int {
	return NewStream(PurposeLottery, seed).Uniform(m)
}
