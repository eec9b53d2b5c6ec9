package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// snapshotFormat marks the objects a runner writes.
const snapshotFormat = "wsledger-projection/1"

// providerState is one provider's saved state with the checkpoint it was taken at: every event
// up to Checkpoint is in State.
type providerState struct {
	Format     string          `json:"format"`
	Name       string          `json:"name"`
	Version    int             `json:"version"`
	Provider   string          `json:"provider"`
	Checkpoint uint64          `json:"checkpoint"`
	State      json.RawMessage `json:"state"`
}

// encode returns the object of s holding state, as the pieces that make it up one after another:
// the fields as encoding/json writes them, with the state spliced in as the target saved it
// rather than scanned and copied again. The pieces are read into the object store's chunks
// without being copied into one buffer first, which for a large provider is megabytes per
// snapshot.
func (s providerState) encode(state []byte) (*pieces, error) {
	s.State = nil
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimSuffix(data, []byte("null}")) // State is the last field
	return &pieces{data, state, []byte("}")}, nil
}

// pieces reads byte slices one after another, filling each read as far as they go, so that the
// object store cuts the same chunks as from the slices joined.
type pieces [][]byte

func (p *pieces) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) && len(*p) > 0 {
		c := copy(b[n:], (*p)[0])
		n += c
		if (*p)[0] = (*p)[0][c:]; len((*p)[0]) == 0 {
			*p = (*p)[1:]
		}
	}
	if n == 0 && len(b) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

// manifest names the providers with a saved state. It is written after their objects: every
// event up to Checkpoint is in one of them.
type manifest struct {
	Format     string   `json:"format"`
	Name       string   `json:"name"`
	Version    int      `json:"version"`
	Checkpoint uint64   `json:"checkpoint"`
	Providers  []string `json:"providers"`
}

func (r *Runner) manifestName() string             { return r.opts.Name + "/manifest" }
func (r *Runner) stateName(provider string) string { return r.opts.Name + "/providers/" + provider }
func (r *Runner) periodName(provider, period string) string {
	return r.opts.Name + "/periods/" + provider + "/" + period
}

