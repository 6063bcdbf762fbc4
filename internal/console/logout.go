package console

import (
	"net/http"

	"github.com/citizenspanel/panel/internal/panel"
)

// logout ends the session, records user.signed_out and goes to /login.
func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	ck, err := r.Cookie(sessionCookie)
	if err == nil {
		if sess, err := c.store.SessionBySecret(r.Context(), secretOf(ck.Value)); err == nil {
			if err := c.store.DeleteSession(r.Context(), secretOf(ck.Value)); err != nil {
				c.fail(w, r, err)
				return
			}
			c.audit(r, panel.Actor{Name: sess.User.Name, Role: sess.User.Role}, "user.signed_out", sess.User.ID)
		}
	}
	c.clearSessionCookie(w)
	redirect(w, r, "/login")
}
