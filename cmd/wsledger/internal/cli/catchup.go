package cli

import (
	"context"
	"log/slog"
	"time"
)

// How often reportCatchUp tells the log, and a terminal, how far the rebuild has got.
const (
	catchUpLogEvery  = 5 * time.Second
	catchUpShowEvery = 200 * time.Millisecond
)

// reportCatchUp follows the read models and the WSTA feed as they catch up with the log as it
// stood at start (tip): it logs their progress every catchUpLogEvery, shows it on standard
// error when that is a terminal, and logs once when both have caught up. It returns then, or
// when ctx ends.
func reportCatchUp(ctx context.Context, env Env, logger *slog.Logger, tip uint64, views, feed func() uint64) {
	if tip == 0 {
		return
	}
	start := time.Now()
	p := newProgress(env)
	defer p.done()
	show, logged := time.NewTicker(catchUpShowEvery), start
	defer show.Stop()
	for {
		v, f := min(views(), tip), min(feed(), tip)
		if v == tip && f == tip {
			logger.Info("read models and WSTA feed caught up with the log", "sequence", tip, "seconds", time.Since(start).Seconds())
			return
		}
		p.update("catching up with the log: read models %d of %d events (%d%%), WSTA feed %d (%d%%)",
			v, tip, v*100/tip, f, f*100/tip)
		if time.Since(logged) >= catchUpLogEvery {
			logged = time.Now()
			logger.Info("catching up with the log", "read_models", v, "wsta_feed", f, "of", tip, "percent", v*100/tip)
		}
		select {
		case <-ctx.Done():
			return
		case <-show.C:
		}
	}
}
