// Package password hashes and checks the console's passwords with
// argon2id (golang.org/x/crypto/argon2) and makes new random ones. A hash
// is kept in the usual text form, $argon2id$v=19$m=...,t=...,p=...$salt$key,
// so its parameters travel with it and can be raised later.
package password

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Parameters of new hashes: OWASP's argon2id minimum (19 MiB, 2 passes,
// 1 lane), about 30 ms on one core of a small server.
const (
	memoryKiB = 19 * 1024
	passes    = 2
	lanes     = 1
	saltLen   = 16
	keyLen    = 32
)

// MinLength is the fewest characters a password may have.
const MinLength = 10

// MaxLength bounds a password, so a huge one cannot tie up the hasher.
const MaxLength = 200

var b64 = base64.RawStdEncoding

// Hash returns the argon2id hash of pw in text form, with a salt read
// from random.
func Hash(pw string, random io.Reader) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := io.ReadFull(random, salt); err != nil {
		return "", fmt.Errorf("password: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, passes, memoryKiB, lanes, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, memoryKiB, passes, lanes, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches encoded, a hash made by Hash. A
// malformed hash is an error.
func Verify(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("password: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("password: unsupported argon2 version %q", parts[2])
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, fmt.Errorf("password: bad argon2 parameters %q", parts[3])
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("password: bad salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errors.New("password: bad key")
	}
	if len(pw) > MaxLength*4 {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// alphabet of generated passwords: no 0/O, 1/l/I, so they can be read
// aloud or off a screen.
const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// Generate returns a new password of 20 characters from random (about
// 116 bits).
func Generate(random io.Reader) (string, error) {
	const n = 20
	out := make([]byte, 0, n)
	buf := make([]byte, 1)
	// Rejection sampling keeps every character equally likely.
	limit := 256 - 256%len(alphabet)
	for len(out) < n {
		if _, err := io.ReadFull(random, buf); err != nil {
			return "", fmt.Errorf("password: read random bytes: %w", err)
		}
		if int(buf[0]) < limit {
			out = append(out, alphabet[int(buf[0])%len(alphabet)])
		}
	}
	return string(out), nil
}

// Check returns a sentence saying what is wrong with a chosen password, or
// "" when it is acceptable.
func Check(pw string) string {
	n := len([]rune(pw))
	switch {
	case n < MinLength:
		return fmt.Sprintf("the password must have at least %d characters, it has %d", MinLength, n)
	case n > MaxLength:
		return fmt.Sprintf("the password must have at most %d characters, it has %d", MaxLength, n)
	}
	return ""
}
