package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestStageProgress draws a bar with counts and time left for the running
// stage and clears it before a stage line is written.
func TestStageProgress(t *testing.T) {
	var buf bytes.Buffer
	sp := &stageProgress{w: &buf}
	sp.Count("invite", 0, 4000)
	sp.Count("invite", 1000, 4000)
	if out := buf.String(); !strings.Contains(out, "invite") || !strings.Contains(out, "/4000") {
		t.Errorf("got %q, want a bar for invite counting to 4000", out)
	}
	fmt.Fprintf(sp, "[1/7] invite    4000 invited: 3900 delivered, 100 failed (44.0 s)\n")
	out := buf.String()
	if !strings.HasSuffix(out, "\r[1/7] invite    4000 invited: 3900 delivered, 100 failed (44.0 s)\n") && !strings.HasSuffix(out, "\r\x1b[K[1/7] invite    4000 invited: 3900 delivered, 100 failed (44.0 s)\n") {
		t.Errorf("got %q, want the bar cleared (a carriage return) before the stage line", out)
	}
	if sp.bar != nil {
		t.Errorf("the bar is still there after the stage line")
	}
	if isTerminal(&buf) {
		t.Errorf("a buffer is not a terminal")
	}
}
