package deploy_test

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// composeFile is just enough of the Compose specification to check ours.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Build       *composeBuild     `yaml:"build"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	EnvFile     []struct {
		Path     string `yaml:"path"`
		Required *bool  `yaml:"required"`
	} `yaml:"env_file"`
	Ports       []string                     `yaml:"ports"`
	DependsOn   map[string]map[string]string `yaml:"depends_on"`
	Volumes     []string                     `yaml:"volumes"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
}

type composeBuild struct {
	Context    string `yaml:"context"`
	Dockerfile string `yaml:"dockerfile"`
}

func TestCompose(t *testing.T) {
	t.Parallel()
	c := decodeOne[composeFile](t, "compose.yaml")
	db, migrate, panel := c.Services["db"], c.Services["migrate"], c.Services["panel"]
	for _, name := range []string{"db", "migrate", "panel"} {
		if _, ok := c.Services[name]; !ok {
			t.Fatalf("services: got %v, want %s", keys(c.Services), name)
		}
	}

	for name, s := range c.Services {
		checkPinned(t, "compose service "+name, s.Image)
		for dep, cond := range s.DependsOn {
			if _, ok := c.Services[dep]; !ok {
				t.Errorf("service %s depends on %q, which is not a service", name, dep)
			}
			switch cond["condition"] {
			case "service_started", "service_healthy", "service_completed_successfully":
			default:
				t.Errorf("service %s depends on %s with condition %q, want a Compose condition", name, dep, cond["condition"])
			}
			if cond["condition"] == "service_healthy" && c.Services[dep].Healthcheck == nil {
				t.Errorf("service %s waits for %s to be healthy, but %s has no healthcheck", name, dep, dep)
			}
		}
		for _, v := range s.Volumes {
			src, _, _ := strings.Cut(v, ":")
			if !strings.HasPrefix(src, ".") && !strings.HasPrefix(src, "/") {
				if _, ok := c.Volumes[src]; !ok {
					t.Errorf("service %s mounts volume %q, which is not declared under volumes", name, src)
				}
			}
		}
		if strings.HasPrefix(s.Image, "postgres:") {
			continue // its environment is the postgres image's own
		}
		names := make([]string, 0, len(s.Environment))
		for k := range s.Environment {
			names = append(names, k)
		}
		checkKnownEnv(t, "compose service "+name, names...)
	}

	if !strings.HasPrefix(db.Image, "postgres:15") {
		t.Errorf("db image: got %q, want postgres:15", db.Image)
	}
	if db.Healthcheck == nil || len(db.Healthcheck.Test) == 0 {
		t.Error("db: got no healthcheck, want one")
	}
	if len(db.Volumes) == 0 {
		t.Error("db: got no volume, want its data kept in one")
	}

	if !slices.Equal(migrate.Command, []string{"migrate"}) {
		t.Errorf("migrate command: got %v, want [migrate]", migrate.Command)
	}
	if !slices.Equal(panel.Command, []string{"serve"}) {
		t.Errorf("panel command: got %v, want [serve]", panel.Command)
	}
	if migrate.Image != panel.Image {
		t.Errorf("images: migrate runs %q, panel runs %q, want the same", migrate.Image, panel.Image)
	}
	wantDeps := []struct{ service, dep, condition string }{
		{"migrate", "db", "service_healthy"},
		{"panel", "db", "service_healthy"},
		{"panel", "migrate", "service_completed_successfully"},
	}
	for _, d := range wantDeps {
		if got := c.Services[d.service].DependsOn[d.dep]["condition"]; got != d.condition {
			t.Errorf("%s depends on %s: got condition %q, want %q", d.service, d.dep, got, d.condition)
		}
	}

	for name, s := range map[string]composeService{"migrate": migrate, "panel": panel} {
		b := s.Build
		if b == nil {
			t.Errorf("%s: got no build section, want one (else Compose tries to pull %s)", name, s.Image)
			continue
		}
		if _, err := os.Stat(filepath.Join(b.Context, b.Dockerfile)); err != nil || filepath.Clean(b.Context) != ".." {
			t.Errorf("%s build: context %q dockerfile %q: want the repository root and deploy/Dockerfile (%v)", name, b.Context, b.Dockerfile, err)
		}
	}

	for _, s := range []composeService{migrate, panel} {
		u, err := url.Parse(s.Environment["PANEL_DATABASE_URL"])
		if err != nil || u.Scheme != "postgres" {
			t.Fatalf("PANEL_DATABASE_URL: got %q, want a postgres URL (%v)", s.Environment["PANEL_DATABASE_URL"], err)
		}
		if u.Hostname() != "db" {
			t.Errorf("PANEL_DATABASE_URL host: got %q, want the db service", u.Hostname())
		}
		if got := u.User.Username(); got != db.Environment["POSTGRES_USER"] {
			t.Errorf("PANEL_DATABASE_URL user: got %q, want POSTGRES_USER %q", got, db.Environment["POSTGRES_USER"])
		}
		if pw, _ := u.User.Password(); pw != db.Environment["POSTGRES_PASSWORD"] {
			t.Error("PANEL_DATABASE_URL password: does not match POSTGRES_PASSWORD")
		}
		if got := strings.TrimPrefix(u.Path, "/"); got != db.Environment["POSTGRES_DB"] {
			t.Errorf("PANEL_DATABASE_URL database: got %q, want POSTGRES_DB %q", got, db.Environment["POSTGRES_DB"])
		}
	}

	addr := portOf(t, "compose panel", panel.Environment["PANEL_ADDR"])
	published := false
	for _, p := range panel.Ports {
		parts := strings.Split(p, ":")
		if n, err := strconv.Atoi(parts[len(parts)-1]); err == nil && n == addr {
			published = true
		}
	}
	if addr != servicePort || !published {
		t.Errorf("panel: PANEL_ADDR port %d, ports %v: want %d published", addr, panel.Ports, servicePort)
	}

	for _, ef := range panel.EnvFile {
		if ef.Required == nil || *ef.Required {
			t.Errorf("env_file %s: want required: false, since it is never committed", ef.Path)
		}
		if _, err := os.Stat(ef.Path + ".example"); err != nil {
			t.Errorf("env_file %s: got no %s.example to copy from (%v)", ef.Path, ef.Path, err)
		}
	}
	if len(panel.EnvFile) == 0 {
		t.Error("panel: got no env_file, want Twilio secrets read from one")
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
