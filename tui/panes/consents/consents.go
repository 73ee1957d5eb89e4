// Package consents is the consents pane: every consent the user gave, with
// its status, permissions and expiry countdown; renew (the wizard again for
// that bank), revoke, and erase all my data, each destructive action behind
// a confirmation that says exactly what will be erased.
package consents

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/confirm"
	"github.com/openfinance-tui/openfinance/tui/components/vlist"
)

// Pane is the consents pane.
type Pane struct {
	c        *common.Common
	w, h     int
	loaded   bool
	err      error
	consents []model.Consent
	win      vlist.Window
	dialog   confirm.Dialog
	busy     string // what is running ("Revoking Green Bank…"), "" when idle
}

type (
	loadedMsg struct {
		consents []model.Consent
		err      error
	}
	// countedMsg carries what an action would erase, to fill the dialog.
	countedMsg struct {
		consent *model.Consent // nil = erase everything
		counts  map[string]int
		err     error
	}
	// startMsg is sent by the dialog's confirm key (nil consent = erase all).
	startMsg struct{ consent *model.Consent }
	// doneMsg is the outcome of a revoke or an erase.
	doneMsg struct {
		what   string
		erased map[string]int
		all    bool
		err    error
	}
)

// UserErasedMsg tells the root the user and all their data are gone
// (Erased says what, in words).
type UserErasedMsg struct{ User, Erased string }

// New builds the pane.
func New(c *common.Common) *Pane { return &Pane{c: c, dialog: confirm.New(c)} }

// Title implements common.Pane.
func (p *Pane) Title() string { return "Consents" }

// Init implements common.Component.
func (p *Pane) Init() tea.Cmd { return p.load() }

func (p *Pane) load() tea.Cmd {
	c := p.c
	return c.Do(common.Consents, func(ctx context.Context) tea.Msg {
		cs, err := c.Hub.Consents(ctx, c.User)
		if err != nil {
			err = fmt.Errorf("cannot read your consents: %w", err)
		}
		return loadedMsg{consents: cs, err: err}
	})
}

// Set replaces the consents shown.
func (p *Pane) Set(cs []model.Consent) {
	p.loaded, p.err, p.consents = true, nil, cs
	p.win.SetLen(len(cs))
}

// Capturing implements common.Capturer: an open dialog owns the keys.
func (p *Pane) Capturing() bool { return p.dialog.Open() }

func (p *Pane) selected() *model.Consent {
	if len(p.consents) == 0 {
		return nil
	}
	return &p.consents[p.win.Cursor]
}

// Update implements common.Component.
func (p *Pane) Update(msg tea.Msg) tea.Cmd {
	km := p.c.Keys
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			p.loaded, p.err = true, msg.err
			return common.ErrorCmd(common.Consents, msg.err)
		}
		p.Set(msg.consents)
		return nil
	case common.DataChangedMsg:
		return p.load()
	case countedMsg:
		p.busy = ""
		if msg.err != nil {
			return common.ErrorCmd(common.Consents, msg.err)
		}
		p.ask(msg)
		return nil
	case startMsg:
		if msg.consent == nil {
			return p.eraseAll()
		}
		return p.revoke(*msg.consent)
	case doneMsg:
		p.busy = ""
		if msg.err != nil {
			return tea.Batch(common.ErrorCmd(common.Consents, msg.err), common.DataChanged)
		}
		if msg.all {
			done := UserErasedMsg{User: p.c.User.UserName, Erased: describe(msg.erased)}
			return func() tea.Msg { return done }
		}
		return tea.Batch(common.Status("%s: erased %s.", msg.what, describe(msg.erased)), common.DataChanged)
	}
	if p.dialog.Open() {
		return p.dialog.Update(msg)
	}
	if p.busy != "" {
		return nil
	}
	if p.win.HandleKey(km, msg) {
		return nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	sel := p.selected()
	switch {
	case key.Matches(k, km.Renew) && sel != nil:
		return common.OpenWizard(sel.BankId)
	case key.Matches(k, km.Link):
		return common.OpenWizard("")
	case key.Matches(k, km.Revoke) && sel != nil:
		if sel.Status == model.ConsentRevoked {
			return common.Status("The consent at %s is already revoked; press n to link it again.", sel.Bank)
		}
		return p.count(sel)
	case key.Matches(k, km.EraseAll):
		return p.count(nil)
	}
	return nil
}

