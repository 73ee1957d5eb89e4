package consents

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/grid"
)

var columns = []grid.Col{
	{Title: "Bank", Width: 16},
	{Title: "Status", Width: 22},
	{Title: "Expires", Width: 13},
	{Title: "Last sync", Width: 22},
	{Title: "Shares", Width: 10, Flex: true},
}

// View implements common.Component.
func (p *Pane) View() string {
	switch {
	case !p.loaded:
		return p.c.Loading(p.w, p.h)
	case p.err != nil:
		return p.c.Failed(p.w, p.h, "your consents")
	case p.dialog.Open():
		return p.dialog.View(p.w, p.h)
	}
	st := p.c.Styles
	var b strings.Builder
	if p.busy != "" {
		b.WriteString(st.Warn.Render(p.busy))
	} else {
		n := fmt.Sprintf("%d consents", len(p.consents))
		if len(p.consents) == 1 {
			n = "1 consent"
		}
		b.WriteString(st.Muted.Render(n + ". Each lets one bank share the data listed with openfinance until it expires."))
	}
	b.WriteString("\n")
	if len(p.consents) == 0 {
		b.WriteString("\n" + st.Muted.Render("You have not given any consent yet. Press L to link a bank."))
		return common.Frame(b.String(), p.w, p.h)
	}
	widths := grid.Layout(columns, p.w)
	b.WriteString(grid.Header(columns, widths, st.TableHeader) + "\n")
	from, to := p.win.Visible()
	for i := from; i < to; i++ {
		c := p.consents[i]
		line := grid.Row(columns, widths, []string{
			p.c.Badge(c.Bank), p.status(c), p.expiry(c), lastSync(c), fmt.Sprintf("%d permissions", len(c.Permissions)),
		})
		if p.win.Selected(i) {
			line = st.Selected.Render(common.Fit(line, p.w))
		}
		b.WriteString(line + "\n")
	}
	if sel := p.selected(); sel != nil {
		b.WriteString("\n" + p.details(*sel))
	}
	return common.Frame(b.String(), p.w, p.h)
}

func (p *Pane) status(c model.Consent) string {
	st := p.c.Styles
	switch c.Status {
	case model.ConsentAuthorised:
		return st.Good.Render("● Active")
	case model.ConsentExpired, model.ConsentReauthRequired:
		return st.Warn.Render("● " + c.Status + " (renew: n)")
	case model.ConsentRevoked, model.ConsentRejected:
		return st.Muted.Render("○ " + c.Status)
	}
	return st.Muted.Render("○ " + c.Status)
}

func (p *Pane) expiry(c model.Consent) string {
	if c.Status != model.ConsentAuthorised {
		return "-"
	}
	return common.Until(p.c.Now(), c.ExpiresAt)
}

func lastSync(c model.Consent) string {
	if c.LastSync == nil {
		return "never"
	}
	return c.LastSync.State + " " + c.LastSync.At.Format("2 Jan 15:04")
}

// details describes the selected consent in plain words.
func (p *Pane) details(c model.Consent) string {
	st := p.c.Styles
	var b strings.Builder
	b.WriteString(st.Subtitle.Render(c.Bank+" may share:") + "\n")
	for _, perm := range c.Permissions {
		b.WriteString("  • " + banks.Describe(perm) + "\n")
	}
	var facts []string
	if c.TransactionFrom != nil {
		facts = append(facts, "transactions since "+c.TransactionFrom.Format("2 Jan 2006"))
	}
	if c.GrantedAt != nil {
		facts = append(facts, "granted "+c.GrantedAt.Format("2 Jan 2006"))
	}
	facts = append(facts, "expires "+c.ExpiresAt.Format("2 Jan 2006"))
	if c.BankUser != "" {
		facts = append(facts, "bank login "+c.BankUser)
	}
	b.WriteString(st.Muted.Render("  " + strings.Join(facts, " · ")))
	if c.LastSync != nil && c.LastSync.Error != "" {
		b.WriteString("\n" + st.Bad.Render("  last sync failed: "+c.LastSync.Error))
	}
	return b.String()
}

// describe lists erased or to-be-erased documents in words.
func describe(n map[string]int) string {
	if len(n) == 0 {
		return "nothing stored"
	}
	names := map[string][2]string{
		model.CollAccounts:     {"account", "accounts"},
		model.CollProducts:     {"loan or mortgage", "loans and mortgages"},
		model.CollTransactions: {"transaction", "transactions"},
		model.CollConsents:     {"consent record", "consent records"},
		model.CollTokens:       {"access token", "access tokens"},
		model.CollAudit:        {"audit entry", "audit entries"},
		model.CollInsights:     {"insights summary", "insights summaries"},
		model.CollUsers:        {"user profile", "user profiles"},
	}
	order := []string{model.CollAccounts, model.CollProducts, model.CollTransactions, model.CollConsents,
		model.CollTokens, model.CollAudit, model.CollInsights, model.CollUsers}
	for _, k := range slices.Sorted(maps.Keys(n)) {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	var parts []string
	for _, k := range order {
		v, ok := n[k]
		if !ok || v == 0 {
			continue
		}
		nm, ok := names[k]
		if !ok {
			nm = [2]string{k, k}
		}
		w := nm[1]
		if v == 1 {
			w = nm[0]
		}
		parts = append(parts, common.Count(v)+" "+w)
	}
	if len(parts) == 0 {
		return "nothing stored"
	}
	return strings.Join(parts, ", ")
}