// store opens the object store bucket, creating it when missing.
func (r *Runner) store(ctx context.Context) (jetstream.ObjectStore, error) {
	s, err := r.js.ObjectStore(ctx, r.opts.Bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		s, err = r.js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{
			Bucket: r.opts.Bucket, Description: "wsledger: projection snapshots",
			Storage: jetstream.FileStorage, Replicas: r.opts.Replicas, Compression: true,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("runner: object store %s: %w", r.opts.Bucket, err)
	}
	return s, nil
}

// load restores the saved state. Saved state that cannot serve (another version, content that
// does not decode or load) is dropped: the target is reset and rebuilt from the start of the log.
// A store that cannot be read is an error.
func (r *Runner) load(ctx context.Context, store jetstream.ObjectStore) error {
	m, states, err := r.read(ctx, store)
	if err != nil && !errors.Is(err, errUnusable) {
		return err
	}
	if err != nil {
		r.logger.Warn("saved state dropped; rebuilding from the start of the log", "err", err)
		m, states = manifest{}, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.target.Reset()
	clear(r.resume)
	clear(r.stored)
	for _, s := range states {
		if err := r.target.Load(s.Provider, s.State); err != nil {
			r.logger.Warn("saved state dropped; rebuilding from the start of the log", "provider", s.Provider, "err", err)
			r.target.Reset()
			clear(r.resume)
			clear(r.stored)
			m = manifest{}
			break
		}
		r.resume[s.Provider] = s.Checkpoint
		r.stored[s.Provider] = true
	}
	r.advance(m.Checkpoint)
	r.markSaved(m.Checkpoint)
	return nil
}

// errUnusable marks saved state that was read but cannot serve: another projection or version,
// or content that does not decode.
var errUnusable = errors.New("saved state unusable")

// read fetches the manifest and every state it names, checking that they belong to this
// projection and version. No manifest means nothing was saved. A store that cannot be read is an
// error; state that cannot serve is errUnusable.
func (r *Runner) read(ctx context.Context, store jetstream.ObjectStore) (manifest, []providerState, error) {
	m, err := r.readManifest(ctx, store)
	if err != nil || m.Format == "" {
		return m, nil, err
	}
	states := make([]providerState, 0, len(m.Providers))
	for _, p := range m.Providers {
		var s providerState
		data, err := store.GetBytes(ctx, r.stateName(p))
		switch {
		case errors.Is(err, jetstream.ErrObjectNotFound):
			return m, nil, fmt.Errorf("%w: the state of provider %s is missing", errUnusable, p)
		case err != nil:
			return m, nil, fmt.Errorf("runner: read the state of provider %s: %w", p, err)
		}
		if err := json.Unmarshal(data, &s); err != nil {
			return m, nil, fmt.Errorf("%w: state of provider %s: %v", errUnusable, p, err)
		}
		if s.Format != snapshotFormat || s.Name != r.opts.Name || s.Version != r.opts.Version || s.Provider != p {
			return m, nil, fmt.Errorf("%w: the state of provider %s does not match the manifest", errUnusable, p)
		}
		states = append(states, s)
	}
	return m, states, nil
}

// snapshot saves every provider changed since the last snapshot, then the manifest. Providers
// are saved one at a time, each with the checkpoint it was taken at, so that a snapshot holds one
// provider's saved form at a time and an apply waits for no more than one provider's Save. The
// manifest carries the checkpoint the snapshot started at, which every object has reached.
func (r *Runner) snapshot(ctx context.Context, store jetstream.ObjectStore) error {
	r.saveMu.Lock()
	defer r.saveMu.Unlock()
	r.mu.Lock()
	if r.opts.Saves != nil && !r.opts.Saves() {
		// Another process saves. The manifest this one writes once it saves names every
		// provider it loaded (stored) or changed (dirty), so skipping loses nothing.
		r.mu.Unlock()
		return nil
	}
	at := r.checkpoint
	changed := slices.Sorted(maps.Keys(r.dirty))
	r.unsaved = 0
	r.lastSave = time.Now()
	r.mu.Unlock()
	for _, p := range changed {
		if err := r.saveProvider(ctx, store, p); err != nil {
			return err
		}
	}
	r.mu.Lock()
	m := manifest{Format: snapshotFormat, Name: r.opts.Name, Version: r.opts.Version, Checkpoint: at, Providers: slices.Sorted(maps.Keys(r.stored))}
	r.mu.Unlock()
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if _, err := store.PutBytes(ctx, r.manifestName(), data); err != nil {
		return fmt.Errorf("runner: put manifest: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.markSaved(at)
	return nil
}

// saveProvider saves one provider's state with the checkpoint it is at. The provider stays
// changed when its object is not stored.
func (r *Runner) saveProvider(ctx context.Context, store jetstream.ObjectStore, p string) error {
	r.mu.Lock()
	at := r.checkpoint
	state, err := r.target.Save(p)
	period := ""
	if pt, ok := r.target.(PeriodTarget); ok && err == nil {
		if period = pt.Period(p); period == r.periods[p] {
			period = ""
		}
	}
	delete(r.dirty, p)
	r.mu.Unlock()
	saved := providerState{Format: snapshotFormat, Name: r.opts.Name, Version: r.opts.Version, Provider: p, Checkpoint: at}
	put := func(name string) error {
		data, err := saved.encode(state)
		if err == nil {
			_, err = store.Put(ctx, jetstream.ObjectMeta{Name: name}, data)
		}
		return err
	}
	if err != nil {
		err = fmt.Errorf("runner: save provider %s: %w", p, err)
	} else if err = put(r.stateName(p)); err != nil {
		err = fmt.Errorf("runner: put state of provider %s: %w", p, err)
	} else if period != "" {
		if err = put(r.periodName(p, period)); err != nil {
			err = fmt.Errorf("runner: put state of provider %s for %s: %w", p, period, err)
		}
	}
	if err == nil && period != "" && r.opts.KeepPeriods > 0 {
		if perr := r.prunePeriods(ctx, store, p); perr != nil {
			r.logger.Warn("old period copies of a saved state stay; pruned again at the next new period", "err", perr)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.dirty[p] = true
		return err
	}
	r.stored[p] = true
	if period != "" {
		r.periods[p] = period
	}
	return nil
}

// prunePeriods deletes a provider's period copies but the last Options.KeepPeriods.
func (r *Runner) prunePeriods(ctx context.Context, store jetstream.ObjectStore, provider string) error {
	objects, err := store.List(ctx)
	if err != nil {
		return fmt.Errorf("runner: list saved states: %w", err)
	}
	prefix := r.periodName(provider, "")
	var periods []string
	for _, o := range objects {
		if period, ok := strings.CutPrefix(o.Name, prefix); ok && !o.Deleted {
			periods = append(periods, period)
		}
	}
	slices.Sort(periods)
	for _, period := range periods[:max(0, len(periods)-r.opts.KeepPeriods)] {
		if err := store.Delete(ctx, r.periodName(provider, period)); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
			return fmt.Errorf("runner: delete %s: %w", r.periodName(provider, period), err)
		}
	}
	return nil
}

// Saved yields a provider's saved states as the target's Save wrote them, one for each of
// periods that has one of this projection and version, in that order: the latest for "", else
// the copy kept for that period (PeriodTarget). It opens the store once, reads it only, and may
// be called while Run runs; an error ends it.
func (r *Runner) Saved(ctx context.Context, provider string, periods ...string) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		store, err := r.js.ObjectStore(ctx, r.opts.Bucket)
		if errors.Is(err, jetstream.ErrBucketNotFound) || errors.Is(err, jetstream.ErrStreamNotFound) {
			return
		}
		if err != nil {
			yield(nil, fmt.Errorf("runner: object store %s: %w", r.opts.Bucket, err))
			return
		}
		for _, period := range periods {
			name := r.stateName(provider)
			if period != "" {
				name = r.periodName(provider, period)
			}
			data, err := store.GetBytes(ctx, name)
			if errors.Is(err, jetstream.ErrObjectNotFound) {
				continue
			}
			if err != nil {
				yield(nil, fmt.Errorf("runner: read %s: %w", name, err))
				return
			}
			s, err := decodeHeader(data)
			if err != nil {
				yield(nil, fmt.Errorf("runner: %s: %w", name, err))
				return
			}
			if s.Format != snapshotFormat || s.Name != r.opts.Name || s.Version != r.opts.Version || s.Provider != provider {
				continue
			}
			if !yield(s.State, nil) {
				return
			}
		}
	}
}

// decodeHeader reads a providerState as encode writes it, without scanning the state (megabytes
// for a large provider): once every other member has been read, the state is the bytes between
// its name and the object's end, which the target's Load checks as it reads them. An object in
// any other form is read by encoding/json.
func decodeHeader(data []byte) (providerState, error) {
	var s providerState
	dec := json.NewDecoder(bytes.NewReader(data))
	fields := map[string]any{"format": &s.Format, "name": &s.Name, "version": &s.Version, "provider": &s.Provider, "checkpoint": &s.Checkpoint}
	if t, err := dec.Token(); err == nil && t == json.Delim('{') {
		for dec.More() {
			t, err := dec.Token()
			key, _ := t.(string)
			if err != nil {
				break
			}
			if key == "state" {
				rest := bytes.TrimRight(data[dec.InputOffset():], " \t\r\n")
				if len(fields) == 0 && bytes.HasSuffix(rest, []byte("}")) {
					s.State = bytes.TrimLeft(rest[:len(rest)-1], " \t\r\n:")
					return s, nil
				}
				break
			}
			field, ok := fields[key]
			if !ok || dec.Decode(field) != nil {
				break
			}
			delete(fields, key)
		}
	}
	s = providerState{}
	return s, json.Unmarshal(data, &s)
}

// Drop deletes the projection's saved state, so that the next Run rebuilds it from the start of
// the log. It must not be called while Run runs.
func (r *Runner) Drop(ctx context.Context) error {
	store, err := r.store(ctx)
	if err != nil {
		return err
	}
	infos, err := store.List(ctx)
	if errors.Is(err, jetstream.ErrNoObjectsFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("runner: list saved state: %w", err)
	}
	for _, info := range infos {
		if strings.HasPrefix(info.Name, r.opts.Name+"/") {
			if err := store.Delete(ctx, info.Name); err != nil {
				return fmt.Errorf("runner: delete %s: %w", info.Name, err)
			}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.target.Reset()
	clear(r.resume)
	clear(r.stored)
	clear(r.dirty)
	clear(r.periods)
	r.unsaved = 0
	r.checkpoint, r.saved = 0, 0
	return nil
}

// SavedCheckpoint returns the checkpoint of the projection's saved state (0 when none). It reads
// the manifest only: the providers' states may be replaced by a snapshot under way meanwhile,
// and the manifest is written after them.
func (r *Runner) SavedCheckpoint(ctx context.Context) (uint64, error) {
	store, err := r.store(ctx)
	if err != nil {
		return 0, err
	}
	m, err := r.readManifest(ctx, store)
	return m.Checkpoint, err
}

// readManifest fetches the manifest and checks that it belongs to this projection and version;
// the zero manifest when nothing was saved.
func (r *Runner) readManifest(ctx context.Context, store jetstream.ObjectStore) (manifest, error) {
	var m manifest
	data, err := store.GetBytes(ctx, r.manifestName())
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return manifest{}, nil
	}
	if err != nil {
		return m, fmt.Errorf("runner: read manifest: %w", err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%w: manifest: %v", errUnusable, err)
	}
	if m.Format != snapshotFormat || m.Name != r.opts.Name || m.Version != r.opts.Version {
		return m, fmt.Errorf("%w: the manifest is %s %s version %d; this runner writes %s %s version %d", errUnusable,
			m.Format, m.Name, m.Version, snapshotFormat, r.opts.Name, r.opts.Version)
	}
	return m, nil
}
