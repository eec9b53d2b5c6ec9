package wire

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
)

// strictDecoder copies a parsed JSON value into a command struct, refusing unknown fields and
// values of the wrong JSON type with errors that name the field's JSON path and what it expects.
// encoding/json alone reports neither the path of an unknown field nor array indices.
type strictDecoder struct {
	command string // the command's type name, for messages
}

var (
	timeType         = reflect.TypeFor[time.Time]()
	safeFieldPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
)

func (d strictDecoder) value(path string, v any, dst reflect.Value) *events.Error {
	if dst.Type() == timeType {
		return d.instant(path, v, dst)
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if v == nil {
			return nil
		}
		p := reflect.New(dst.Type().Elem())
		if err := d.value(path, v, p.Elem()); err != nil {
			return err
		}
		dst.Set(p)
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return wrongType(path, "a string")
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return wrongType(path, "true or false")
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, ok := v.(json.Number)
		i, err := strconv.ParseInt(string(n), 10, 64)
		if !ok || err != nil || dst.OverflowInt(i) {
			return wrongType(path, "a whole number")
		}
		dst.SetInt(i)
	case reflect.Uint64:
		n, ok := v.(json.Number)
		u, err := strconv.ParseUint(string(n), 10, 64)
		if !ok || err != nil {
			return wrongType(path, "a whole number that is not negative")
		}
		dst.SetUint(u)
	case reflect.Slice:
		return d.slice(path, v, dst)
	case reflect.Struct:
		return d.object(path, v, dst)
	default:
		return events.Errorf(events.Internal, path, "The field %s has a type the decoder does not support.", path)
	}
	return nil
}

func (d strictDecoder) slice(path string, v any, dst reflect.Value) *events.Error {
	if v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		return wrongType(path, "an array")
	}
	s := reflect.MakeSlice(dst.Type(), len(items), len(items))
	for i, it := range items {
		if err := d.value(fmt.Sprintf("%s[%d]", path, i), it, s.Index(i)); err != nil {
			return err
		}
	}
	dst.Set(s)
	return nil
}

func (d strictDecoder) object(path string, v any, dst reflect.Value) *events.Error {
	obj, ok := v.(map[string]any)
	if !ok {
		return wrongType(path, "an object")
	}
	fields := jsonFields(dst.Type())
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		index, known := fields[k]
		if !known {
			return d.unknownField(path, k)
		}
		if err := d.value(join(path, k), obj[k], dst.FieldByIndex(index)); err != nil {
			return err
		}
	}
	return nil
}

// unknownField names the field, unless its name could itself be data: a name with a digit in it
// could carry a client number, which no message may repeat.
func (d strictDecoder) unknownField(path, key string) *events.Error {
	where := d.command
	if path != "" {
		where = path + " in " + d.command
	}
	if !safeFieldPattern.MatchString(key) || strings.ContainsAny(key, "0123456789") {
		return invalid(path, "A field whose name is not a field name is not part of %s.", where)
	}
	return invalid(join(path, key), "field %s is not part of %s.", key, where)
}

func (d strictDecoder) instant(path string, v any, dst reflect.Value) *events.Error {
	s, ok := v.(string)
	if !ok {
		return wrongType(path, "a timestamp string")
	}
	t, ok := domain.ParseInstant(s)
	if !ok {
		return invalid(path, "%s must be an RFC 3339 timestamp such as 2026-03-30T09:15:00-08:00, or a local time such as 2026-03-30T09:15:00 or 2026-03-30T09:15, which is read in America/Anchorage.", path)
	}
	if t.Before(domain.MinInstant) {
		return invalid(path, "%s must be on or after 2000-01-01T00:00:00Z; an earlier instant is a mistake, not a record (leave it out to mean now).", path)
	}
	dst.Set(reflect.ValueOf(t))
	return nil
}

func wrongType(path, want string) *events.Error {
	return invalid(path, "%s must be %s.", path, want)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonFields maps a struct's JSON field names to field indexes, flattening embedded structs.
func jsonFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for name, sub := range jsonFields(f.Type) {
				out[name] = append([]int{i}, sub...)
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		out[name] = []int{i}
	}
	return out
}
