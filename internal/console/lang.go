package console

import (
	"net/http"

	"github.com/citizenspanel/panel/internal/locale"
)

// setLanguage remembers the language picked (a year) and goes back.
func (c *Console) setLanguage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
	_ = r.ParseForm()
	lang := r.PostForm.Get("lang")
	if locale.Valid(lang) {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode})
	}
	back := r.PostForm.Get("back")
	if !localPath(back) {
		back = "/"
	}
	redirect(w, r, back)
}

// home is GET /: the campaigns; a caller's members page.
func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	if c.viewerFrom(r).Caller() {
		c.callerHome(w, r)
		return
	}
	redirect(w, r, "/campaigns")
}
