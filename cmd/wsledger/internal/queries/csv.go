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
// per element. Times are RFC 3339; lists and objects are written as JSON; a value that is unset
// (IsZero) is empty.
func WriteRows(w io.Writer, list any) error {
	rows := reflect.ValueOf(list)
	cw := csv.NewWriter(w)
	fields := columns(rows.Type().Elem())
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
			line[j] = cell(row.FieldByIndex(f.index))
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

type column struct {
	name  string
	index []int
}

// columns lists a struct's JSON fields, those of embedded structs in place.
func columns(t reflect.Type) []column {
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
		out = append(out, column{name: name, index: f.Index})
	}
	return out
}

var timeType = reflect.TypeFor[time.Time]()

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
