package console

import "net/http"

// loginForm is the sign-in page's data.
type loginForm struct {
	Name  string
	Next  string
	Error string // a sentence in the viewer's language; "" for none
}

// loginShow shows the sign-in form. A signed-in user goes straight on.
func (c *Console) loginShow(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if !localPath(next) {
		next = "/" // home: the campaigns, or a caller's members page
	}
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if _, err := c.store.SessionBySecret(r.Context(), secretOf(ck.Value)); err == nil {
			redirect(w, r, next)
			return
		}
	}
	L := c.printer(r)
	c.render(w, r, http.StatusOK, "login", L.T("login.title"), "", loginForm{Next: next})
}
