package drawcli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/internal/drawcli"
)

// TestCommitThenReveal draws in two steps (a committed record without the
// seed, then panel reveal) and in one: the records must be byte-identical,
// and verify must accept both, saying which kind it checked.
func TestCommitThenReveal(t *testing.T) {
	t.Parallel()
	for _, alg := range []string{"leximin", "maximin", "legacy"} {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			dir, q, p := files(t, quotasCSV, peopleCSV)
			common := []string{"--categories", q, "--respondents", p, "--seats", "4", "--algorithm", alg, "--reserves", "2", "--address-columns", "street", "--panels", "30"}
			ctx := context.Background()
			var stdout, stderr bytes.Buffer
			oneStep, committed, revealed := filepath.Join(dir, "one.json"), filepath.Join(dir, "committed.json"), filepath.Join(dir, "revealed.json")
			if err := drawcli.Draw(ctx, append(common, "--seed", "4-4-2 rådhuset", "--out", oneStep), &stdout, &stderr); err != nil {
				t.Fatal(err)
			}
			stdout.Reset()
			if err := drawcli.Draw(ctx, append(common, "--out", committed), &stdout, &stderr); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(stdout.String(), "panel reveal "+committed+" --seed S") {
				t.Errorf("summary %q does not say how to reveal", stdout.String())
			}
			stdout.Reset()
			if err := drawcli.Verify(ctx, []string{committed}, &stdout, &stderr); err != nil {
				t.Fatalf("verify committed: %v\n%s", err, stdout.String())
			}
			if !strings.HasSuffix(stdout.String(), "verified: committed record (before the seed)\n") {
				t.Errorf("verify committed: got %q", stdout.String())
			}
			if err := drawcli.Reveal(ctx, []string{committed, "--seed", "4-4-2 rådhuset", "--out", revealed}, &stdout, &stderr); err != nil {
				t.Fatal(err)
			}
			a, _ := os.ReadFile(oneStep)
			b, _ := os.ReadFile(revealed)
			if !bytes.Equal(a, b) {
				t.Errorf("revealed record differs from the one-step draw:\n%s\n---\n%s", a, b)
			}
			stdout.Reset()
			if err := drawcli.Verify(ctx, []string{revealed}, &stdout, &stderr); err != nil || !strings.HasSuffix(stdout.String(), "verified: drawn record\n") {
				t.Errorf("verify revealed: got %v, %q", err, stdout.String())
			}
			// A revealed record cannot be revealed again.
			err := drawcli.Reveal(ctx, []string{revealed, "--seed", "other"}, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), "already has a seed") {
				t.Errorf("second reveal: got %v", err)
			}
			// A committed record changed before the reveal is refused.
			c, _ := os.ReadFile(committed)
			if err := os.WriteFile(committed, bytes.Replace(c, []byte(`"reserves_count": 2`), []byte(`"reserves_count": 3`), 1), 0o600); err != nil {
				t.Fatal(err)
			}
			err = drawcli.Reveal(ctx, []string{committed, "--seed", "x"}, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), "reserves_count") {
				t.Errorf("reveal of an edited record: got %v, want reserves_count named", err)
			}
		})
	}
}

