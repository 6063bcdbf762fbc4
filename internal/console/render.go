package console

import (
	"bytes"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/citizenspanel/panel/internal/locale"
	"github.com/citizenspanel/panel/internal/panel"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages are the parsed templates, one set per page, each with the layout.
type pages struct {
	byName map[string]*template.Template
}

// funcs are the helpers templates may call besides the printer's methods.
var funcs = template.FuncMap{
	"pct": func(n, of int) int {
		if of <= 0 {
			return 0
		}
		return n * 100 / of
	},
	"add":  func(a, b int) int { return a + b },
	"sub":  func(a, b int) int { return a - b },
	"mul":  func(a, b int) int { return a * b },
	"dict": func(l locale.Printer, p *preview) previewView { return previewView{L: l, P: p} },
	"deref": func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	},
}

// loadPages parses every page template with the layout.
func loadPages() (*pages, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		if n == "templates/layout.html" || n == "templates/partials.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("console: template %s: %w", n, err)
		}
		p.byName[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = t
	}
	return p, nil
}

// previewView is what the preview block gets.
type previewView struct {
	L locale.Printer
	P *preview
}

// view is what the layout and every page template get.
type view struct {
	viewer
	Title string // the page's heading, also the <title>
	Nav   string // which menu entry is current
	Path  string // the request path, for the language picker's return
	Data  any    // the page's own data
}

// Organiser reports whether the viewer may change things.
func (v view) Organiser() bool { return v.User != nil && v.User.Role == panel.RoleOrganiser }

// Languages lists the picker's choices.
func (v view) Languages() []string { return locale.Languages }

// render writes page name with status. The page is rendered to a buffer
// first, so a template error becomes a clean 500.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, data any) {
	v := view{viewer: c.viewerFrom(r), Title: title, Nav: nav, Path: r.URL.RequestURI(), Data: data}
	c.renderView(w, r, status, name, v)
}

func (c *Console) renderView(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	t, ok := c.pages.byName[name]
	if !ok {
		c.log.ErrorContext(r.Context(), "console: no such template", slog.String("template", name))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		c.log.ErrorContext(r.Context(), "console: render", slog.String("template", name), slog.String("error", err.Error()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.L.Lang)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderError shows an error page with message.
func (c *Console) renderError(w http.ResponseWriter, r *http.Request, v viewer, status int, message string) {
	c.renderView(w, r, status, "error", view{viewer: v, Title: v.L.T("error.title"), Path: r.URL.RequestURI(), Data: message})
}

// fail shows err: the domain's codes become statuses; an internal error
// is logged and shown as a plain sentence.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	v := c.viewerFrom(r)
	status, msg := http.StatusInternalServerError, v.L.T("error.internal")
	switch panel.ErrorCode(err) {
	case panel.EINVALID:
		status, msg = http.StatusUnprocessableEntity, panel.ErrorMessage(err)
	case panel.ENOTFOUND:
		status, msg = http.StatusNotFound, v.L.T("error.not_found")
	case panel.ECONFLICT:
		status, msg = http.StatusConflict, panel.ErrorMessage(err)
	case panel.EFORBIDDEN:
		status, msg = http.StatusForbidden, v.L.T("error.forbidden")
	case panel.EUNAVAILABLE:
		status, msg = http.StatusServiceUnavailable, v.L.T("error.unavailable")
	default:
		c.log.ErrorContext(r.Context(), "console: internal error", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	}
	c.renderError(w, r, v, status, msg)
}

// notFound answers paths the console does not know.
func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	v := c.viewerFrom(r)
	c.renderError(w, r, v, http.StatusNotFound, v.L.T("error.not_found"))
}

// staticHandler serves the embedded assets under /static/.
func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embedded folder exists at build time
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}

// nonce returns a random hex string for a form's once-only token.
func (c *Console) nonce() string {
	b := make([]byte, 16)
	if _, err := io.ReadFull(c.random, b); err != nil {
		return ""
	}
	return hex.EncodeToString(b)
}

// redirect answers a form post with 303 See Other to path.
func redirect(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// readForm parses a posted form of at most formBodyLimit bytes. A body
// that is too large or malformed is answered with the EINVALID error in
// the viewer's language, and readForm returns false.
func (c *Console) readForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, formBodyLimit)
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, panel.Errorf(panel.EINVALID, "%s", c.viewerFrom(r).L.T("error.bad_form")))
		return false
	}
	return true
}
