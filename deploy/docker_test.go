package deploy_test

import (
	"encoding/json"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	line int    // where it starts
	cmd  string // upper case: FROM, RUN, ...
	args string
}

// stage is one FROM and what follows it.
type stage struct {
	image, name string
	body        []instruction
}

// parseDockerfile splits a Dockerfile into stages.
func parseDockerfile(t *testing.T, file string) []stage {
	t.Helper()
	var stages []stage
	var cur *instruction
	lines := strings.Split(string(readFile(t, file)), "\n")
	add := func(in instruction) {
		if in.cmd == "FROM" {
			f := strings.Fields(in.args)
			s := stage{image: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.name = f[2]
			}
			stages = append(stages, s)
			return
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				t.Errorf("%s:%d: %s before the first FROM", file, in.line, in.cmd)
			}
			return
		}
		stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
	}
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if cur == nil && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur != nil && strings.HasPrefix(line, "#") {
			continue // comment inside a continued instruction
		}
		cont := strings.HasSuffix(line, "\\")
		line = strings.TrimSuffix(line, "\\")
		if cur == nil {
			cmd, args, _ := strings.Cut(line, " ")
			cur = &instruction{line: i + 1, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		} else {
			cur.args += " " + line
		}
		if !cont {
			add(*cur)
			cur = nil
		}
	}
	if cur != nil {
		t.Errorf("%s: the file ends inside a continued instruction", file)
	}
	return stages
}

// find returns the instructions of one kind in a stage.
func (s stage) find(cmd string) []instruction {
	var out []instruction
	for _, in := range s.body {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// execForm decodes a JSON-array instruction such as ENTRYPOINT ["panel"].
func execForm(t *testing.T, in instruction) []string {
	t.Helper()
	var v []string
	if err := json.Unmarshal([]byte(in.args), &v); err != nil {
		t.Errorf("Dockerfile:%d: %s %s: want the JSON (exec) form: %v", in.line, in.cmd, in.args, err)
	}
	return v
}

func TestDockerfile(t *testing.T) {
	t.Parallel()
	stages := parseDockerfile(t, "Dockerfile")
	if len(stages) < 2 {
		t.Fatalf("stages: got %d, want a multi-stage build", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	if !strings.HasPrefix(build.image, "golang:1.26") {
		t.Errorf("builder image: got %q, want golang:1.26", build.image)
	}
	if final.image != "gcr.io/distroless/static-debian12:nonroot" {
		t.Errorf("final image: got %q, want gcr.io/distroless/static-debian12:nonroot", final.image)
	}
	for _, s := range stages {
		checkPinned(t, "Dockerfile FROM", s.image)
	}

	var compile string
	for _, in := range build.find("RUN") {
		if strings.Contains(in.args, "go build") {
			compile = in.args
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w"`, "./cmd/panel"} {
		if !strings.Contains(compile, want) {
			t.Errorf("go build in the builder: got %q, want it to contain %s", compile, want)
		}
	}

	names := make(map[string]bool)
	for _, s := range stages {
		for _, in := range s.find("COPY") {
			for _, f := range strings.Fields(in.args) {
				if from, ok := strings.CutPrefix(f, "--from="); ok && !names[from] {
					t.Errorf("Dockerfile:%d: COPY --from=%s names no earlier stage", in.line, from)
				}
			}
		}
		names[s.name] = s.name != ""
	}

	users := final.find("USER")
	if len(users) == 0 {
		t.Fatal("final stage: got no USER, want a non-root user")
	}
	user, _, _ := strings.Cut(users[len(users)-1].args, ":")
	if user == "root" || user == "0" {
		t.Errorf("final USER: got %q, want a non-root user", user)
	}

	expose := final.find("EXPOSE")
	if len(expose) != 1 || strings.TrimSuffix(expose[0].args, "/tcp") != strconv.Itoa(servicePort) {
		t.Errorf("EXPOSE: got %v, want %d", expose, servicePort)
	}
	for _, env := range final.find("ENV") {
		for _, kv := range strings.Fields(env.args) {
			name, value, ok := strings.Cut(kv, "=")
			if !ok {
				t.Errorf("Dockerfile:%d: ENV %q: want NAME=value", env.line, kv)
				continue
			}
			checkKnownEnv(t, "Dockerfile ENV", name)
			if name == "PANEL_ADDR" && portOf(t, "Dockerfile", value) != servicePort {
				t.Errorf("Dockerfile ENV PANEL_ADDR: got %q, want port %d", value, servicePort)
			}
		}
	}

	entry := final.find("ENTRYPOINT")
	if len(entry) != 1 {
		t.Fatalf("ENTRYPOINT: got %d, want 1", len(entry))
	}
	if e := execForm(t, entry[0]); len(e) != 1 || path.Base(e[0]) != "panel" {
		t.Errorf("ENTRYPOINT: got %v, want the panel binary", e)
	}
	cmd := final.find("CMD")
	if len(cmd) != 1 || !slices.Equal(execForm(t, cmd[0]), []string{"serve"}) {
		t.Errorf("CMD: got %v, want [\"serve\"]", cmd)
	}
}
