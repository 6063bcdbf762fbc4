package draw

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestKeyedHashes(t *testing.T) {
	t.Parallel()
	a, b := []byte("secret of campaign a............"), []byte("secret of campaign b............")
	addr := householdKey([]string{" Elgeseter gate 10 ", "7030"}, []int{0, 1})
	plain := sha256.Sum256([]byte(addr))
	if h := householdHash(a, addr); h == hex.EncodeToString(plain[:16]) || h == householdHash(b, addr) || len(h) != 32 {
		t.Errorf("household key %q: want a keyed hash that differs per campaign and from the plain SHA-256", h)
	}
	if householdHash(a, addr) != householdHash(a, householdKey([]string{"elgeseter gate 10", "7030"}, []int{0, 1})) {
		t.Error("the same folded address gives different keys")
	}
	imported := &panel.Volunteer{Source: panel.SourceImport, ExternalID: "12345678901"}
	if id := publicID(a, imported); !strings.HasPrefix(id, "v") || strings.Contains(id, "12345678901") || len(id) != 17 || id == publicID(b, imported) {
		t.Errorf("imported volunteer published as %q", id)
	}
	sms := &panel.Volunteer{Source: panel.SourceSMS, ExternalID: "r-9f2c"}
	if id := publicID(a, sms); id != "r-9f2c" {
		t.Errorf("SMS volunteer published as %q, want the recipient's pseudonym", id)
	}
}
