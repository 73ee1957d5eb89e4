package wizard

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/components/bars"
)

var stepTitles = map[Step]string{
	StepBank: "Choose a bank", StepReview: "What you share", StepLogin: "Sign in at the bank",
	StepApprove: "Approve at the bank", StepSync: "First sync", StepDone: "Linked",
	StepRejected: "Consent rejected", StepFailed: "Something went wrong",
}

// View implements common.Component.
func (m *Model) View() string {
	st := m.c.Styles
	var body string
	switch m.step {
	case StepBank:
		body = m.bankView()
	case StepReview:
		body = m.reviewView()
	case StepLogin:
		body = m.loginView()
	case StepApprove:
		body = m.approveView()
	case StepSync, StepDone:
		body = m.syncView()
	default:
		body = m.failedView()
	}
	n := min(int(m.step)+1, 6)
	head := st.Title.Render("Link a bank") + st.Muted.Render(fmt.Sprintf(" · step %d of 6 · %s", n, stepTitles[m.step]))
	if m.step >= StepRejected {
		head = st.Title.Render("Link a bank") + st.Muted.Render(" · "+stepTitles[m.step])
	}
	out := head + "\n\n" + body
	if m.busy != "" {
		out += "\n\n" + m.spin.View() + " " + st.Warn.Render(m.busy) + st.Muted.Render("  (esc cancels)")
	}
	return common.Frame(common.Squeeze(out, m.h), m.w, m.h)
}

func (m *Model) bankView() string {
	st := m.c.Styles
	var b strings.Builder
	b.WriteString("Choose the bank to link. These banks are emulated on your machine: no real money moves.\n\n")
	nameW := 0
	for _, bk := range m.banks {
		nameW = max(nameW, lipgloss.Width(st.Badge(bk.Name, bk.Color)))
	}
	for i, bk := range m.banks {
		cur := "  "
		if i == m.bank {
			cur = st.Cursor.Render("▸ ")
		}
		state := st.Muted.Render("not linked")
		if m.linked[bk.ID] {
			state = st.Good.Render("✓ linked")
		}
		line := cur + common.Fit(st.Badge(bk.Name, bk.Color), nameW) + " " + common.Fit(state, 11) + " "
		desc := common.Fit(bk.Description, max(m.w-lipgloss.Width(line), 1))
		if i == m.bank {
			desc = st.Bold.Render(desc)
		} else {
			desc = st.Muted.Render(desc)
		}
		b.WriteString(line + desc + "\n")
	}
	return b.String()
}

func (m *Model) reviewView() string {
	st := m.c.Styles
	bk := m.Bank()
	req := m.Request()
	var b strings.Builder
	b.WriteString("openfinance will ask " + st.Badge(bk.Name, bk.Color) + " to share, and nothing else:\n\n")
	row := func(i int, s string) string {
		if i == m.row {
			return st.Cursor.Render("▸ ") + st.Bold.Render(s)
		}
		return "  " + s
	}
	for i, p := range m.perms {
		box := "[ ]"
		if m.chosen[p] {
			box = st.Good.Render("[x]")
		}
		b.WriteString(row(i, box+" "+banks.Describe(p)) + "\n")
	}
	now := m.c.Now()
	until := now.Add(req.ValidFor)
	b.WriteString("\n")
	b.WriteString(row(len(m.perms), fmt.Sprintf("For how long   ◀ %d days ▶", durations[m.duration])) +
		st.Muted.Render("   until "+until.Format("2 Jan 2006")+", then it expires by itself") + "\n")
	b.WriteString(row(len(m.perms)+1, fmt.Sprintf("History        ◀ %d months ▶", histories[m.history])) +
		st.Muted.Render("   transactions since "+req.HistoryFrom.Format("2 Jan 2006")) + "\n\n")
	b.WriteString(st.Muted.Render("You can revoke this consent at any time (Consents pane); openfinance then erases what it got.") + "\n\n")
	b.WriteString(st.ActiveButton.Render("Continue to "+bk.Name) + st.Muted.Render("  enter"))
	return b.String()
}

func (m *Model) bankBox(title, body string) string {
	st := m.c.Styles
	bk := m.Bank()
	border := st.Palette.Border
	if bk.Color != "" {
		border = lipgloss.Color(bk.Color)
	}
	head := st.Badge(bk.Name, bk.Color) + " " + st.Bold.Render(title)
	sub := "\n" + st.Muted.Render("This is "+bk.Name+"'s own page; openfinance does not keep your password.") + "\n"
	if m.h < 24 { // small terminal: the buttons matter more than the blurb
		sub, body = "", common.Squeeze(body, 0)
	}
	return lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 2).
		MaxWidth(max(m.w, 10)).Width(min(max(m.w-2, 10), 76)).
		Render(head + "\n" + sub + body)
}

