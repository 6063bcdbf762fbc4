// Package deploy_test lints the deployment files in deploy/ without Docker
// or a cluster: they parse, agree with each other, and only use what the
// service knows.
package deploy_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// knownEnv is every environment variable the service reads: the README's
// configuration table (with the two logging settings).
var knownEnv = []string{
	"PANEL_DATABASE_URL",
	"PANEL_ADDR",
	"PANEL_PUBLIC_URL",
	"PANEL_SMS",
	"TWILIO_ACCOUNT_SID",
	"TWILIO_AUTH_TOKEN",
	"TWILIO_FROM",
	"TWILIO_MESSAGING_SERVICE_SID",
	"TWILIO_API_BASE_URL",
	"PANEL_TIMEZONE",
	"PANEL_LOG_LEVEL",
	"PANEL_LOG_FORMAT",
}

// secretEnv are the variables that must come from a Kubernetes Secret.
var secretEnv = []string{"PANEL_DATABASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"}

// servicePort is the port the service listens on in every deployment.
const servicePort = 8080

// deployFiles returns the paths (relative to deploy/) of every file here
// except the Go tests and local, Git-ignored *.env files.
func deployFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, ".env") {
			return nil
		}
		files = append(files, filepath.ToSlash(path))
		return nil
	})
	if err != nil {
		t.Fatalf("walk deploy/: %v", err)
	}
	return files
}

// yamlFiles returns the YAML files under deploy/.
func yamlFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, f := range deployFiles(t) {
		if strings.HasSuffix(f, ".yaml") || strings.HasSuffix(f, ".yml") {
			out = append(out, f)
		}
	}
	return out
}

// readFile returns a file's content or stops the test.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return b
}

// decodeYAML decodes every document in path into a fresh T, knowing every
// field, and returns them.
func decodeYAML[T any](t *testing.T, path string) []T {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(readFile(t, path)))
	var docs []T
	for i := 1; ; i++ {
		var doc T
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: YAML document %d: %v", path, i, err)
		}
		docs = append(docs, doc)
	}
}

// decodeOne decodes a file holding exactly one YAML document.
func decodeOne[T any](t *testing.T, path string) T {
	t.Helper()
	docs := decodeYAML[T](t, path)
	if len(docs) != 1 {
		t.Fatalf("%s: got %d YAML documents, want 1", path, len(docs))
	}
	return docs[0]
}

// portOf returns the port of a listen address such as ":8080".
func portOf(t *testing.T, where, addr string) int {
	t.Helper()
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		t.Fatalf("%s: PANEL_ADDR %q has no port", where, addr)
	}
	p, err := strconv.Atoi(addr[i+1:])
	if err != nil {
		t.Fatalf("%s: PANEL_ADDR %q: bad port: %v", where, addr, err)
	}
	return p
}

// checkKnownEnv fails for a variable name the service does not read.
func checkKnownEnv(t *testing.T, where string, names ...string) {
	t.Helper()
	for _, n := range names {
		if !slices.Contains(knownEnv, n) {
			t.Errorf("%s: environment variable %s is not one the service reads (known: %s)", where, n, strings.Join(knownEnv, ", "))
		}
	}
}

// checkPinned fails for an image reference without a tag or digest, or
// tagged "latest".
func checkPinned(t *testing.T, where, image string) {
	t.Helper()
	if strings.Contains(image, "@sha256:") {
		return
	}
	name := image[strings.LastIndex(image, "/")+1:]
	_, tag, ok := strings.Cut(name, ":")
	if !ok || tag == "" || tag == "latest" {
		t.Errorf("%s: image %q is not pinned by a tag (got tag %q)", where, image, tag)
	}
}

func TestYAMLParses(t *testing.T) {
	t.Parallel()
	files := yamlFiles(t)
	if len(files) < 7 {
		t.Fatalf("YAML files under deploy/: got %d (%v), want at least 7", len(files), files)
	}
	for _, f := range files {
		docs := decodeYAML[map[string]any](t, f)
		if len(docs) == 0 {
			t.Errorf("%s: got no YAML documents, want at least one", f)
		}
	}
}

var envNameRE = regexp.MustCompile(`\b(?:PANEL|TWILIO)_[A-Z0-9_]+\b`)

func TestEveryEnvNameIsKnown(t *testing.T) {
	t.Parallel()
	for _, f := range deployFiles(t) {
		names := envNameRE.FindAllString(string(readFile(t, f)), -1)
		checkKnownEnv(t, f, names...)
	}
}

func TestEnvExampleFiles(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"twilio.env.example", "systemd/panel.env.example"} {
		for i, line := range strings.Split(string(readFile(t, f)), "\n") {
			line = strings.TrimPrefix(strings.TrimSpace(line), "#")
			name, _, ok := strings.Cut(line, "=")
			if !ok || strings.ContainsAny(name, " \t") {
				continue // prose, not an assignment
			}
			checkKnownEnv(t, f+":"+strconv.Itoa(i+1), name)
		}
	}
}

func TestReadmeNamesEveryFile(t *testing.T) {
	t.Parallel()
	readme := string(readFile(t, "README.md"))
	for _, f := range deployFiles(t) {
		if f == "README.md" || f == ".gitignore" {
			continue
		}
		if !strings.Contains(readme, "`"+f+"`") {
			t.Errorf("README.md: got no mention of `%s`, want every file explained", f)
		}
	}
}

func TestSecretFilesAreIgnored(t *testing.T) {
	t.Parallel()
	ignore := string(readFile(t, ".gitignore"))
	if !slices.Contains(strings.Fields(ignore), "*.env") {
		t.Errorf(".gitignore: got %q, want a *.env rule so filled-in env files are never committed", ignore)
	}
}
