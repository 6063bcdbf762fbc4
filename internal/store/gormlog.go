package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"
)

// slowQuery is the duration above which a query is logged as slow.
const slowQuery = 500 * time.Millisecond

// gormLogger routes GORM's messages to slog at warn level and above. It
// never logs SQL text: GORM interpolates parameters into it, and those may
// be phone numbers or message bodies. Failed queries are not logged here;
// their errors reach the caller, which decides.
type gormLogger struct {
	logger *slog.Logger
}

func newGormLogger(l *slog.Logger) gormlogger.Interface {
	return gormLogger{logger: l.With(slog.String("component", "gorm"))}
}

// LogMode implements gormlogger.Interface; the level is fixed.
func (g gormLogger) LogMode(gormlogger.LogLevel) gormlogger.Interface { return g }

// Info implements gormlogger.Interface; GORM's info messages are dropped.
func (g gormLogger) Info(context.Context, string, ...any) {}

// Warn implements gormlogger.Interface.
func (g gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	g.logger.WarnContext(ctx, fmt.Sprintf(msg, args...))
}

// Error implements gormlogger.Interface.
func (g gormLogger) Error(ctx context.Context, msg string, args ...any) {
	g.logger.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

// Trace implements gormlogger.Interface: it reports slow queries with their
// duration and row count only.
func (g gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	if elapsed < slowQuery || (err != nil && errors.Is(err, gorm.ErrRecordNotFound)) {
		return
	}
	_, rows := fc()
	g.logger.WarnContext(ctx, "slow database query",
		slog.Int64("duration_ms", elapsed.Milliseconds()), slog.Int64("rows", rows))
}
