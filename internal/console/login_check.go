package console

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/password"
)

// secretOf turns a cookie value into the session secret it carries.
func secretOf(v string) panel.Secret { return panel.Secret(v) }

// clientAddress is the address failed sign-ins are counted by.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// loginCheck signs a person in: throttled per name and per address, then
// the password checked against its argon2id hash, then a session stored
// and its cookie set, and a user.signed_in audit event.
func (c *Console) loginCheck(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	L := c.printer(r)
	r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
	if err := r.ParseForm(); err != nil {
		c.renderError(w, r, viewer{L: L}, http.StatusBadRequest, L.T("error.bad_form"))
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	pw := r.PostForm.Get("password")
	next := r.PostForm.Get("next")
	if !localPath(next) {
		next = "/" // home: the campaigns, or a caller's members page
	}
	form := loginForm{Name: name, Next: next}
	again := func(status int, key string) {
		form.Error = L.T(key)
		c.render(w, r, status, "login", L.T("login.title"), "", form)
	}
	if name == "" || pw == "" {
		again(http.StatusUnprocessableEntity, "login.missing")
		return
	}
	attempt := panel.SignInAttempt{Name: name, Address: clientAddress(r)}
	byName, byAddr, err := c.store.SignInFailures(ctx, attempt, c.now().Add(-throttleWindow))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if byName >= maxFailsByName || byAddr >= maxFailsByAddress {
		c.log.WarnContext(ctx, "console sign-in throttled", slog.Int("failures_by_name", byName), slog.Int("failures_by_address", byAddr))
		again(http.StatusTooManyRequests, "login.throttled")
		return
	}
	user, hash, err := c.store.UserPassword(ctx, name)
	ok := false
	switch panel.ErrorCode(err) {
	case "":
		ok, err = password.Verify(pw, hash)
		if err != nil {
			c.fail(w, r, err)
			return
		}
	case panel.ENOTFOUND:
		// Spend the same work as a real check, so timing does not tell
		// which names exist.
		_, _ = password.Verify(pw, dummyHash)
	default:
		c.fail(w, r, err)
		return
	}
	if !ok {
		if err := c.store.RecordSignInFailure(ctx, attempt); err != nil {
			c.fail(w, r, err)
			return
		}
		again(http.StatusUnauthorized, "login.wrong")
		return
	}
	if err := c.store.ClearSignInFailures(ctx, name); err != nil {
		c.fail(w, r, err)
		return
	}
	sess, secret, err := c.store.CreateSession(ctx, user.ID, c.ttl)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.audit(r, panel.Actor{Name: user.Name, Role: user.Role}, "user.signed_in", user.ID)
	c.setSessionCookie(w, secret, sess.ExpiresAt)
	c.log.InfoContext(ctx, "console sign-in", slog.Int64("user_id", user.ID), slog.String("role", user.Role))
	redirect(w, r, next)
}

// dummyHash is checked against when the name is unknown.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$rsZNAxU+wt9svAvaRhRe0A$2AHl32QpDPbTEtUtlCTjbSGHBkqPIS8BtHSeEizKpI8"

// audit records a sign-in or sign-out; a failure to record is logged, as
// the person's action itself succeeded.
func (c *Console) audit(r *http.Request, who panel.Actor, action string, userID int64) {
	details, _ := json.Marshal(map[string]string{"role": who.Role})
	err := c.store.AppendAudit(r.Context(), &panel.AuditEvent{
		Actor: who.Name, Action: action, Subject: fmt.Sprintf("user/%d", userID), Details: details,
	})
	if err != nil {
		c.log.ErrorContext(r.Context(), "console: audit", slog.String("action", action), slog.String("error", err.Error()))
	}
}
