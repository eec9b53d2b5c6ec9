package projections

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/wsledger/wsledger/domain"
	"github.com/wsledger/wsledger/events"
	"github.com/wsledger/wsledger/projections/internal/fixture"
)

// The generated history the benchmarks apply: -bench.events events over -bench.providers
// providers, made once per test binary.
var (
	benchEvents    = flag.Int("bench.events", 100_000, "events in the generated history of the benchmarks")
	benchProviders = flag.Int("bench.providers", 10, "providers sharing the generated history of the benchmarks")

	historyOnce sync.Once
	history     [][]byte // each event as the log stores it
	historyErr  error
)

func generated(tb testing.TB) [][]byte {
	tb.Helper()
	historyOnce.Do(func() {
		providers := make([]string, *benchProviders)
		for i := range providers {
			providers[i] = fmt.Sprintf("provider-%02d", i)
		}
		var h []events.Envelope
		h, historyErr = fixture.Generate(providers, *benchEvents / *benchProviders, 1)
		for i := 0; i < len(h) && historyErr == nil; i++ {
			var data []byte
			data, historyErr = events.MarshalEnvelope(&h[i])
			history = append(history, data)
		}
	})
	if historyErr != nil {
		tb.Fatal(historyErr)
	}
	return history
}

// rebuild decodes every stored event and applies it to new views, as a runner rebuilding them
// from the log does.
func rebuild(tb testing.TB, h [][]byte) *Views {
	v := New(nil, domain.DefaultPolicy())
	var r events.EnvelopeReader
	for _, data := range h {
		var e events.Envelope
		err := r.Unmarshal(data, &e)
		if err == nil {
			err = target{v}.Apply(e)
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	return v
}

// BenchmarkRebuild rebuilds views from the generated history and reports the heap they hold
// per event.
func BenchmarkRebuild(b *testing.B) {
	h := generated(b)
	var held uint64
	for b.Loop() {
		before := liveHeap()
		v := rebuild(b, h)
		b.StopTimer()
		held = liveHeap() - before
		runtime.KeepAlive(v)
		b.StartTimer()
	}
	b.ReportMetric(float64(held)/float64(len(h)), "heap-B/event")
	b.ReportMetric(float64(b.N*len(h))/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkSnapshot saves every provider of the rebuilt views, as a runner's snapshot does, and
// loads the saved states into new views, as its restart does.
func BenchmarkSnapshot(b *testing.B) {
	v := rebuild(b, generated(b))
	saved := map[string][]byte{}
	b.Run("save", func(b *testing.B) {
		size := 0
		for b.Loop() {
			size = 0
			for _, p := range v.Providers() {
				data, err := target{v}.Save(p)
				if err != nil {
					b.Fatal(err)
				}
				saved[p] = data
				size += len(data)
			}
		}
		b.ReportMetric(float64(size)/float64(len(history)), "saved-B/event")
		b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
	})
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			restored := target{New(nil, domain.DefaultPolicy())}
			for p, data := range saved {
				if err := restored.Load(p, data); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// liveHeap returns the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkReads reads the first provider of the rebuilt views as the API and the dashboard do,
// at an instant after its history: "recompute" derives its obligations from the whole history
// (the book's full derivation), "first-read" is the agenda's first read, the others are reads of
// the kept agenda.
func BenchmarkReads(b *testing.B) {
	v := rebuild(b, generated(b))
	p := v.Providers()[0]
	now := time.Date(2030, 1, 15, 12, 0, 0, 0, domain.Anchorage)
	b.Run("recompute", func(b *testing.B) {
		for b.Loop() {
			if _, err := read(v, p, func(m *model) []domain.Obligation { return m.st.Book.Obligations(now) }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("first-read", func(b *testing.B) {
		for b.Loop() {
			if _, err := read(v, p, func(m *model) int {
				a := domain.NewAgenda(m.st.Book)
				a.MoveTo(now)
				return a.Total()
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("deadline-page", func(b *testing.B) {
		for b.Loop() {
			if _, err := v.DeadlinePage(p, now, DeadlineQuery{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("overview", func(b *testing.B) {
		for b.Loop() {
			if _, err := v.Overview(p, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("attention", func(b *testing.B) {
		for b.Loop() {
			if _, err := v.Attention(p, now, 50); err != nil {
				b.Fatal(err)
			}
		}
	})
}