// TestExitCodes checks the exit status each kind of failure calls for.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	dir, q, p := files(t, quotasCSV, peopleCSV)
	// A file an earlier conversion left with U+FFFD for a lost letter.
	lost := filepath.Join(dir, "lost.csv")
	if err := os.WriteFile(lost, []byte("id,gender,age,street\na,female,young,R\uFFFDdbergvegen 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	infeasible := filepath.Join(dir, "infeasible.csv")
	if err := os.WriteFile(infeasible, []byte(strings.Replace(strings.Replace(quotasCSV, "age,old,1,4", "age,old,5,5", 1), "age,young,1,4", "age,young,0,4", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"--categories", q, "--respondents", p}
	tests := []struct {
		name string
		cmd  func(context.Context, []string, *bytes.Buffer, *bytes.Buffer) error
		args []string
		code int
		want string
	}{
		{name: "draw --help", cmd: draw, args: []string{"--help"}, code: 2, want: "help requested"},
		{name: "draw unknown flag", cmd: draw, args: []string{"--nope"}, code: 2, want: "flag provided but not defined"},
		{name: "draw --seats abc", cmd: draw, args: append(base, "--seats", "abc"), code: 2, want: `invalid value "abc" for flag -seats`},
		{name: "draw --panels 0", cmd: draw, args: append(base, "--seats", "4", "--panels", "0"), code: 2, want: "--panels must be positive"},
		{name: "draw seed not UTF-8", cmd: draw, args: append(base, "--seats", "4", "--seed", "a\xffb"), code: 2, want: "the seed is not valid UTF-8"},
		{name: "draw file with a lost letter", cmd: draw, args: []string{"--categories", q, "--respondents", lost, "--seats", "4", "--seed", "s"}, code: 1, want: `save it from the spreadsheet as "CSV UTF-8"`},
		{name: "draw infeasible", cmd: draw, args: []string{"--categories", infeasible, "--respondents", p, "--seats", "5", "--seed", "s", "--address-columns", "street"}, code: 3, want: "cannot be met"},
		{name: "verify --help", cmd: verify, args: []string{"-h"}, code: 2, want: "help requested"},
		{name: "verify two files", cmd: verify, args: []string{"a.json", "b.json"}, code: 2, want: "want exactly one record file"},
		{name: "verify missing file", cmd: verify, args: []string{filepath.Join(dir, "none.json")}, code: 1, want: "no such file"},
		{name: "reveal without seed", cmd: reveal, args: []string{"r.json"}, code: 2, want: "missing --seed"},
		{name: "reveal --help", cmd: reveal, args: []string{"--help"}, code: 2, want: "help requested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := tt.cmd(context.Background(), tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
			if got := drawcli.ExitCode(err); got != tt.code {
				t.Errorf("got exit status %d, want %d (error %v)", got, tt.code, err)
			}
		})
	}
}

func draw(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) error {
	return drawcli.Draw(ctx, args, stdout, stderr)
}

func verify(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) error {
	return drawcli.Verify(ctx, args, stdout, stderr)
}

func reveal(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) error {
	return drawcli.Reveal(ctx, args, stdout, stderr)
}

// TestDrawWarnsAboutFewPanels: rounding to very few panels moves
// probabilities by more than 0.01, and panel draw says so.
func TestDrawWarnsAboutFewPanels(t *testing.T) {
	t.Parallel()
	var people strings.Builder
	people.WriteString("id,gender,age\n")
	for i := range 30 {
		g, a := "female", "young"
		if i%3 == 0 {
			g = "male"
		}
		if i%4 == 0 {
			a = "old"
		}
		people.WriteString(strings.Join([]string{"p" + string(rune('a'+i/26)) + string(rune('a'+i%26)), g, a}, ",") + "\n")
	}
	_, q, p := files(t, quotasCSV, people.String())
	for _, tt := range []struct {
		panels string
		warn   bool
	}{{"7", true}, {"1000", false}} {
		var stdout, stderr bytes.Buffer
		if err := drawcli.Draw(context.Background(), []string{"--categories", q, "--respondents", p, "--seats", "4", "--panels", tt.panels}, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(stderr.String(), "warning: rounding to "+tt.panels+" panels moves a probability by"); got != tt.warn {
			t.Errorf("--panels %s: warning %v, want %v (stderr %q)", tt.panels, got, tt.warn, stderr.String())
		}
	}
}

// TestShuffledRespondentsFileSameRecord: the rows of the respondents file in
// another order give the byte-identical record, and the shuffled file
// verifies against a record drawn from the original.
func TestShuffledRespondentsFileSameRecord(t *testing.T) {
	t.Parallel()
	lines := strings.Split(strings.TrimSuffix(peopleCSV, "\n"), "\n")
	shuffled := []string{lines[0]}
	for i := len(lines) - 1; i >= 1; i-- {
		if i%2 == 0 {
			shuffled = append(shuffled, lines[i])
		}
	}
	for i := 1; i < len(lines); i += 2 {
		shuffled = append(shuffled, lines[i])
	}
	var records [2][]byte
	var respondents [2]string
	for k, people := range []string{peopleCSV, strings.Join(shuffled, "\n") + "\n"} {
		dir, q, p := files(t, quotasCSV, people)
		out := filepath.Join(dir, "record.json")
		var stdout, stderr bytes.Buffer
		if err := drawcli.Draw(context.Background(), []string{"--categories", q, "--respondents", p, "--seats", "4", "--reserves", "3",
			"--address-columns", "street", "--panels", "40", "--seed", "2-2-6", "--out", out}, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		records[k], _ = os.ReadFile(out)
		respondents[k] = p
	}
	if !bytes.Equal(records[0], records[1]) {
		t.Errorf("the shuffled file gives another record:\n%s\n---\n%s", records[0], records[1])
	}
	dir := t.TempDir()
	rec := filepath.Join(dir, "record.json")
	if err := os.WriteFile(rec, records[0], 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := drawcli.Verify(context.Background(), []string{rec, "--respondents", respondents[1]}, &stdout, &stderr); err != nil {
		t.Errorf("verify with the shuffled file: %v\n%s", err, stdout.String())
	}
}
