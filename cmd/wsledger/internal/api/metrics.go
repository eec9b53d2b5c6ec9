package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the API's Prometheus metrics, on a registry of their own. Labels are routes
// (patterns, never paths with values), methods, status codes, command types and error codes,
// and for the ledger's heads the provider (an organisation): nothing that names a person or a
// client.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	commands *prometheus.CounterVec
	denials  *prometheus.CounterVec
	streams  prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wsledger_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "wsledger_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"route", "method"}),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wsledger_commands_total", Help: "Commands submitted over HTTP by type and result (ok or an error code).",
		}, []string{"type", "result"}),
		denials: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wsledger_access_denied_total", Help: "Requests refused by the API: unauthenticated (401) or forbidden (403).",
		}, []string{"reason"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wsledger_event_streams", Help: "Open server-sent event streams.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.commands, m.denials, m.streams,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// command counts a command by type and result.
func (m *metrics) command(commandType, code string) {
	if code == "" {
		code = "ok"
	}
	m.commands.WithLabelValues(knownCommand(commandType), code).Inc()
}

func (m *metrics) denied(reason string) { m.denials.WithLabelValues(reason).Inc() }

// instrument counts and times every request by the route the mux matched, and writes the
// access log: one line per request with its route pattern, never its path or query (which may
// name a concern or a client), and nothing of who sent it.
func (m *metrics) instrument(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		took := time.Since(start)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
		m.duration.WithLabelValues(route, r.Method).Observe(took.Seconds())
		level := slog.LevelInfo
		if quietRoutes[route] {
			level = slog.LevelDebug
		}
		log.LogAttrs(r.Context(), level, "http request", slog.String("method", r.Method), slog.String("route", route),
			slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes), slog.Float64("seconds", took.Seconds()))
	})
}

// quietRoutes are polled by machines: their requests are logged at debug level only.
var quietRoutes = map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /metrics": true}

// statusWriter remembers the status code; Unwrap keeps http.ResponseController (flushing for
// event streams) working through it.
type statusWriter struct {
	http.ResponseWriter
	status  int
	written bool
	bytes   int64
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.written {
		w.status, w.written = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.written = true
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush lets handlers that type-assert http.Flusher stream through the wrapper.
func (w *statusWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }
