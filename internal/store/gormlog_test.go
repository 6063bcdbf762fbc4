package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

func TestGormLoggerNeverLogsSQL(t *testing.T) {
	t.Parallel()
	const secretSQL = "INSERT INTO recipients (phone) VALUES ('+4790000000')"
	tests := []struct {
		name    string
		elapsed time.Duration
		err     error
		wantLog bool
	}{
		{"fast query", time.Millisecond, nil, false},
		{"fast failure", time.Millisecond, errors.New("boom"), false},
		{"slow query", 2 * slowQuery, nil, true},
		{"slow not found", 2 * slowQuery, gorm.ErrRecordNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := newGormLogger(slog.New(slog.NewTextHandler(&buf, nil)))
			l.Info(context.Background(), "info %s", secretSQL)
			l.Trace(context.Background(), time.Now().Add(-tt.elapsed), func() (string, int64) { return secretSQL, 3 }, tt.err)
			out := buf.String()
			if strings.Contains(out, "+4790000000") || strings.Contains(out, "INSERT") {
				t.Errorf("log contains SQL: %s", out)
			}
			if got := strings.Contains(out, "slow database query"); got != tt.wantLog {
				t.Errorf("got slow-query log %t, want %t: %q", got, tt.wantLog, out)
			}
			if tt.wantLog && !strings.Contains(out, "rows=3") {
				t.Errorf("got %q, want the row count", out)
			}
		})
	}
}
