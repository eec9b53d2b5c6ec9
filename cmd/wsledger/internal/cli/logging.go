package cli

import (
	"flag"
	"io"
	"log/slog"
	"strings"
)

// logFlags choose serve's log: its format and the least level it writes.
type logFlags struct{ format, level string }

func addLogFlags(fs *flag.FlagSet) *logFlags {
	l := &logFlags{}
	fs.StringVar(&l.format, "log-format", "text", "log `format`: text (logfmt) or json (one object a line)")
	fs.StringVar(&l.level, "log-level", "info", "least `level` logged: debug, info, warn or error (the access log is info; health and metrics requests are debug)")
	return l
}

// logger returns the logger the flags describe, writing to w.
func (l *logFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(l.level)); err != nil || strings.ContainsAny(l.level, "+-") {
		return nil, usagef("--log-level must be debug, info, warn or error")
	}
	opts := &slog.HandlerOptions{Level: level}
	switch l.format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usagef("--log-format must be text or json")
}
