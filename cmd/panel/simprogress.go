package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// stageProgress shows `panel simulate` running: the round's stage lines go
// through Write, and on a terminal Count draws a bar for the running stage
// with its counts and the time left, cleared before the stage's line is
// written.
type stageProgress struct {
	mu    sync.Mutex
	w     io.Writer
	bar   *progressbar.ProgressBar
	stage string
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Write writes a stage line, clearing the bar first.
func (p *stageProgress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	return p.w.Write(b)
}

// Count moves the running stage's bar to done of total.
func (p *stageProgress) Count(stage string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil || p.stage != stage {
		p.clear()
		p.stage = stage
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(fmt.Sprintf("%-9s", stage)),
			progressbar.OptionSetItsString(itemName(stage)),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	_ = p.bar.Set(done)
}

// clear removes the bar from the screen. p.mu must be held.
func (p *stageProgress) clear() {
	if p.bar != nil {
		_ = p.bar.Clear()
		p.bar = nil
	}
}

// itemName is what a stage counts, for the bar's rate.
func itemName(stage string) string {
	switch stage {
	case "invite":
		return "SMS"
	case "replies", "replace":
		return "residents"
	}
	return "it"
}
