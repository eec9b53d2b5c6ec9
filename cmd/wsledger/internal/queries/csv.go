package queries

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
)

// WriteCSV writes a view as CSV (see WriteRows).
func WriteCSV(w io.Writer, q Query, v View) error { return WriteRows(w, q.Rows(v)) }

// WriteRows writes a slice of structs as CSV: a header of the JSON field names, then one line
// per element. A nested struct (or pointer to one) becomes columns of its own, named
// parent.field, so that every cell holds one value; times are RFC 3339 (empty when unset);
// only lists and maps are written as JSON. A value that is unset (IsZero) is empty.
func WriteRows(w io.Writer, list any) error {
	rows := reflect.ValueOf(list)
	cw := csv.NewWriter(w)
	fields := columns(rows.Type().Elem(), "", nil)
	header := make([]string, len(fields))
	for i, f := range fields {
		header[i] = f.name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range rows.Len() {
		row := rows.Index(i)
		line := make([]string, len(fields))
		for j, f := range fields {
			if v, ok := fieldOf(row, f.path); ok {
				line[j] = cell(v)
			}
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

type column struct {
	name string
	path [][]int // field indexes, one per level of nesting
}

// columns lists a struct's JSON fields, those of embedded structs in place and those of nested
// structs as prefix.field.
func columns(t reflect.Type, prefix string, path [][]int) []column {
	var out []column
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		p := append(append([][]int(nil), path...), f.Index)
		if inner := nestedStruct(f.Type); inner != nil {
			out = append(out, columns(inner, prefix+name+".", p)...)
			continue
		}
		out = append(out, column{name: prefix + name, path: p})
	}
	return out
}

// nestedStruct returns the struct type a field holds, directly or through a pointer, when its
// fields are to be columns of their own; nil for times and anything else.
func nestedStruct(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType || t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) {
		return nil // a value that writes itself as one JSON value (an optional) is one cell
	}
	return t
}

// fieldOf follows a column's path into a row; false when a nil pointer lies on the way.
func fieldOf(v reflect.Value, path [][]int) (reflect.Value, bool) {
	for _, index := range path {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.FieldByIndex(index)
	}
	return v, true
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

func cell(v reflect.Value) string {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok && z.IsZero() {
		return "" // an unset value, e.g. whether an unmet deadline was entered late
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool, reflect.Int, reflect.Int64, reflect.Uint64, reflect.Int32, reflect.Uint32:
		return fmt.Sprint(v.Interface())
	case reflect.Pointer, reflect.Slice, reflect.Map:
		if v.IsNil() {
			return ""
		}
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return ""
	}
	return string(b)
}
