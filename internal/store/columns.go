package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// This file owns projections (one column list per table, shared by both
// drivers) and the helpers between Go values and NULL columns.

// column is one column of a projection: the SQL expression that reads it
// and the field of T that holds it.
type column[T any] struct {
	expr  string
	field func(*T) any
}

// columns is a projection of a table into T, written once for both
// drivers: the SELECT list, the scan destinations and the INSERT values
// all come from it, in one order.
type columns[T any] []column[T]

// list is the projection's SELECT list.
func (cs columns[T]) list() string {
	exprs := make([]string, len(cs))
	for i, c := range cs {
		exprs[i] = c.expr
	}
	return strings.Join(exprs, ", ")
}

// dests are pointers to row's fields, to scan into.
func (cs columns[T]) dests(row *T) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = c.field(row)
	}
	return out
}

// values are row's fields, as INSERT arguments.
func (cs columns[T]) values(row *T) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = reflect.ValueOf(c.field(row)).Elem().Interface()
	}
	return out
}

// insert is an INSERT of one row into table, with every column.
func (cs columns[T]) insert(table string) string {
	return "INSERT INTO " + table + " (" + cs.list() + ") VALUES (?" + strings.Repeat(", ?", len(cs)-1) + ")"
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
