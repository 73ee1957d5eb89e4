// Package keys declares every key binding of the TUI once, with its help
// text. A KeyMap is built per program (no package-level state); panes pick
// the bindings they use and may re-label copies with SetHelp.
package keys

import "charm.land/bubbles/v2/key"

// KeyMap is every binding of the TUI.
type KeyMap struct {
	// Global.
	Quit, ForceQuit, Help, Back, NextPane, PrevPane, GoPane, Sync key.Binding

	// Movement.
	Up, Down, Left, Right, PageUp, PageDown, Home, End key.Binding

	// Common actions.
	Enter, Filter, ClearFilter, Sort, Reverse, Toggle key.Binding

	// Transactions filters.
	FilterBank, FilterAccount, FilterMonth, FilterCategory key.Binding

	// Insights.
	PrevMonth, NextMonth key.Binding

	// Linking and consents.
	Link, Renew, Revoke, EraseAll, Confirm, Cancel, Approve, Reject, Retry key.Binding

	// Picker.
	NewUser key.Binding

	// Forms.
	NextField, PrevField, Submit, FillDemo key.Binding
}

// New returns the default key map.
func New() *KeyMap {
	b := key.NewBinding
	k, h := key.WithKeys, key.WithHelp
	return &KeyMap{
		Quit:      b(k("q", "ctrl+c"), h("q", "quit")),
		ForceQuit: b(k("ctrl+c"), h("ctrl+c", "quit")),
		Help:      b(k("?"), h("?", "help")),
		Back:      b(k("esc"), h("esc", "back")),
		NextPane:  b(k("tab"), h("tab", "next pane")),
		PrevPane:  b(k("shift+tab"), h("shift+tab", "previous pane")),
		GoPane:    b(k("1", "2", "3", "4", "5", "6", "7"), h("1-7", "go to pane")),
		Sync:      b(k("r"), h("r", "re-sync banks")),

		Up:       b(k("up", "k"), h("↑/k", "up")),
		Down:     b(k("down", "j"), h("↓/j", "down")),
		Left:     b(k("left", "h"), h("←/h", "left")),
		Right:    b(k("right", "l"), h("→/l", "right")),
		PageUp:   b(k("pgup", "ctrl+u"), h("pgup", "page up")),
		PageDown: b(k("pgdown", "ctrl+d", "space"), h("pgdn", "page down")),
		Home:     b(k("home", "g"), h("g/home", "first")),
		End:      b(k("end", "G"), h("G/end", "last")),

		Enter:       b(k("enter"), h("enter", "details")),
		Filter:      b(k("/"), h("/", "filter")),
		ClearFilter: b(k("ctrl+x"), h("ctrl+x", "clear filters")),
		Sort:        b(k("s"), h("s", "sort by next column")),
		Reverse:     b(k("S"), h("S", "reverse sort")),
		Toggle:      b(k("space", "x"), h("space", "toggle")),

		FilterBank:     b(k("b"), h("b", "bank")),
		FilterAccount:  b(k("a"), h("a", "account")),
		FilterMonth:    b(k("m"), h("m", "month")),
		FilterCategory: b(k("c"), h("c", "category")),

		PrevMonth: b(k("[", "left", "h"), h("[/←", "previous month")),
		NextMonth: b(k("]", "right", "l"), h("]/→", "next month")),

		Link:     b(k("L", "+"), h("L", "link a bank")),
		Renew:    b(k("n"), h("n", "renew consent")),
		Revoke:   b(k("d", "delete"), h("d", "revoke consent")),
		EraseAll: b(k("E"), h("E", "erase all my data")),
		Confirm:  b(k("y"), h("y", "yes, do it")),
		Cancel:   b(k("n", "esc"), h("n/esc", "cancel")),
		Approve:  b(k("a"), h("a", "approve")),
		Reject:   b(k("x"), h("x", "reject")),
		Retry:    b(k("enter", "r"), h("enter", "retry")),

		NewUser: b(k("n"), h("n", "new user")),

		NextField: b(k("tab", "down"), h("tab", "next field")),
		PrevField: b(k("shift+tab", "up"), h("shift+tab", "previous field")),
		Submit:    b(k("enter"), h("enter", "continue")),
		FillDemo:  b(k("ctrl+f"), h("ctrl+f", "fill in the demo credentials")),
	}
}

// PaneIndex returns 0-6 for the keys 1-7 and -1 for anything else.
func PaneIndex(s string) int {
	if len(s) == 1 && s[0] >= '1' && s[0] <= '7' {
		return int(s[0] - '1')
	}
	return -1
}
