package drawcli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/citizenspanel/panel/internal/drawcli"
)

const (
	quotasCSV = "category,name,min,max\ngender,female,2,3\ngender,male,2,3\nage,young,1,4\nage,old,1,4\n"
	peopleCSV = "id,gender,age,street\n" +
		"a,female,young,s1\nb,female,old,s1\nc,female,young,s2\nd,female,old,s3\n" +
		"e,male,young,s4\nf,male,old,s5\ng,male,young,s6\nh,male,old,s7\n"
)

// files writes the quota and respondents files into a temp dir.
func files(t *testing.T, quotas, people string) (dir, q, p string) {
	t.Helper()
	dir = t.TempDir()
	q, p = filepath.Join(dir, "categories.csv"), filepath.Join(dir, "respondents.csv")
	if err := os.WriteFile(q, []byte(quotas), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(people), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, q, p
}

func TestDrawThenVerify(t *testing.T) {
	t.Parallel()
	for _, alg := range []string{"legacy", "leximin", "maximin"} {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			dir, q, p := files(t, quotasCSV, peopleCSV)
			out := filepath.Join(dir, "record.json")
			var stdout, stderr bytes.Buffer
			err := drawcli.Draw(context.Background(), []string{"--categories", q, "--respondents", p, "--seats", "4", "--seed", "1-2-3",
				"--algorithm", alg, "--reserves", "2", "--address-columns", "street", "--panels", "20", "--out", out}, &stdout, &stderr)
			if err != nil {
				t.Fatalf("Draw: %v (stderr %s)", err, stderr.String())
			}
			for _, want := range []string{"commitment:      sha256:", "selected:", "reserves:"} {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("summary %q lacks %q", stdout.String(), want)
				}
			}
			stdout.Reset()
			if err := drawcli.Verify(context.Background(), []string{out, "--respondents", p, "--categories", q}, &stdout, &stderr); err != nil {
				t.Fatalf("Verify: %v\n%s", err, stdout.String())
			}
			if !strings.HasSuffix(stdout.String(), "verified: drawn record\n") {
				t.Errorf("got output %q, want it to end with verified", stdout.String())
			}
			// A changed respondents file is reported with the person and column.
			_, _, p2 := files(t, quotasCSV, strings.Replace(peopleCSV, "h,male,old", "h,male,young", 1))
			err = drawcli.Verify(context.Background(), []string{out, "--respondents", p2}, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), `pool[7] ("h") has age "old", the file "young"`) {
				t.Errorf("got %v, want the pool difference named", err)
			}
			// A record edited by hand fails and names the field.
			b, _ := os.ReadFile(out)
			edited := strings.Replace(string(b), `"reserves_count": 2`, `"reserves_count": 1`, 1)
			if err := os.WriteFile(out, []byte(edited), 0o600); err != nil {
				t.Fatal(err)
			}
			err = drawcli.Verify(context.Background(), []string{out}, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), "reserves_count") {
				t.Errorf("got %v, want reserves_count named", err)
			}
		})
	}
}

