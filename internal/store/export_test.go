package store

import "context"

// ExecRaw runs one SQL statement ('?' placeholders) on s. It exists only in
// tests, which use it to tamper with rows as an attacker with database
// access would.
func (s *Store) ExecRaw(ctx context.Context, query string, args ...any) error {
	return s.conn(ctx).Exec(query, args...).Error
}

// Columns returns the column names of table in declaration order.
// GORM's ColumnTypes does not order PostgreSQL's columns (its query has no
// ORDER BY, and the order changed with the plan once the test database held
// many schemas), so PostgreSQL is asked directly.
func (s *Store) Columns(ctx context.Context, table string) ([]string, error) {
	if s.dialect == DialectPostgres {
		var names []string
		err := s.conn(ctx).Raw(`SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, table).Scan(&names).Error
		return names, err
	}
	types, err := s.conn(ctx).Migrator().ColumnTypes(table)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(types))
	for i, c := range types {
		names[i] = c.Name()
	}
	return names, nil
}

// Translate exposes the error translation to tests.
func Translate(err error, what string) error { return translate(err, what) }
