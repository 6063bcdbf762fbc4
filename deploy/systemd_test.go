package deploy_test

import (
	"path"
	"strings"
	"testing"
)

// unitFile is a systemd unit: section → key → values in order.
type unitFile map[string]map[string][]string

// parseUnit reads a systemd unit file.
func parseUnit(t *testing.T, file string) unitFile {
	t.Helper()
	u := make(unitFile)
	section := ""
	for i, raw := range strings.Split(string(readFile(t, file)), "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			u[section] = make(map[string][]string)
		case section == "":
			t.Errorf("%s:%d: setting outside a section", file, i+1)
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				t.Errorf("%s:%d: got %q, want Key=value", file, i+1, line)
				continue
			}
			u[section][strings.TrimSpace(k)] = append(u[section][strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	return u
}

// last returns the last value of a setting, "" when unset.
func (u unitFile) last(section, key string) string {
	vs := u[section][key]
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

func TestSystemdUnit(t *testing.T) {
	t.Parallel()
	u := parseUnit(t, "systemd/panel.service")
	for _, s := range []string{"Unit", "Service", "Install"} {
		if u[s] == nil {
			t.Fatalf("panel.service: got no [%s] section", s)
		}
	}
	commands := []struct {
		key  string
		want string
	}{
		{"ExecStart", "serve"},
		{"ExecStartPre", "migrate"},
	}
	for _, c := range commands {
		f := strings.Fields(u.last("Service", c.key))
		if len(f) != 2 || path.Base(f[0]) != "panel" || !path.IsAbs(f[0]) || f[1] != c.want {
			t.Errorf("%s: got %v, want an absolute path to panel and %q", c.key, f, c.want)
		}
	}
	settings := map[string]string{
		"NoNewPrivileges": "yes",
		"ProtectSystem":   "strict",
		"Restart":         "on-failure",
		"StateDirectory":  "panel",
		"PrivateTmp":      "yes",
	}
	for k, want := range settings {
		if got := u.last("Service", k); got != want {
			t.Errorf("%s: got %q, want %q", k, got, want)
		}
	}
	if u.last("Service", "DynamicUser") != "yes" && (u.last("Service", "User") == "" || u.last("Service", "User") == "root") {
		t.Error("got neither DynamicUser=yes nor a non-root User=, want one")
	}
	if u.last("Install", "WantedBy") == "" {
		t.Error("[Install] WantedBy: got none, want multi-user.target")
	}
	state := "/var/lib/" + u.last("Service", "StateDirectory") + "/"
	for _, env := range u["Service"]["Environment"] {
		name, value, ok := strings.Cut(env, "=")
		if !ok {
			t.Errorf("Environment=%s: want NAME=value", env)
			continue
		}
		checkKnownEnv(t, "panel.service", name)
		switch name {
		case "PANEL_ADDR":
			if got := portOf(t, "panel.service", value); got != servicePort {
				t.Errorf("PANEL_ADDR port: got %d, want %d", got, servicePort)
			}
		case "PANEL_DATABASE_URL":
			if p, ok := strings.CutPrefix(value, "sqlite:"); ok && !strings.HasPrefix(p, state) {
				t.Errorf("PANEL_DATABASE_URL: got %q, want the SQLite file under %s (the only writable place)", value, state)
			}
		}
	}
	if ef := u.last("Service", "EnvironmentFile"); ef == "" {
		t.Error("EnvironmentFile: got none, want the settings file")
	}
}
