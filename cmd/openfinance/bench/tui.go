package bench

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/openfinance-tui/openfinance/tui"
	"github.com/openfinance-tui/openfinance/tui/common"
)

// viewSamples is how many times each pane's frame is timed.
const viewSamples = 31

func (w *world) size() (int, int) {
	wd, ht := w.cfg.Width, w.cfg.Height
	if wd <= 0 || ht <= 0 {
		wd, ht = 120, 40
	}
	return wd, ht
}

// program builds the TUI a person signing in as u gets.
func (w *world) program(ctx context.Context, u *benchUser) *driver {
	wd, ht := w.size()
	m := tui.New(tui.Options{
		Hub: u.hub, User: u.ref.UserName, Width: wd, Height: ht, HasDarkBackground: true,
		Context: ctx, Timeout: 15 * time.Minute, SyncTimeout: 15 * time.Minute,
		Logger: w.app.Log.WithPrefix("tui"),
	})
	d := newDriver(m)
	d.exec(m.Init())
	d.send(tea.WindowSizeMsg{Width: wd, Height: ht})
	return d
}

// measureFirstFrame times, for the 10k user, the program's start (the
// model built, as a program starts) to the first frame of the dashboard
// with data (the overview's net worth). The other panes keep loading
// meanwhile, as they do in a real start; once the frame is there, the run
// is cancelled and its queries are waited for, so the next run starts on
// a quiet store.
func (w *world) measureFirstFrame(ctx context.Context, r *Report) error {
	u := w.heavyUser()
	ff := &r.TUI.FirstFrame
	ff.User, ff.Transactions = u.ref.UserName, u.tx
	err := repeat(w.cfg.Runs, func() error {
		rctx, cancel := context.WithCancel(ctx)
		t0 := time.Now()
		d := w.program(rctx, u)
		var first time.Duration
		ready := func() bool {
			v := d.m.View().Content
			at := time.Since(t0) // the frame is drawn; reading it is ours
			if strings.Contains(ansi.Strip(v), "Net worth") {
				first = at
				return true
			}
			return false
		}
		err := d.run(rctx, ready)
		cancel()
		d.drain(time.Minute)
		d.close()
		if err != nil {
			return fmt.Errorf("first frame of %s: %w", u.ref.UserName, err)
		}
		ff.Runs = append(ff.Runs, round3(ms(first)))
		return nil
	})
	if err != nil {
		return err
	}
	ff.MS = round3(median(ff.Runs))
	w.say("first frame (%s): %.0f ms", u.ref.UserName, ff.MS)
	return nil
}

// measurePanes loads the dashboard of the largest user, then shows each
// pane in turn and times the full frame (the root's View with that pane:
// header, pane, status and help lines), as the program renders it.
func (w *world) measurePanes(ctx context.Context, r *Report) error {
	u := w.largestUser()
	t := &r.TUI
	t.Width, t.Height = w.size()
	t.ViewUser, t.ViewTx = u.ref.UserName, u.tx
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t0 := time.Now()
	d := w.program(rctx, u)
	defer d.close()
	if err := d.run(rctx, nil); err != nil {
		return fmt.Errorf("the dashboard of %s: %w", u.ref.UserName, err)
	}
	t.LoadSeconds = round3(time.Since(t0).Seconds())
	for i := range common.NumPanes {
		name := paneName(i)
		d.send(key(strconv.Itoa(i + 1)))
		if err := d.run(rctx, nil); err != nil {
			return fmt.Errorf("pane %s of %s: %w", name, u.ref.UserName, err)
		}
		f := d.frame()
		if strings.Contains(f, "Loading…") || strings.Contains(f, "Could not load") {
			return fmt.Errorf("pane %s of %s shows no data:\n%s", name, u.ref.UserName, f)
		}
		for range 3 {
			_ = d.m.View()
		}
		var s []float64
		for range viewSamples {
			t1 := time.Now()
			_ = d.m.View()
			s = append(s, ms(time.Since(t1)))
		}
		pv := PaneView{Pane: name, MedianMS: round3(median(s)), Samples: len(s), LoadSeconds: round3(d.arrived[common.ID(i)].Seconds())}
		for _, x := range s {
			pv.MaxMS = max(pv.MaxMS, round3(x))
		}
		t.Panes = append(t.Panes, pv)
	}
	worst := t.Panes[0]
	for _, p := range t.Panes {
		if p.MedianMS > worst.MedianMS {
			worst = p
		}
	}
	w.say("panes of %s (%s tx) loaded in %.1f s; slowest frame %s %.3f ms", u.ref.UserName, count(u.tx), t.LoadSeconds, worst.Pane, worst.MedianMS)
	return nil
}
