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
// events) from the saved states a serving process keeps, and compares it with a raw read of the
// provider's subjects; the target column also gives the replay from the first event.
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
		replay := func(views *projections.Views) (time.Duration, error) {
			runtime.GC() // what an earlier measure left is not this one's to collect
			start := time.Now()
			_, err := views.Replay(ctx, ds.focus, time.Now(), events.Recorded)
			return time.Since(start), err
		}
		fromFirst, err := replay(projections.New(log, domain.DefaultPolicy()))
		if err != nil {
			return Pair{}, err
		}
		if err := keepSavedStates(ctx, log, ds.events); err != nil {
			return Pair{}, err
		}
		views := projections.New(log, domain.DefaultPolicy())
		views.Runner(log.JetStream(), runner.Options{Bucket: replayBucket}) // not run: the replay reads its saved states
		elapsed, err := replay(views)
		if err != nil {
			return Pair{}, err
		}
		p := Pair{Ledger: Measure{elapsed.Seconds(), "s"}, Raw: Measure{raw.Seconds(), "s"},
			Target: fmt.Sprintf("< 1 s (from the first event %.2f s)", fromFirst.Seconds())}
		p.Met = elapsed < time.Second
		return p, nil
	}
}

// replayBucket holds the views' saved states workload 5 replays from.
const replayBucket = "bench_replay"

// keepSavedStates makes sure replayBucket holds the views' saved states at the log's first n
// events, as the runner of a serving process keeps them: a runner applies the log and saves a
// last snapshot when it stops. A data set reused from an earlier run keeps them.
func keepSavedStates(ctx context.Context, log *natslog.Log, n uint64) error {
	r := projections.New(log, domain.DefaultPolicy()).Runner(log.JetStream(), runner.Options{Bucket: replayBucket})
	if saved, err := r.SavedCheckpoint(ctx); err != nil || saved >= n {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(runCtx) }()
	err := r.WaitFor(ctx, n)
	stop()
	return errors.Join(err, <-done)
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