// count asks the hub what an action would erase before asking the user.
func (p *Pane) count(sel *model.Consent) tea.Cmd {
	c := p.c
	bank := ""
	p.busy = "Counting what would be erased…"
	var cons *model.Consent
	if sel != nil {
		cp := *sel
		cons, bank = &cp, sel.BankId
	}
	return c.Do(common.Consents, func(ctx context.Context) tea.Msg {
		n, err := c.Hub.DataCounts(ctx, c.User, bank)
		return countedMsg{consent: cons, counts: n, err: err}
	})
}

func (p *Pane) ask(m countedMsg) {
	if m.consent == nil {
		p.dialog.Ask("Erase all your data?", p.dialogBody(m), common.Send(common.Consents, startMsg{}))
		return
	}
	p.dialog.Ask("Revoke your consent at "+m.consent.Bank+"?", p.dialogBody(m),
		common.Send(common.Consents, startMsg{consent: m.consent}))
}

func (p *Pane) dialogBody(m countedMsg) []string {
	u := p.c.User
	if m.consent == nil {
		return []string{
			fmt.Sprintf("Erase all your data: everything openfinance holds for %s (%s).", u.UserName, describe(m.counts)),
			"Every consent is revoked at its bank first. Your accounts at the banks are not touched.",
			"This cannot be undone.",
		}
	}
	cons := m.consent
	return []string{
		fmt.Sprintf("Revoke your consent at %s: %s stops sharing your data with openfinance and its access tokens are deleted.", cons.Bank, cons.Bank),
		fmt.Sprintf("openfinance then erases what it holds from %s: %s.", cons.Bank, describe(m.counts)),
		"Your accounts at the bank itself are not touched. You can link the bank again later.",
	}
}

func (p *Pane) revoke(cons model.Consent) tea.Cmd {
	c := p.c
	p.busy = "Revoking your consent at " + cons.Bank + "…"
	return c.DoFor(common.Consents, c.SyncTimeout, func(ctx context.Context) tea.Msg {
		n, err := c.Hub.Revoke(ctx, c.User, cons.BankId)
		if err != nil {
			err = fmt.Errorf("cannot revoke the consent at %s: %w", cons.Bank, err)
		}
		return doneMsg{what: "Revoked " + cons.Bank, erased: n, err: err}
	})
}

func (p *Pane) eraseAll() tea.Cmd {
	c := p.c
	p.busy = "Erasing all your data…"
	return c.DoFor(common.Consents, c.SyncTimeout, func(ctx context.Context) tea.Msg {
		n, err := c.Hub.EraseUser(ctx, c.User)
		if err != nil {
			err = fmt.Errorf("cannot erase your data: %w", err)
		}
		return doneMsg{what: "Erased all data of " + c.User.UserName, erased: n, all: true, err: err}
	})
}

// SetSize implements common.Component.
func (p *Pane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.win.SetHeight(max(1, (h-2)/2))
}

// ShortHelp implements help.KeyMap.
func (p *Pane) ShortHelp() []key.Binding {
	km := p.c.Keys
	if p.dialog.Open() {
		return p.dialog.Help()
	}
	return []key.Binding{km.Renew, km.Revoke, km.EraseAll, km.Link}
}

// FullHelp implements help.KeyMap.
func (p *Pane) FullHelp() [][]key.Binding {
	km := p.c.Keys
	return [][]key.Binding{{km.Up, km.Down}, {km.Renew, km.Revoke, km.EraseAll, km.Link}}
}
