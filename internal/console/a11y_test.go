package console_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// missingText finds a catalogue key shown instead of its text.
var missingText = regexp.MustCompile(`\[[a-z_]+\.[a-z_.]+\]`)

// checkPage checks what every page must have: <html lang>, one h1 and
// headings in order, a label for every field, nothing from another host,
// no untranslated key.
func checkPage(t *testing.T, path, lang, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	labels := map[string]bool{}
	var fields []string
	h1s, level := 0, 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			switch n.Data {
			case "html":
				if attr["lang"] != lang {
					t.Errorf("%s: <html lang=%q>, want %q", path, attr["lang"], lang)
				}
			case "h1", "h2", "h3", "h4":
				l := int(n.Data[1] - '0')
				if l == 1 {
					h1s++
				}
				if l > level+1 {
					t.Errorf("%s: <%s> follows <h%d>: headings skip a level", path, n.Data, level)
				}
				level = l
			case "label":
				labels[attr["for"]] = true
			case "input", "select", "textarea":
				switch attr["type"] {
				case "hidden", "submit", "button":
				default:
					if attr["aria-label"] == "" {
						fields = append(fields, attr["id"])
					}
				}
			case "script", "link", "img", "a", "form":
				for _, k := range []string{"src", "href", "action"} {
					if v := attr[k]; strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "https:") || strings.HasPrefix(v, "//") {
						t.Errorf("%s: <%s %s=%q> points at another host", path, n.Data, k, v)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if h1s != 1 {
		t.Errorf("%s: %d <h1>, want 1", path, h1s)
	}
	for _, id := range fields {
		if id == "" || !labels[id] {
			t.Errorf("%s: a field (id %q) has no <label for>", path, id)
		}
	}
	if m := missingText.FindString(body); m != "" {
		t.Errorf("%s: untranslated key %s", path, m)
	}
}

func TestPagesAccessibleInBothLanguages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	camp, _ := withInboxMessage(t, e)
	id := fmt.Sprint(camp.ID)
	for _, lang := range []string{"nb", "en"} {
		b := e.browser(lang)
		if p := b.get("/login"); p.status == http.StatusOK {
			checkPage(t, "/login", lang, p.body)
		}
		b.signIn("kari")
		for _, path := range []string{"/campaigns", "/campaigns/new", "/campaigns/" + id, "/campaigns/" + id + "/recipients", "/campaigns/" + id + "/edit", "/inbox", "/audit", "/nowhere"} {
			p := b.get(path)
			if p.status != http.StatusOK && path != "/nowhere" {
				t.Errorf("GET %s: %d", path, p.status)
			}
			checkPage(t, path, lang, p.body)
		}
		p := b.upload("/campaigns/"+id+"/recipients", "file", "r.csv", []byte(recipientsCSV))
		checkPage(t, "import preview", lang, p.body)
	}
}

func TestStaticAssets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sqliteStore(t), false)
	b := e.browser("")
	for path, typ := range map[string]string{"/static/console.css": "text/css", "/static/console.js": "javascript"} {
		p := b.get(path)
		if p.status != http.StatusOK || !strings.Contains(p.header.Get("Content-Type"), typ) || len(p.body) < 100 {
			t.Errorf("GET %s: %d %q, want 200 %s", path, p.status, p.header.Get("Content-Type"), typ)
		}
		if strings.Contains(p.body, "http://") || strings.Contains(p.body, "https://") {
			t.Errorf("%s refers to another host", path)
		}
	}
}
