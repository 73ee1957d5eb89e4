// Package activity is the activity pane: the user's audit trail (consents
// granted, rejected and revoked, syncs, erasures), newest first.
package activity

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/grid"
	"github.com/openfinance-tui/openfinance/tui/components/vlist"
)

// Limit is how many audit events the pane reads.
const Limit = 1000

// Pane is the activity pane.
type Pane struct {
	c      *common.Common
	w, h   int
	loaded bool
	err    error
	events []model.AuditEvent
	win    vlist.Window
}

type loadedMsg struct {
	events []model.AuditEvent
	err    error
}

// New builds the pane.
func New(c *common.Common) *Pane { return &Pane{c: c} }

// Title implements common.Pane.
func (p *Pane) Title() string { return "Activity" }

// Init implements common.Component.
func (p *Pane) Init() tea.Cmd { return p.load() }

func (p *Pane) load() tea.Cmd {
	c := p.c
	return c.Do(common.Activity, func(ctx context.Context) tea.Msg {
		ev, err := c.Hub.Audit(ctx, c.User, Limit)
		if err != nil {
			err = fmt.Errorf("cannot read your activity: %w", err)
		}
		return loadedMsg{events: ev, err: err}
	})
}

// Set replaces the events shown (newest first).
func (p *Pane) Set(ev []model.AuditEvent) {
	p.loaded, p.err, p.events = true, nil, ev
	p.win.SetLen(len(ev))
}

// Update implements common.Component.
func (p *Pane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			p.loaded, p.err = true, msg.err
			return common.ErrorCmd(common.Activity, msg.err)
		}
		p.Set(msg.events)
		return nil
	case common.DataChangedMsg:
		return p.load()
	}
	p.win.HandleKey(p.c.Keys, msg)
	return nil
}

// SetSize implements common.Component.
func (p *Pane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.win.SetHeight(h - 2)
}

// ShortHelp implements help.KeyMap.
func (p *Pane) ShortHelp() []key.Binding { return []key.Binding{p.c.Keys.Up, p.c.Keys.Down} }

// FullHelp implements help.KeyMap.
func (p *Pane) FullHelp() [][]key.Binding { return [][]key.Binding{vlist.Bindings(p.c.Keys)} }

var columns = []grid.Col{
	{Title: "When", Width: 16},
	{Title: "What", Width: 17},
	{Title: "Bank", Width: 14},
	{Title: "Outcome", Width: 7},
	{Title: "Detail", Width: 10, Flex: true},
}

// View implements common.Component.
func (p *Pane) View() string {
	switch {
	case !p.loaded:
		return p.c.Loading(p.w, p.h)
	case p.err != nil:
		return p.c.Failed(p.w, p.h, "your activity")
	}
	st := p.c.Styles
	var b strings.Builder
	b.WriteString(st.Muted.Render(fmt.Sprintf("%d events: everything openfinance did with your consent, newest first.", len(p.events))) + "\n")
	if len(p.events) == 0 {
		b.WriteString("\n" + st.Muted.Render("Nothing yet. Linking a bank, syncing and revoking are recorded here."))
		return common.Frame(b.String(), p.w, p.h)
	}
	widths := grid.Layout(columns, p.w)
	b.WriteString(grid.Header(columns, widths, st.TableHeader) + "\n")
	from, to := p.win.Visible()
	for i := from; i < to; i++ {
		e := p.events[i]
		out := st.Good.Render(e.Outcome)
		if e.Outcome != "ok" {
			out = st.Bad.Render(e.Outcome)
		}
		bank := ""
		if e.BankId != "" {
			bank = p.c.Badge(e.BankId)
		}
		line := grid.Row(columns, widths, []string{e.Time.Local().Format("2006-01-02 15:04"), e.Action, bank, out, detail(e)})
		if p.win.Selected(i) {
			line = st.Selected.Render(common.Fit(line, p.w))
		}
		b.WriteString(line + "\n")
	}
	return common.Frame(b.String(), p.w, p.h)
}

func detail(e model.AuditEvent) string {
	s := e.Detail
	if len(e.Counts) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(e.Counts)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, e.Counts[k]))
		}
		if s != "" {
			s += " · "
		}
		s += strings.Join(parts, ", ")
	}
	return s
}
