package projections

import "encoding/json"

// Optional is a value a view carries only where it applies: JSON leaves it out (omitzero) while
// Set is false, and writes Value, false and 0 included, when it is set. A met deadline says
// whether it was entered late; an unmet one says nothing.
type Optional[T any] struct {
	Value T
	Set   bool
}

// Some returns a set Optional.
func Some[T any](v T) Optional[T] { return Optional[T]{Value: v, Set: true} }

// IsZero reports whether the value is not set, for omitzero.
func (o Optional[T]) IsZero() bool { return !o.Set }

// MarshalJSON writes the value.
func (o Optional[T]) MarshalJSON() ([]byte, error) { return json.Marshal(o.Value) }

// UnmarshalJSON reads a value, which sets it.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	return json.Unmarshal(b, &o.Value)
}
