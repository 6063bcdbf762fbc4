package httpapi

import (
	"encoding/json"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/gin-gonic/gin"
)

// This file is the one place where answers become JSON: every time in an
// answer is shown in PANEL_TIMEZONE with its offset (RFC 3339, e.g.
// "2027-03-04T18:00:00+01:00"), as the schedules are, whatever zone the
// store read it in. Handlers call s.writeJSON, never c.JSON
// (TestHandlersWriteJSONOnce keeps it so).

// writeJSON writes v as the JSON answer with every time.Time in it moved
// to the server's time zone.
func (s *Server) writeJSON(c *gin.Context, status int, v any) {
	c.JSON(status, inZone(v, s.location()))
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	jsonMarshalType = reflect.TypeFor[json.Marshaler]()
)

// inZone returns a copy of v in which every time.Time reachable through
// exported fields, pointers, slices, arrays, maps and interfaces is in loc.
// v itself is not changed. Values of other types that marshal themselves
// are copied as they are.
func inZone(v any, loc *time.Location) any {
	if v == nil || loc == nil {
		return v
	}
	rv := reflect.ValueOf(v)
	if !typeHoldsTime(rv.Type()) {
		return v
	}
	return zoned(rv, loc).Interface()
}

// timeTypes caches typeHoldsTime per type, as encoding/json caches its
// encoders: a fact about a type never changes, so sharing it is safe.
var timeTypes sync.Map // reflect.Type → bool

// typeHoldsTime is holdsTime, computed once per type.
func typeHoldsTime(t reflect.Type) bool {
	if v, ok := timeTypes.Load(t); ok {
		return v.(bool)
	}
	h := holdsTime(t, map[reflect.Type]bool{})
	timeTypes.Store(t, h)
	return h
}

// holdsTime reports whether a value of type t can contain a time.Time that
// encoding/json would write, so that answers without one are not copied.
func holdsTime(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == timeType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		if t == rawMessageType {
			return false
		}
		return holdsTime(t.Elem(), seen)
	case reflect.Struct:
		if t.Implements(jsonMarshalType) || reflect.PointerTo(t).Implements(jsonMarshalType) {
			return false
		}
		for i := range t.NumField() {
			if f := t.Field(i); marshalled(f) && holdsTime(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

// marshalled reports whether encoding/json writes field f: exported
// fields, and embedded structs even of an unexported type.
func marshalled(f reflect.StructField) bool {
	if f.Tag.Get("json") == "-" {
		return false
	}
	return f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct)
}

// zoned returns a copy of v with its times in loc.
func zoned(v reflect.Value, loc *time.Location) reflect.Value {
	t := v.Type()
	if t == timeType {
		return reflect.ValueOf(v.Interface().(time.Time).In(loc))
	}
	switch t.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		inner := zoned(v.Elem(), loc)
		out := reflect.New(t).Elem()
		out.Set(inner)
		return out
	case reflect.Pointer:
		if v.IsNil() || !typeHoldsTime(t.Elem()) {
			return v
		}
		out := reflect.New(t.Elem())
		out.Elem().Set(zoned(v.Elem(), loc))
		return out
	case reflect.Slice:
		if v.IsNil() || t == rawMessageType || !typeHoldsTime(t.Elem()) {
			return v
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(zoned(v.Index(i), loc))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := range v.Len() {
			out.Index(i).Set(zoned(v.Index(i), loc))
		}
		return out
	case reflect.Map:
		if v.IsNil() || !typeHoldsTime(t.Elem()) {
			return v
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), zoned(it.Value(), loc))
		}
		return out
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v)
		if !typeHoldsTime(t) {
			return out
		}
		for i := range t.NumField() {
			if !marshalled(t.Field(i)) {
				continue
			}
			f := out.Field(i)
			if !f.CanSet() {
				// An embedded struct of an unexported type: encoding/json
				// writes its exported fields, so they are zoned too.
				f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
			}
			f.Set(zoned(f, loc))
		}
		return out
	}
	return v
}
