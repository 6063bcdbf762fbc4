package store_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
)

func TestTranslate(t *testing.T) {
	t.Parallel()
	own := panel.Errorf(panel.EFORBIDDEN, "no")
	tests := []struct {
		name     string
		err      error
		wantCode string
		wantMsg  string
	}{
		{"nil", nil, "", ""},
		{"panel error passes", fmt.Errorf("ctx: %w", own), panel.EFORBIDDEN, "no"},
		{"not found", gorm.ErrRecordNotFound, panel.ENOTFOUND, "campaign not found"},
		{"duplicate", fmt.Errorf("%w: pg", gorm.ErrDuplicatedKey), panel.ECONFLICT, "campaign already exists"},
		{"foreign key", gorm.ErrForeignKeyViolated, panel.ECONFLICT, "campaign refers to something that does not exist or is still referenced"},
		{"check", gorm.ErrCheckConstraintViolated, panel.EINVALID, "campaign breaks a rule of the database"},
		{"bad conn", driver.ErrBadConn, panel.EUNAVAILABLE, "database unavailable"},
		{"refused", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), panel.EUNAVAILABLE, "database unavailable"},
		{"reset", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, panel.EUNAVAILABLE, "database unavailable"},
		{"net timeout", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("i/o timeout")}, panel.EUNAVAILABLE, "database unavailable"},
		{"connection failure", &pgconn.PgError{Code: "08006"}, panel.EUNAVAILABLE, "database unavailable"},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, panel.EUNAVAILABLE, "database unavailable"},
		{"too many connections", &pgconn.PgError{Code: "53300"}, panel.EUNAVAILABLE, "database unavailable"},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), panel.EUNAVAILABLE, "database unavailable"},
		{"canceled", context.Canceled, panel.EINTERNAL, "internal error"},
		{"undefined table", &pgconn.PgError{Code: "42P01", Message: "relation does not exist"}, panel.EINTERNAL, "internal error"},
		{"other", errors.New("weird"), panel.EINTERNAL, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := store.Translate(tt.err, "campaign")
			if code, msg := panel.ErrorCode(got), panel.ErrorMessage(got); code != tt.wantCode || msg != tt.wantMsg {
				t.Errorf("got %q %q, want %q %q", code, msg, tt.wantCode, tt.wantMsg)
			}
			if tt.err != nil && !errors.Is(got, tt.err) && panel.ErrorCode(got) != panel.ENOTFOUND {
				t.Errorf("got %v, want the cause %v kept in the chain", got, tt.err)
			}
		})
	}
}