func TestDrawToStdout(t *testing.T) {
	t.Parallel()
	_, q, p := files(t, quotasCSV, peopleCSV)
	var stdout, stderr bytes.Buffer
	err := drawcli.Draw(context.Background(), []string{"-categories", q, "-respondents", p, "-seats", "4", "-seed", "x", "-algorithm", "legacy"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("Draw: %v", err)
	}
	if !strings.HasPrefix(stdout.String(), "{\n  \"format\": \"panel-draw/2\"") {
		t.Errorf("got stdout %.60q, want the record JSON", stdout.String())
	}
	if !strings.Contains(stderr.String(), "selected:") {
		t.Errorf("got stderr %q, want the summary", stderr.String())
	}
}

func TestDrawErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		quotas string
		people string
		args   []string
		want   string
	}{
		{name: "missing flags", args: []string{}, want: "missing --categories, --respondents, --seats (a positive number)"},
		{name: "unknown flag", args: []string{"--nope"}, want: "flag provided but not defined"},
		{name: "bad quota row", quotas: "category,name,min,max\ngender,female,x,3\n", args: []string{"--seats", "4", "--seed", "s"}, want: `categories.csv: row 2, column "min": "x" is not a whole number`},
		{name: "bad respondent value", people: strings.Replace(peopleCSV, "e,male", "e,other", 1), args: []string{"--seats", "4", "--seed", "s"}, want: `respondents.csv: row 6, column "gender": gender value "other" is not in the quotas`},
		{name: "too many seats", args: []string{"--seats", "9", "--seed", "s"}, want: "fewer than the 9 seats"},
		{name: "infeasible", quotas: strings.Replace(strings.Replace(quotasCSV, "age,old,1,4", "age,old,5,5", 1), "age,young,1,4", "age,young,0,4", 1), people: strings.Replace(peopleCSV, "a,female,young", "a,female,old", 1),
			args: []string{"--seats", "5", "--seed", "s", "--algorithm", "legacy", "--address-columns", "street"}, want: "age=old: min 5 but only 4 in the pool (5 people, 4 households)"},
		{name: "minimums above seats", quotas: strings.Replace(quotasCSV, "age,old,1,4", "age,old,4,4", 1), args: []string{"--seats", "4", "--seed", "s"}, want: `categories.csv: column "age": category age: the minimums add up to 5, more than the 4 seats`},
		{name: "unknown algorithm", args: []string{"--seats", "4", "--seed", "s", "--algorithm", "magic"}, want: `unknown algorithm "magic"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			quotas, people := tt.quotas, tt.people
			if quotas == "" {
				quotas = quotasCSV
			}
			if people == "" {
				people = peopleCSV
			}
			_, q, p := files(t, quotas, people)
			args := tt.args
			if len(args) > 0 && args[0] != "--nope" {
				args = append([]string{"--categories", q, "--respondents", p}, args...)
			}
			var stdout, stderr bytes.Buffer
			err := drawcli.Draw(context.Background(), args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestVerifyErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{\n\"format\": \"panel-draw/2\",\n\"extra\": 1}"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte("{\n\"format\": }"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "no record", args: nil, want: "want exactly one record file"},
		{name: "two records", args: []string{"a.json", "b.json"}, want: "got 2"},
		{name: "missing file", args: []string{filepath.Join(dir, "none.json")}, want: "no such file"},
		{name: "unknown field", args: []string{bad}, want: `unknown field "extra"`},
		{name: "broken json", args: []string{broken}, want: "line 2: not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := drawcli.Verify(context.Background(), tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestDrawReadsSpreadsheetFiles draws and verifies from files as Norwegian
// Excel saves them: Windows-1252, semicolons, CRLF.
func TestDrawReadsSpreadsheetFiles(t *testing.T) {
	t.Parallel()
	latin1 := func(s string) string {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(strings.ReplaceAll(strings.ReplaceAll(s, ",", ";"), "\n", "\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	quotas := strings.ReplaceAll(quotasCSV, "young", "ung")
	people := strings.ReplaceAll(peopleCSV, "young", "ung")
	quotas = strings.ReplaceAll(quotas, "gender", "kjønn")
	people = strings.ReplaceAll(people, "gender", "kjønn")
	dir, q, p := files(t, latin1(quotas), latin1(people))
	out := filepath.Join(dir, "record.json")
	var stdout, stderr bytes.Buffer
	if err := drawcli.Draw(context.Background(), []string{"--categories", q, "--respondents", p, "--seats", "4", "--seed", "s", "--algorithm", "legacy", "--out", out}, &stdout, &stderr); err != nil {
		t.Fatalf("Draw: %v (stderr %s)", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"kjønn"`) || strings.ContainsRune(string(b), '\uFFFD') {
		t.Errorf("record does not name the category kjønn in UTF-8: %.300s", b)
	}
	if err := drawcli.Verify(context.Background(), []string{out, "--respondents", p, "--categories", q}, &stdout, &stderr); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

// TestDrawTimeLimit checks that a draw stopped by --time-limit writes no
// record and says where it stopped, and that a bad limit is refused.
func TestDrawTimeLimit(t *testing.T) {
	t.Parallel()
	dir, q, p := files(t, quotasCSV, peopleCSV)
	out := filepath.Join(dir, "record.json")
	var stdout, stderr bytes.Buffer
	err := drawcli.Draw(context.Background(), []string{"--categories", q, "--respondents", p, "--seats", "4", "--seed", "s", "--out", out, "--time-limit", "1ns"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "stopped at the time limit of 1ns, no record written") || !strings.Contains(err.Error(), "level 1") {
		t.Fatalf("err = %v; want a stop at the time limit with the level reached", err)
	}
	if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
		t.Errorf("a record was written: %v", statErr)
	}
	err = drawcli.Draw(context.Background(), []string{"--categories", q, "--respondents", p, "--seats", "4", "--seed", "s", "--time-limit", "-5s"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "--time-limit must not be negative") {
		t.Fatalf("negative limit: err = %v", err)
	}
	// A generous limit changes nothing.
	if err := drawcli.Draw(context.Background(), []string{"--categories", q, "--respondents", p, "--seats", "4", "--seed", "s", "--out", out, "--time-limit", "1h"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
}
