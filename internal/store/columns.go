package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"gorm.io/gorm/schema"
)

// This file owns projections (one column list per table, shared by both
// drivers) and the helpers between Go values and NULL columns.

// columns is a projection of a table into the struct T, and the one list
// of its columns: a column per field of T, in field order, named by the
// field's col tag (an SQL expression, such as "CAST(r.attributes AS
// TEXT)") or else as GORM names it (ProviderID: provider_id). The SELECT
// list, the scan destinations and the INSERT values all come from it, for
// both drivers.
type columns[T any] struct {
	exprs []string
	index [][]int // field of each column
}

// projection returns the columns of T.
func projection[T any]() columns[T] {
	var cs columns[T]
	naming := schema.NamingStrategy{}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[T]()) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		expr := f.Tag.Get("col")
		if expr == "" {
			expr = naming.ColumnName("", f.Name)
		}
		cs.exprs, cs.index = append(cs.exprs, expr), append(cs.index, f.Index)
	}
	return cs
}

// from is the projection without its first n columns.
func (cs columns[T]) from(n int) columns[T] {
	return columns[T]{exprs: cs.exprs[n:], index: cs.index[n:]}
}

// list is the projection's SELECT list.
func (cs columns[T]) list() string { return strings.Join(cs.exprs, ", ") }

// dests are pointers to row's fields, to scan into.
func (cs columns[T]) dests(row *T) []any {
	v := reflect.ValueOf(row).Elem()
	out := make([]any, len(cs.index))
	for i, idx := range cs.index {
		out[i] = v.FieldByIndex(idx).Addr().Interface()
	}
	return out
}

// values are row's fields, as INSERT arguments.
func (cs columns[T]) values(row *T) []any {
	v := reflect.ValueOf(row).Elem()
	out := make([]any, len(cs.index))
	for i, idx := range cs.index {
		out[i] = v.FieldByIndex(idx).Interface()
	}
	return out
}

// insert is an INSERT of one row into table, with every column.
func (cs columns[T]) insert(table string) string {
	return "INSERT INTO " + table + " (" + cs.list() + ") VALUES (?" + strings.Repeat(", ?", len(cs.exprs)-1) + ")"
}

// scanAll reads every row of r with cs and passes each to add.
func scanAll[T any](r rows, cs columns[T], add func(*T)) error {
	for r.Next() {
		row := new(T)
		if err := r.Scan(cs.dests(row)...); err != nil {
			return err
		}
		add(row)
	}
	return r.Err()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func idPtr(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

func derefOr(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// encodeJSON marshals v for a JSON column.
func encodeJSON(v any, what string) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("store: encode %s: %w", what, err)
	}
	return string(b), nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// orZero is *p, or T's zero value when p is nil.
func orZero[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// utcOrZero is *t in UTC, or the zero time when t is nil.
func utcOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
