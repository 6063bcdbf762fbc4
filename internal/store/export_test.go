package store

import "context"

// ExecRaw runs one SQL statement ('?' placeholders) on s. It exists only in
// tests, which use it to tamper with rows as an attacker with database
// access would.
func (s *Store) ExecRaw(ctx context.Context, query string, args ...any) error {
	return s.conn(ctx).Exec(query, args...).Error
}

// Columns returns the column names of table in declaration order.
func (s *Store) Columns(ctx context.Context, table string) ([]string, error) {
	// In the order the table holds them: information_schema has no order
	// of its own, so GORM's ColumnTypes may list them in any.
	var names []string
	if err := s.conn(ctx).Raw(s.drv.columnsQuery(), table).Scan(&names).Error; err != nil {
		return nil, err
	}
	return names, nil
}

// Translate exposes the error translation to tests.
func Translate(err error, what string) error { return translate(err, what) }
