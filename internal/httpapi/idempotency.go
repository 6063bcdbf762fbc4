package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/citizenspanel/panel/internal/panel"
)

// IdempotencyHeader is the request header that makes a creating call
// idempotent, as payment APIs do.
const IdempotencyHeader = "Idempotency-Key"

// Limits and waits of idempotent calls.
const (
	maxIdempotencyKey = 255
	// idempotencyPoll is how often a repeat that arrives while the first
	// request runs looks for its answer, for at most idempotencyWait.
	idempotencyPoll = 50 * time.Millisecond
	idempotencyWait = 25 * time.Second
)

// IdempotencyStore keeps the answers of idempotent calls (store.Store).
type IdempotencyStore interface {
	// ClaimIdempotencyKey claims k or reports the first answer (Replay) or
	// a request still running (InFlight); EINVALID when the key was used
	// for another request body.
	ClaimIdempotencyKey(ctx context.Context, k panel.IdempotencyKey) (panel.IdempotencyClaim, error)
	// CompleteIdempotencyKey stores the answer of the claim's request.
	CompleteIdempotencyKey(ctx context.Context, id int64, r panel.IdempotentReply) error
	// ReleaseIdempotencyKey forgets a claim without an answer.
	ReleaseIdempotencyKey(ctx context.Context, id int64) error
}

// idempotent runs a creating call at most once per Idempotency-Key: for
// the same caller (token), method and path, a repeat with the same body
// gets the first answer (status and body, with the header
// Idempotent-Replayed: true) and creates nothing; the same key with
// another body is 422; a repeat arriving while the first runs waits for
// its answer. Answers of 5xx are not kept, so such a call can be retried
// with its key. Without the header, or without a store, the call runs as
// usual.
func (s *Server) idempotent(c *gin.Context) {
	key, ok := c.Request.Header[http.CanonicalHeaderKey(IdempotencyHeader)]
	if !ok || s.idem == nil {
		c.Next()
		return
	}
	if err := s.runIdempotent(c, key); err != nil {
		s.writeError(c, err)
	}
}

func (s *Server) runIdempotent(c *gin.Context, values []string) error {
	if len(values) != 1 || values[0] == "" || len(values[0]) > maxIdempotencyKey || !printableKey(values[0]) {
		return panel.Errorf(panel.EINVALID, "the %s header must be given once, as 1 to %d printable ASCII characters", IdempotencyHeader, maxIdempotencyKey)
	}
	sum := sha256.New()
	sum.Write([]byte(c.GetHeader("Content-Type") + "\n" + c.Request.URL.RawQuery + "\n"))
	body, err := spoolBody(c.Request.Body, sum)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge(mbe.Limit)
		}
		if nul, ok := nulError(err); ok {
			return nul
		}
		return errMalformed("the request body could not be read")
	}
	defer body.Close()
	c.Request.Body = body
	caller := c.GetString(callerKey)
	if caller == "" {
		caller = "actor/" + panel.ActorOrSystem(c.Request.Context()).Name
	}
	k := panel.IdempotencyKey{Actor: caller, Method: c.Request.Method, Path: c.Request.URL.Path,
		Key: values[0], RequestHash: hex.EncodeToString(sum.Sum(nil))}

	ctx := c.Request.Context()
	deadline := time.Now().Add(idempotencyWait)
	for {
		claim, err := s.idem.ClaimIdempotencyKey(ctx, k)
		if err != nil {
			return err
		}
		switch {
		case claim.Replay != nil:
			c.Header("Idempotent-Replayed", "true")
			c.Data(claim.Replay.Status, claim.Replay.ContentType, claim.Replay.Body)
			c.Abort()
			return nil
		case claim.ID != 0:
			return s.runClaimed(c, claim.ID)
		}
		if time.Now().After(deadline) {
			return panel.Errorf(panel.ECONFLICT, "a request with this %s is still running; retry later", IdempotencyHeader)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(idempotencyPoll):
		}
	}
}

// runClaimed runs the rest of the chain, recording its answer, and keeps
// the answer under claim id, or forgets the claim after a 5xx or a panic.
func (s *Server) runClaimed(c *gin.Context, id int64) error {
	rec := &recordingWriter{ResponseWriter: c.Writer}
	c.Writer = rec
	kept := false
	// The claim is settled even when the request's own time is up.
	settle, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 5*time.Second)
	defer cancel()
	defer func() {
		if !kept {
			if err := s.idem.ReleaseIdempotencyKey(settle, id); err != nil {
				s.logger.WarnContext(settle, "idempotency key not released", "error", err.Error())
			}
		}
	}()
	c.Next()
	status := rec.Status()
	if status >= 500 {
		return nil
	}
	reply := panel.IdempotentReply{Status: status, ContentType: rec.Header().Get("Content-Type"), Body: rec.body.Bytes()}
	if err := s.idem.CompleteIdempotencyKey(settle, id, reply); err != nil {
		s.logger.WarnContext(settle, "idempotency key answer not kept", "error", err.Error())
		return nil
	}
	kept = true
	return nil
}

// recordingWriter keeps a copy of what the handler writes.
type recordingWriter struct {
	gin.ResponseWriter
	body bytes.Buffer
}

// Write implements io.Writer.
func (w *recordingWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// WriteString implements io.StringWriter.
func (w *recordingWriter) WriteString(s string) (int, error) {
	w.body.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}

// printableKey reports whether k is printable ASCII (spaces allowed).
func printableKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// spoolLimit is the most of a request body an idempotent request keeps in
// memory; a larger body (a recipient file of up to 64 MiB) goes to a
// temporary file, so the streamed import keeps its small memory.
const spoolLimit = 1 << 20

// spoolBody reads body to its end, writing it to sum too, and returns a
// reader of the same bytes: in memory up to spoolLimit, else from a
// temporary file that Close removes.
func spoolBody(body io.Reader, sum io.Writer) (io.ReadCloser, error) {
	var buf bytes.Buffer
	n, err := io.CopyN(io.MultiWriter(&buf, sum), body, spoolLimit+1)
	if errors.Is(err, io.EOF) || err == nil && n <= spoolLimit {
		return io.NopCloser(&buf), nil
	}
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp("", "panel-body-*")
	if err != nil {
		return nil, fmt.Errorf("httpapi: spool request body: %w", err)
	}
	spool := &tempFile{File: f}
	if _, err := buf.WriteTo(f); err != nil {
		spool.Close()
		return nil, fmt.Errorf("httpapi: spool request body: %w", err)
	}
	if _, err := io.Copy(io.MultiWriter(f, sum), body); err != nil {
		spool.Close()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		spool.Close()
		return nil, fmt.Errorf("httpapi: spool request body: %w", err)
	}
	return spool, nil
}

// tempFile is a temporary file that Close removes.
type tempFile struct{ *os.File }

func (t *tempFile) Close() error {
	err := t.File.Close()
	if rerr := os.Remove(t.Name()); err == nil {
		err = rerr
	}
	return err
}
