package api

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/checkpoints"
	"github.com/wsledger/wsledger/events"
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
	checkpointSize, checkpointAge, cosignatureAge                            *prometheus.Desc
}

// scrapeTimeout bounds what one scrape asks of the NATS server.
const scrapeTimeout = 2 * time.Second

func newOpsCollector(s *Server) *opsCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, nil)
	}
	return &opsCollector{s: s,
		lastSeq:        d("wsledger_ledger_last_sequence", "The ledger stream's last sequence."),
		head:           d("wsledger_ledger_head_position", "Position of each provider's last event (its number of events), as the read models have applied it.", "provider"),
		lagEvents:      d("wsledger_projection_lag_events", "Events in the ledger that the read models have not applied yet."),
		lagSeconds:     d("wsledger_projection_lag_seconds", "How long the oldest event the read models have not applied has been in the ledger; 0 when caught up."),
		feedEvents:     d("wsledger_wsta_feed_lag_events", "Events in the ledger that the WSTA feed has not read yet."),
		feedSeconds:    d("wsledger_wsta_feed_lag_seconds", "How long the oldest event the WSTA feed has not read has been in the ledger; 0 when caught up."),
		dashboard:      d("wsledger_dashboard_streams", "Dashboard pages holding a live stream open."),
		checkpointSize: d("wsledger_checkpoint_size", "The number of events each provider's latest signed checkpoint covers.", "provider"),
		checkpointAge:  d("wsledger_checkpoint_age_seconds", "How long ago each provider's latest checkpoint was stored (signed, or last cosigned).", "provider"),
		cosignatureAge: d("wsledger_witness_cosignature_age_seconds", "How long ago the newest witness cosignature of each provider's latest checkpoint was made; absent while none.", "provider"),
	}
}

func (c *opsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.lastSeq, c.head, c.lagEvents, c.lagSeconds, c.feedEvents, c.feedSeconds, c.dashboard,
		c.checkpointSize, c.checkpointAge, c.cosignatureAge} {
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
	c.evidence(ctx, gauge)
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

// waited returns how long the event at seq has been in the ledger, when a follower is behind
// events; 0 when it is not, or when the log cannot say.
func (c *opsCollector) waited(ctx context.Context, behind, seq uint64) time.Duration {
	if behind == 0 {
		return 0
	}
	for e, err := range c.s.cfg.Log.Read(ctx, events.ReadOptions{From: seq}) {
		if err != nil {
			return 0
		}
		return max(c.s.cfg.Now().Sub(e.RecordedAt), 0)
	}
	return 0
}

// evidence reports each provider's latest checkpoint: its size, its age, and the age of its
// newest cosignature.
func (c *opsCollector) evidence(ctx context.Context, gauge func(*prometheus.Desc, float64, ...string)) {
	e, views := c.s.cfg.Evidence, c.s.cfg.Views
	if e == nil || views == nil {
		return
	}
	now := c.s.cfg.Now()
	for _, p := range views.Providers() {
		note, at, ok, err := e.Checkpoints.LatestAt(ctx, p)
		if err != nil || !ok {
			continue
		}
		info, err := checkpoints.InfoOf(p, note, e.LedgerKey, e.Witnesses)
		if err != nil {
			continue
		}
		gauge(c.checkpointSize, float64(info.Size), p)
		gauge(c.checkpointAge, max(now.Sub(at), 0).Seconds(), p)
		var newest time.Time
		for _, cs := range info.Cosignatures {
			if cs.Time.After(newest) {
				newest = cs.Time
			}
		}
		if !newest.IsZero() {
			gauge(c.cosignatureAge, max(now.Sub(newest), 0).Seconds(), p)
		}
	}
}
