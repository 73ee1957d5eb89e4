// Package confirm is the yes/no dialog shown before anything destructive.
// It says exactly what will happen and does nothing until the user presses
// the confirm key; esc or n cancels.
package confirm

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/openfinance-tui/openfinance/tui/common"
)

// Dialog is an open or closed confirmation.
type Dialog struct {
	c     *common.Common
	open  bool
	title string
	body  []string
	onYes tea.Cmd
}

// New returns a closed dialog.
func New(c *common.Common) Dialog { return Dialog{c: c} }

// Ask opens the dialog; onYes runs when the user confirms.
func (d *Dialog) Ask(title string, body []string, onYes tea.Cmd) {
	d.open, d.title, d.body, d.onYes = true, title, body, onYes
}

// Open reports whether the dialog is showing.
func (d *Dialog) Open() bool { return d.open }

// Update handles keys while open: y confirms, n/esc cancels, everything
// else is swallowed so nothing happens behind the dialog.
func (d *Dialog) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !d.open {
		return nil
	}
	switch {
	case key.Matches(k, d.c.Keys.Confirm):
		d.open = false
		return d.onYes
	case key.Matches(k, d.c.Keys.Cancel):
		d.open = false
	}
	return nil
}

// View draws the dialog in a box centred in w×h.
func (d *Dialog) View(w, h int) string {
	st := d.c.Styles
	inner := min(w-6, 70)
	var b strings.Builder
	b.WriteString(st.ErrorTitle.Render(d.title))
	b.WriteString("\n\n")
	for _, l := range d.body {
		b.WriteString(lipgloss.NewStyle().Width(max(inner, 10)).Render(l))
		b.WriteByte('\n')
	}
	b.WriteString("\n")
	b.WriteString(st.Key.Render("y") + st.Muted.Render(" yes, do it   ") + st.Key.Render("n/esc") + st.Muted.Render(" cancel"))
	box := st.Box.BorderForeground(st.Palette.Bad).Render(b.String())
	return common.Center(box, w, h)
}

// Help lists the dialog's keys.
func (d *Dialog) Help() []key.Binding { return []key.Binding{d.c.Keys.Confirm, d.c.Keys.Cancel} }
