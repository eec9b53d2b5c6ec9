package witness

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are a witness's Prometheus metrics, labelled by provider (an organisation's id,
// never a person's).
type Metrics struct {
	reg                             *prometheus.Registry
	alarm, checked, cosigned, since *prometheus.GaugeVec
}

// NewMetrics returns a witness's metrics on a registry of their own.
func NewMetrics() *Metrics {
	gauge := func(name, help string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, []string{"provider"})
	}
	m := &Metrics{
		reg:      prometheus.NewRegistry(),
		alarm:    gauge("wsledger_witness_alarm", "1 while the witness refuses to cosign a provider's checkpoints until a person clears its alarm, else 0."),
		checked:  gauge("wsledger_witness_checked_size", "The size of the provider's newest checkpoint the witness checked."),
		cosigned: gauge("wsledger_witness_cosigned_size", "The size of the provider's last checkpoint the witness cosigned."),
		since:    gauge("wsledger_witness_cosigned_timestamp_seconds", "When the witness cosigned the provider's last checkpoint (Unix time)."),
	}
	m.reg.MustRegister(m.alarm, m.checked, m.cosigned, m.since)
	return m
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// set reports a provider's state.
func (m *Metrics) set(p *provider) {
	if m == nil {
		return
	}
	name := p.st.Provider
	alarm := 0.0
	if p.st.Alarm != nil {
		alarm = 1
	}
	m.alarm.WithLabelValues(name).Set(alarm)
	m.checked.WithLabelValues(name).Set(float64(p.current().Size))
	if cs := p.st.Cosigned; cs != nil && cs.Sent {
		m.cosigned.WithLabelValues(name).Set(float64(cs.Size))
		m.since.WithLabelValues(name).Set(float64(cs.At.Unix()))
	}
}
