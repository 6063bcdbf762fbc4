package console

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/citizenspanel/panel/internal/locale"
	"github.com/citizenspanel/panel/internal/panel"
)

// Cookies the console sets.
const (
	sessionCookie = "panel_session"
	langCookie    = "panel_lang"
)

// viewer is who is looking at a page, in which language.
type viewer struct {
	User *panel.User // nil on the sign-in page
	L    locale.Printer
}

type viewerKey struct{}

// viewerFrom returns the viewer put in the context by signedIn, or an
// anonymous one in the request's language.
func (c *Console) viewerFrom(r *http.Request) viewer {
	if v, ok := r.Context().Value(viewerKey{}).(viewer); ok {
		return v
	}
	return viewer{L: c.printer(r)}
}

// printer is the request's language: the picker's cookie, else the
// browser's Accept-Language, else bokmål.
func (c *Console) printer(r *http.Request) locale.Printer {
	choice := ""
	if ck, err := r.Cookie(langCookie); err == nil {
		choice = ck.Value
	}
	return c.cats.Printer(c.cats.Match(choice, r.Header.Get("Accept-Language")), c.loc)
}

// signedIn runs h for a signed-in user whose role is in roles. Without a
// valid session a GET goes to /login and comes back afterwards; any other
// method gets 401. A role not allowed gets 403. The user becomes the
// actor of everything h does, so audit events name them.
func (c *Console) signedIn(roles []string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		L := c.printer(r)
		var sess *panel.Session
		var err error
		if ck, cerr := r.Cookie(sessionCookie); cerr == nil {
			sess, err = c.store.SessionBySecret(ctx, panel.Secret(ck.Value))
		} else {
			err = panel.Errorf(panel.EUNAUTHORIZED, "no session cookie")
		}
		if err != nil {
			if panel.ErrorCode(err) != panel.EUNAUTHORIZED {
				c.fail(w, r, err)
				return
			}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			c.renderError(w, r, viewer{L: L}, http.StatusUnauthorized, L.T("error.signed_out"))
			return
		}
		v := viewer{User: &sess.User, L: L}
		if !slices.Contains(roles, sess.User.Role) {
			c.renderError(w, r, v, http.StatusForbidden, L.T("error.forbidden"))
			return
		}
		ctx = context.WithValue(ctx, viewerKey{}, v)
		ctx = panel.WithActor(ctx, panel.Actor{Name: sess.User.Name, Role: sess.User.Role})
		w.Header().Set("Cache-Control", "no-store")
		h(w, r.WithContext(ctx))
	}
}

// setSessionCookie hands the browser its session.
func (c *Console) setSessionCookie(w http.ResponseWriter, secret panel.Secret, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret.Reveal(), Path: "/", Expires: expires,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode,
	})
}

// clearSessionCookie makes the browser forget its session.
func (c *Console) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode,
	})
}