func (m *Model) loginView() string {
	st := m.c.Styles
	demo := m.Bank().DemoCredentials(m.c.User.UserName)
	fields := m.form.view(func(focused bool) func(string) string {
		if focused {
			return func(s string) string { return st.Cursor.Render(s) }
		}
		return func(s string) string { return st.Muted.Render(s) }
	})
	hint := fmt.Sprintf("Demo credentials: user %s · password %s", demo.User, demo.Password)
	if demo.OTP != "" {
		hint += " · code " + demo.OTP
	}
	body := fields + "\n" + st.Warn.Render(hint) + "\n" + st.Muted.Render("ctrl+f fills them in · tab next field · enter signs in")
	if m.form.err != "" {
		body += "\n" + st.Error.Render(m.form.err)
	}
	return m.bankBox("Sign in", body)
}

func (m *Model) approveView() string {
	st := m.c.Styles
	req := m.Request()
	if m.session != nil {
		req.Permissions = m.session.Permissions
	}
	var b strings.Builder
	b.WriteString("openfinance asks to see, until " + m.c.Now().Add(req.ValidFor).Format("2 Jan 2006") + ":\n")
	if m.session != nil && !m.session.ExpiresAt.IsZero() {
		b.Reset()
		b.WriteString("openfinance asks to see, until " + m.session.ExpiresAt.Format("2 Jan 2006") + ":\n")
	}
	for _, p := range req.Permissions {
		b.WriteString("  • " + banks.Describe(p) + "\n")
	}
	b.WriteString("  • transactions since " + req.HistoryFrom.Format("2 Jan 2006") + "\n\n")
	b.WriteString("Signed in as " + st.Bold.Render(m.form.credentials().User) + ".\n\n")
	b.WriteString(st.ActiveButton.Render("a  Approve") + "   " + st.Button.Render("x  Reject"))
	return m.bankBox("Consent request", b.String())
}

func (m *Model) syncView() string {
	st := m.c.Styles
	var b strings.Builder
	if m.step == StepDone {
		b.WriteString(st.Good.Render("✓ "+m.Bank().Name+" is linked.") + " " + m.summary() + "\n\n")
	} else {
		b.WriteString("Consent approved. openfinance now fetches what you agreed to share:\n\n")
	}
	barW := common.Clamp(m.w-44, 10, 40)
	for _, r := range m.sync.resources {
		icon := m.spin.View()
		if r.finished {
			icon = st.Good.Render("✓")
		}
		pct := 0.0
		switch {
		case r.finished:
			pct = 1
		case r.total > 0:
			pct = float64(r.done) / float64(r.total)
		}
		count := ""
		switch {
		case r.count > 0:
			count = common.Count(r.count) + " fetched"
		case r.total > 0:
			count = common.Count(r.done) + " of " + common.Count(r.total)
		case r.finished:
			count = "none"
		}
		if r.name == "insights" && r.finished {
			count = "recomputed"
		}
		b.WriteString(icon + " " + common.Fit(r.name, 13) + bars.Progress(pct, barW, st.Cursor, st.BarEmpty) + " " + st.Muted.Render(count) + "\n")
	}
	if m.step == StepDone {
		b.WriteString("\n" + st.ActiveButton.Render("See your accounts") + st.Muted.Render("  enter"))
	}
	return b.String()
}

func (m *Model) summary() string {
	var acc, prod, tx, fresh int
	for _, r := range m.sync.reports {
		acc, prod, tx, fresh = acc+r.Accounts, prod+r.Products, tx+r.Transactions, fresh+r.New
	}
	return fmt.Sprintf("%s accounts, %s loans and mortgages, %s transactions (%s new).",
		common.Count(acc), common.Count(prod), common.Count(tx), common.Count(fresh))
}

func (m *Model) failedView() string {
	st := m.c.Styles
	title := st.ErrorTitle.Render("✗ " + stepTitles[m.step])
	retry := "try again"
	back := "choose another bank"
	if m.step == StepRejected {
		retry = "review the request again"
	} else if m.failedAt == StepSync {
		back = "close (the bank stays linked; r syncs later)"
	}
	return title + "\n\n" + lipgloss.NewStyle().Width(max(min(m.w, 90), 10)).Render(m.failure) + "\n\n" +
		st.Key.Render("enter") + st.Muted.Render(" "+retry+"   ") + st.Key.Render("esc") + st.Muted.Render(" "+back)
}
