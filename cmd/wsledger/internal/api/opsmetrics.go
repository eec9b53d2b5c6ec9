package api

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/natsauth"
)

// Operations are the parts of the server that follow the log besides the views, for the
// operations metrics; either may be nil.
type Operations struct {
	// FeedPosition is the ledger sequence up to which the WSTA feed has read (wsta.Feed.Position).
	FeedPosition func() uint64
	// DashboardStreams is how many dashboard pages hold a live stream open (web.Dashboard).
	DashboardStreams func() int
}

// SetOperations tells the operations metrics about the parts that follow the log besides the
// views, for handlers mounted after New (the dashboard); call it before serving.
func (s *Server) SetOperations(o Operations) { s.cfg.Operations = o }

// opsCollector reads, at each scrape, how far the ledger has grown and how far behind it its
// followers are. Its only label is the provider: an organisation's id, never a person's.
type opsCollector struct {
	s *Server

	lastSeq, head, lagEvents, lagSeconds, feedEvents, feedSeconds, dashboard *prometheus.Desc
}

// scrapeTimeout bounds what one scrape asks of the NATS server.
const scrapeTimeout = 2 * time.Second

func newOpsCollector(s *Server) *opsCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, nil)
	}
	return &opsCollector{s: s,
		lastSeq:     d("wsledger_ledger_last_sequence", "The ledger stream's last sequence."),
		head:        d("wsledger_ledger_head_position", "Position of each provider's last event (its number of events), as the read models have applied it.", "provider"),
		lagEvents:   d("wsledger_projection_lag_events", "Events in the ledger that the read models have not applied yet."),
		lagSeconds:  d("wsledger_projection_lag_seconds", "How long the oldest event the read models have not applied has been in the ledger; 0 when caught up."),
		feedEvents:  d("wsledger_wsta_feed_lag_events", "Events in the ledger that the WSTA feed has not read yet."),
		feedSeconds: d("wsledger_wsta_feed_lag_seconds", "How long the oldest event the WSTA feed has not read has been in the ledger; 0 when caught up."),
		dashboard:   d("wsledger_dashboard_streams", "Dashboard pages holding a live stream open."),
	}
}

func (c *opsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.lastSeq, c.head, c.lagEvents, c.lagSeconds, c.feedEvents, c.feedSeconds, c.dashboard} {
		ch <- d
	}
}

func (c *opsCollector) Collect(ch chan<- prometheus.Metric) {
	cfg := c.s.cfg
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	if f := cfg.Operations.DashboardStreams; f != nil {
		gauge(c.dashboard, float64(f()))
	}
	if cfg.Views != nil {
		for p, n := range cfg.Views.Heads() {
			gauge(c.head, float64(n), p)
		}
	}
	if cfg.Log == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	last, err := cfg.Log.LastSequence(ctx)
	if err != nil {
		return // the scrape goes on without the ledger's figures; /readyz says why
	}
	gauge(c.lastSeq, float64(last))
	lag := func(events, seconds *prometheus.Desc, position uint64) {
		behind := last - min(position, last)
		gauge(events, float64(behind))
		gauge(seconds, c.waited(ctx, behind, position+1).Seconds())
	}
	if cfg.Follower != nil {
		lag(c.lagEvents, c.lagSeconds, cfg.Follower.Checkpoint())
	}
	if f := cfg.Operations.FeedPosition; f != nil {
		lag(c.feedEvents, c.feedSeconds, f())
	}
}

// waited returns how long the message at seq has been in the ledger stream, when a follower is
// behind events; 0 when it is not, or when the stream cannot say.
func (c *opsCollector) waited(ctx context.Context, behind, seq uint64) time.Duration {
	js := c.s.cfg.JetStream
	if behind == 0 || js == nil {
		return 0
	}
	stream, err := js.Stream(ctx, natsauth.LedgerStream)
	if err != nil {
		return 0
	}
	m, err := stream.GetMsg(ctx, seq)
	if err != nil {
		return 0
	}
	return max(c.s.cfg.Now().Sub(m.Time), 0)
}
