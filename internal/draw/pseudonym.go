package draw

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"

	"github.com/citizenspanel/panel/internal/panel"
)

// keyedHash is the hex HMAC-SHA256, truncated to 16 bytes, of a purpose and
// a value under the campaign's never-published record secret: published
// draw records use it instead of anything an outsider could recompute from
// an address register or the organiser's list of ids.
func keyedHash(secret []byte, purpose, value string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(purpose + "\x00" + value))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// householdHash is the stored household key of a folded address.
func householdHash(secret []byte, address string) string {
	return keyedHash(secret, "household", address)
}

// publicID is the id that stands for a volunteer in the draw record and
// the panel members: an SMS volunteer's id is already the recipient's random
// pseudonym; an imported volunteer's is "v" followed by 16 hex digits of a
// keyed hash of the organiser's id, so the organiser's ids are never
// published.
func publicID(secret []byte, v *panel.Volunteer) string {
	return PublicID(secret, v.Source, v.ExternalID)
}

// PublicID is the id that stands in draw records for the volunteer of the
// given source and id in a campaign with the given record secret (see
// publicID).
func PublicID(secret []byte, source, externalID string) string {
	if source != panel.SourceImport {
		return externalID
	}
	return "v" + keyedHash(secret, "volunteer", externalID)[:16]
}
