package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/migrations"
)

// This file owns opening, migrating, pinging and closing the database.

// Dialect names returned by (*Store).Dialect.
const (
	DialectPostgres = migrations.Postgres
	DialectSQLite   = migrations.SQLite
)

// openAttempts bounds how often Open tries a database that the driver says
// may be busy only for a moment.
const openAttempts = 8

// pingTimeout bounds Ping, so a readiness probe answers quickly when the
// database is gone.
const pingTimeout = 2 * time.Second

// Store is the service's storage. It is safe for concurrent use. A Store
// returned by Open owns the connection pool; the Store passed to an InTx
// callback is bound to that transaction and must not outlive it.
type Store struct {
	db     *gorm.DB
	sqlDB  *sql.DB
	drv    driver
	live   *liveness // nil on SQLite
	logger *slog.Logger
	now    func() time.Time
	random io.Reader
	inTx   bool
	// inboundQ batches inbound messages (see inbound_queue.go).
	inboundQ *inboundQueue
}

var (
	_ panel.CampaignService = (*Store)(nil)
	_ panel.TokenService    = (*Store)(nil)
	_ panel.AuditLog        = (*Store)(nil)
	_ panel.Pinger          = (*Store)(nil)
)

// Open connects to the database named by databaseURL, which is either
// "sqlite:PATH" (a file; its directory must exist) or "postgres://..." /
// "postgresql://...". It does not migrate: call Migrate. An unknown scheme
// or a bad path is EINVALID naming PANEL_DATABASE_URL; an unreachable
// PostgreSQL server is EUNAVAILABLE. Once open, the pool reconnects by
// itself after the database comes back.
func Open(ctx context.Context, databaseURL string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	target, err := parseDatabaseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	drv, err := newDriver(target.dialect)
	if err != nil {
		return nil, err
	}
	var db *gorm.DB
	for attempt := 1; ; attempt++ {
		db, err = gorm.Open(target.dialector, &gorm.Config{
			TranslateError:       true,
			Logger:               newGormLogger(logger),
			DisableAutomaticPing: true,
			NowFunc:              func() time.Time { return time.Now().UTC() },
		})
		if err == nil || attempt == openAttempts || !drv.retryOpen(err) {
			break
		}
		select { // another process holds the file while it sets it up
		case <-ctx.Done():
			return nil, fmt.Errorf("open %s database: %w", target.dialect, ctx.Err())
		case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", target.dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", target.dialect, err)
	}
	target.pool.apply(sqlDB)
	if target.live != nil {
		target.live.db.Store(sqlDB)
		if err := installStatementDeadline(db, DefaultStatementTimeout); err != nil {
			_ = sqlDB.Close()
			return nil, fmt.Errorf("open %s database: %w", target.dialect, err)
		}
	}
	s := &Store{
		db:       db,
		sqlDB:    sqlDB,
		drv:      drv,
		live:     target.live,
		logger:   logger,
		now:      time.Now,
		random:   rand.Reader,
		inboundQ: &inboundQueue{},
	}
	if err := s.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	logger.InfoContext(ctx, "database opened", slog.String("dialect", target.dialect))
	return s, nil
}

// WithClock returns a Store that shares s's connections but reads the time
// from now. Tests use it for a fixed clock.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// WithRandom returns a Store that shares s's connections but draws token
// secrets from r instead of crypto/rand.
func (s *Store) WithRandom(r io.Reader) *Store {
	c := *s
	c.random = r
	return &c
}

// Dialect returns "postgres" or "sqlite".
func (s *Store) Dialect() string { return s.drv.name() }

// Migrate applies pending migrations and returns the files it applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	if s.inTx {
		return nil, errors.New("migrate: not allowed inside a transaction")
	}
	applied, err := migrations.Up(ctx, s.sqlDB, s.drv.name())
	if err != nil {
		return applied, translate(err, "migrations")
	}
	if len(applied) > 0 {
		s.logger.InfoContext(ctx, "migrations applied", slog.Any("files", applied))
	}
	return applied, nil
}

// SchemaVersion returns the newest applied migration version.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	v, err := migrations.Version(ctx, s.sqlDB, s.drv.name())
	return v, translate(err, "migrations")
}

// Ping checks that the database answers within a short time. It returns
// EUNAVAILABLE when it does not.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := s.sqlDB.PingContext(ctx); err != nil {
		s.logger.WarnContext(ctx, "database ping failed", slog.String("error", err.Error()))
		s.live.dropIdle()
		return unavailable(err)
	}
	return nil
}

// Close closes the connection pool. Closing a transaction-bound Store is an
// error.
func (s *Store) Close() error {
	if s.inTx {
		return errors.New("close: store is bound to a transaction")
	}
	return s.sqlDB.Close()
}

// Tables lists the tables of the store's schema by name, including goose's
// version table.
func (s *Store) Tables(ctx context.Context) ([]string, error) {
	var names []string
	if err := s.conn(ctx).Raw(s.drv.tablesQuery()).Scan(&names).Error; err != nil {
		return nil, translate(err, "tables")
	}
	return names, nil
}
