package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/events/natslog"
	"github.com/wsledger/wsledger/projections"
	"github.com/wsledger/wsledger/projections/runner"
)

// rebuildPair rebuilds every projection from the start of the log, as after dropping them, and
// compares it with a raw ordered consumer reading the same stream; it also reports the heap the
// rebuilt projections hold.
func rebuildPair(ds *dataset, memory *Pair) func(context.Context, Config) (Pair, error) {
	return func(ctx context.Context, cfg Config) (Pair, error) {
		log, err := natslog.Open(ctx, natslog.Options{DataDir: ds.dir})
		if err != nil {
			return Pair{}, err
		}
		defer log.Close()
		raw, err := rawRead(ctx, log.JetStream(), log.StreamName(), events.SubjectPrefix+".>")
		if err != nil {
			return Pair{}, err
		}
		before := heap()
		var held uint64
		elapsed, err := rebuildAll(ctx, log, ds.events, func() { held = heap() - before })
		if err != nil {
			return Pair{}, err
		}
		*memory = Pair{
			Workload: fmt.Sprintf("7 heap held by all projections at %d events", ds.events),
			Ledger:   Measure{float64(held) / (1 << 20), "MB"}, Raw: Measure{300, "MB"},
			Target: "<= 300 MB", Met: held <= 300<<20,
		}
		p := Pair{Ledger: Measure{float64(ds.events) / elapsed.Seconds(), "events/s"}, Raw: Measure{float64(ds.events) / raw.Seconds(), "events/s"}, Target: ">= 0.6x raw"}
		p.Met = p.Ratio() >= 0.6
		return p, nil
	}
}

// rebuildAll rebuilds every projection from the start of the log, as after dropping them, and
// returns how long it took to apply its first n events; rebuilt is called once they are
// applied, while the rebuilt projections are still held.
func rebuildAll(ctx context.Context, log *natslog.Log, n uint64, rebuilt func()) (time.Duration, error) {
	// A data set reused from an earlier run holds that run's snapshots: drop them, so that
	// this is a rebuild from the start of the log.
	if err := log.JetStream().DeleteObjectStore(ctx, "bench_rebuild"); err != nil && !errors.Is(err, jetstream.ErrBucketNotFound) && !errors.Is(err, jetstream.ErrStreamNotFound) {
		return 0, err
	}
	views := projections.New(log, domain.DefaultPolicy())
	r := views.Runner(log.JetStream(), runner.Options{Bucket: "bench_rebuild"})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- r.Run(runCtx) }()
	if err := r.WaitFor(ctx, n); err != nil {
		stop()
		<-done
		return 0, err
	}
	elapsed := time.Since(start)
	rebuilt()
	runtime.KeepAlive(views)
	stop()
	return elapsed, <-done
}

// replayPair replays the focus provider as of now on the recorded clock (every one of its
// events) and compares it with a raw read of the provider's subjects.
func replayPair(ds *dataset) func(context.Context, Config) (Pair, error) {
	return func(ctx context.Context, cfg Config) (Pair, error) {
		log, err := natslog.Open(ctx, natslog.Options{DataDir: ds.dir})
		if err != nil {
			return Pair{}, err
		}
		defer log.Close()
		raw, err := rawRead(ctx, log.JetStream(), log.StreamName(), events.ProviderFilter(ds.focus))
		if err != nil {
			return Pair{}, err
		}
		views := projections.New(log, domain.DefaultPolicy())
		start := time.Now()
		if _, err := views.Replay(ctx, ds.focus, time.Now(), events.Recorded); err != nil {
			return Pair{}, err
		}
		elapsed := time.Since(start)
		p := Pair{Ledger: Measure{elapsed.Seconds(), "s"}, Raw: Measure{raw.Seconds(), "s"}, Target: "< 1 s"}
		p.Met = elapsed < time.Second
		return p, nil
	}
}

// rawRead reads every message matching filter with an ordered consumer, as a user of raw
// JetStream would, and returns how long it took.
func rawRead(ctx context.Context, js jetstream.JetStream, stream, filter string) (time.Duration, error) {
	start := time.Now()
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}})
	if err != nil {
		return 0, err
	}
	pending := cons.CachedInfo().NumPending
	if pending == 0 {
		return time.Since(start), nil
	}
	msgs, err := cons.Messages(jetstream.PullMaxMessages(2048))
	if err != nil {
		return 0, err
	}
	defer msgs.Stop()
	for n := uint64(0); n < pending; n++ {
		if _, err := msgs.Next(); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// heap returns the live heap after a full collection.
func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
