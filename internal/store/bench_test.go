package store_test

import (
	"context"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/store"
	"github.com/citizenspanel/panel/internal/store/storetest"
)

// BenchmarkOpenMigrate measures a fresh database: open, apply every
// migration, close.
func BenchmarkOpenMigrate(b *testing.B) {
	for _, name := range []string{store.DialectSQLite, store.DialectPostgres} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				storetest.Open(b, storetest.Fresh(b, name))
			}
		})
	}
}

// BenchmarkAppendAudit measures one audit append (its own transaction).
func BenchmarkAppendAudit(b *testing.B) {
	for _, db := range storetest.Databases(b) {
		b.Run(db.Name, func(b *testing.B) {
			s := storetest.Open(b, db)
			ctx := context.Background()
			for b.Loop() {
				if err := s.AppendAudit(ctx, &panel.AuditEvent{Actor: "bench", Action: "tick"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAuthenticate measures checking a token that was used recently
// (a read by hash, no write).
func BenchmarkAuthenticate(b *testing.B) {
	for _, db := range storetest.Databases(b) {
		b.Run(db.Name, func(b *testing.B) {
			s := storetest.Open(b, db)
			ctx := context.Background()
			_, secret, err := s.CreateToken(ctx, panel.RoleAuditor, "bench")
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := s.Authenticate(ctx, secret); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerifyAuditChain measures verifying a chain of 2000 events.
func BenchmarkVerifyAuditChain(b *testing.B) {
	for _, db := range storetest.Databases(b) {
		b.Run(db.Name, func(b *testing.B) {
			s := storetest.Open(b, db)
			ctx := context.Background()
			err := s.InTx(ctx, func(tx *store.Store) error {
				for range 2000 {
					if err := tx.AppendAudit(ctx, &panel.AuditEvent{Actor: "bench", Action: "tick"}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if n, err := s.VerifyAuditChain(ctx); n != 2000 || err != nil {
					b.Fatalf("got %d, %v", n, err)
				}
			}
		})
	}
}
