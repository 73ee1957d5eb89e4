// Package vlist is the scrolling window behind every list of the TUI: a
// cursor over n rows and the first row shown, so a view renders only the
// rows that fit, whatever n is (100k transactions cost the same as 10).
package vlist

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/tui/keys"
)

// Window is a cursor and a scroll offset over Len rows, Height visible.
type Window struct {
	Cursor, Offset int
	len, height    int
}

// SetLen changes the number of rows, keeping the cursor in range.
func (w *Window) SetLen(n int) {
	if n < 0 {
		n = 0
	}
	w.len = n
	w.fix()
}

// SetHeight changes how many rows are visible.
func (w *Window) SetHeight(h int) {
	if h < 1 {
		h = 1
	}
	w.height = h
	w.fix()
}

// Len is the number of rows.
func (w *Window) Len() int { return w.len }

// Height is the number of visible rows.
func (w *Window) Height() int { return w.height }

// Move moves the cursor by delta rows (negative = up), scrolling as needed.
func (w *Window) Move(delta int) {
	w.Cursor += delta
	w.fix()
}

// Top moves to the first row, Bottom to the last.
func (w *Window) Top()    { w.Cursor = 0; w.fix() }
func (w *Window) Bottom() { w.Cursor = w.len - 1; w.fix() }

// Visible returns the half-open range of rows to render.
func (w *Window) Visible() (from, to int) {
	to = w.Offset + w.height
	if to > w.len {
		to = w.len
	}
	return w.Offset, to
}

// Selected reports whether row i is the cursor's row.
func (w *Window) Selected(i int) bool { return i == w.Cursor && w.len > 0 }

// fix keeps cursor and offset consistent: the cursor is a valid row (or 0
// for an empty list) and always inside the visible window.
func (w *Window) fix() {
	if w.height < 1 {
		w.height = 1
	}
	if w.Cursor >= w.len {
		w.Cursor = w.len - 1
	}
	if w.Cursor < 0 {
		w.Cursor = 0
	}
	if w.Cursor < w.Offset {
		w.Offset = w.Cursor
	}
	if w.Cursor >= w.Offset+w.height {
		w.Offset = w.Cursor - w.height + 1
	}
	if maxOff := w.len - w.height; w.Offset > maxOff {
		w.Offset = maxOff
	}
	if w.Offset < 0 {
		w.Offset = 0
	}
}

// HandleKey moves the window for the movement keys and the mouse wheel and
// reports whether msg was one of them.
func (w *Window) HandleKey(km *keys.KeyMap, msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			w.Move(-3)
			return true
		case tea.MouseWheelDown:
			w.Move(3)
			return true
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, km.Up):
			w.Move(-1)
		case key.Matches(msg, km.Down):
			w.Move(1)
		case key.Matches(msg, km.PageUp):
			w.Move(-w.height)
		case key.Matches(msg, km.PageDown):
			w.Move(w.height)
		case key.Matches(msg, km.Home):
			w.Top()
		case key.Matches(msg, km.End):
			w.Bottom()
		default:
			return false
		}
		return true
	}
	return false
}

// Bindings are the movement keys, for help.
func Bindings(km *keys.KeyMap) []key.Binding {
	return []key.Binding{km.Up, km.Down, km.PageUp, km.PageDown, km.Home, km.End}
}
