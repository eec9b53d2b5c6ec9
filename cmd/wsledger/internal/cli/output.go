package cli

import (
	"encoding/json"
	"io"
	"time"
)

// writeJSON writes v as indented JSON, without HTML escaping.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func nowUTC() time.Time { return time.Now().UTC() }
