package bench

import (
	"context"
	"fmt"
	"reflect"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/openfinance-tui/openfinance/tui/common"
)

// driver runs a Bubble Tea model the way a program does, without a
// terminal: commands run in goroutines, their messages come back to
// Update one at a time on the caller's goroutine, and batches are
// unfolded. It lets the harness call View exactly when it wants to time it.
type driver struct {
	m       tea.Model
	msgs    chan tea.Msg
	done    chan struct{}
	pending int
	start   time.Time
	// arrived is when the first result addressed to each component came
	// back: a pane's load time.
	arrived map[common.ID]time.Duration
}

func newDriver(m tea.Model) *driver {
	return &driver{m: m, msgs: make(chan tea.Msg, 64), done: make(chan struct{}), start: time.Now(), arrived: map[common.ID]time.Duration{}}
}

// close abandons the commands still running (their results are dropped).
func (d *driver) close() { close(d.done) }

func (d *driver) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	d.pending++
	go func() {
		msg := cmd()
		select {
		case d.msgs <- msg:
		case <-d.done:
		}
	}()
}

// send hands msg to the model (unfolding batches and sequences).
func (d *driver) send(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			d.exec(c)
		}
		return
	case common.Envelope:
		if _, ok := d.arrived[msg.To]; !ok {
			d.arrived[msg.To] = time.Since(d.start)
		}
	}
	// tea.Sequence's message is an unexported []tea.Cmd.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		for i := range v.Len() {
			d.exec(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	var cmd tea.Cmd
	d.m, cmd = d.m.Update(msg)
	d.exec(cmd)
}

// run delivers messages until no command is left running, or until after
// a delivery stop reports true.
func (d *driver) run(ctx context.Context, stop func() bool) error {
	for d.pending > 0 {
		if stop != nil && stop() {
			return nil
		}
		select {
		case msg := <-d.msgs:
			d.pending--
			d.send(msg)
		case <-ctx.Done():
			return fmt.Errorf("the TUI did not finish loading: %w", ctx.Err())
		}
	}
	if stop != nil && !stop() {
		return fmt.Errorf("the TUI went idle before showing what was expected")
	}
	return nil
}

// drain waits, up to d, for the commands still running to return (after
// their context was cancelled) and drops their messages, so that the next
// measurement starts on a quiet store.
func (d *driver) drain(timeout time.Duration) {
	deadline := time.After(timeout)
	for d.pending > 0 {
		select {
		case <-d.msgs:
			d.pending--
		case <-deadline:
			return
		}
	}
}

// frame renders the model and returns the screen's plain text.
func (d *driver) frame() string { return ansi.Strip(d.m.View().Content) }

// key is a key press as the terminal sends it.
func key(s string) tea.KeyPressMsg {
	r := []rune(s)
	return tea.KeyPressMsg{Code: r[0], Text: s}
}
