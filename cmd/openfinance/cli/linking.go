package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
)

// linkingCmds are the consent and sync commands: link, sync, consents,
// revoke, transactions, insights, audit, erase.
func (e *env) linkingCmds() []*cobra.Command {
	return []*cobra.Command{
		e.linkCmd(), e.syncCmd(), e.consentsCmd(), e.revokeCmd(),
		e.transactionsCmd(), e.insightsCmd(), e.auditCmd(), e.eraseCmd(),
	}
}

type linkFlags struct {
	user, bank, bankUser, bankPassword, bankOTP, perms string
	days, historyMonths                                int
	yes, noSync, asJSON                                bool
}

// linkResult is what link prints with --json.
type linkResult struct {
	User        string       `json:"user"`
	BankID      string       `json:"bank_id"`
	Bank        string       `json:"bank"`
	ConsentID   string       `json:"consent_id"`
	Status      string       `json:"status"`
	Permissions []string     `json:"permissions"`
	ExpiresAt   time.Time    `json:"expires_at"`
	HistoryFrom time.Time    `json:"history_from"`
	Sync        []syncResult `json:"sync,omitempty"`
}

func (e *env) linkCmd() *cobra.Command {
	var f linkFlags
	cmd := &cobra.Command{
		Use:   "link",
		Short: "Link a bank: consent, log in at the bank, approve, first sync",
		Long: "link creates a consent at the bank (which data, for how long), logs you in at the bank\n" +
			"and approves it, stores the tokens (encrypted) and runs the first sync.\n\n" +
			"On a terminal it asks for the bank login and shows what is shared. In scripts pass\n" +
			"--bank-user/--bank-password (and --bank-otp where the bank asks) or --yes: with the\n" +
			"embedded banks --yes alone logs in with the bank's published demo credentials.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.bank == "" {
				return bad("--bank is required: a bank id or name (openfinance banks lists them)")
			}
			if f.days < 0 || f.days > 365 {
				return bad("--days must be between 1 and 365, not %d", f.days)
			}
			if f.historyMonths < 0 || f.historyMonths > 120 {
				return bad("--history-months must be between 1 and 120, not %d", f.historyMonths)
			}
			p, interactive := e.terminal()
			scripted := f.yes || (f.bankUser != "" && f.bankPassword != "")
			if !interactive && !scripted {
				return bad("no terminal to ask for the bank login on: pass --yes (demo credentials) or --bank-user and --bank-password")
			}
			return e.withHub(cmd, func(ctx context.Context, h *hub.Hub) error {
				return e.link(ctx, h, f, p)
			})
		},
	}
	fl := cmd.Flags()
	addUserFlag(cmd, &f.user)
	fl.StringVar(&f.bank, "bank", "", "the bank to link (id or name)")
	fl.StringVar(&f.bankUser, "bank-user", "", "your user name at the bank")
	fl.StringVar(&f.bankPassword, "bank-password", "", "your password at the bank (prefer the prompt: flags show in ps)")
	fl.StringVar(&f.bankOTP, "bank-otp", "", "the one-time code, at banks that ask for one")
	fl.StringVar(&f.perms, "permissions", "", "comma-separated permissions to grant (default: "+strings.Join(banks.DefaultPermissions(), ",")+")")
	fl.IntVar(&f.days, "days", 0, "how many days the consent lasts (default 90)")
	fl.IntVar(&f.historyMonths, "history-months", 0, "how many months of transactions to share (default 12)")
	fl.BoolVarP(&f.yes, "yes", "y", false, "approve without asking (demo credentials unless --bank-user is given)")
	fl.BoolVar(&f.noSync, "no-sync", false, "do not run the first sync")
	addJSONFlag(cmd, &f.asJSON)
	return cmd
}

func (e *env) link(ctx context.Context, h *hub.Hub, f linkFlags, p *prompter) error {
	u, err := e.user(ctx, h.App(), f.user)
	if err != nil {
		return err
	}
	b, err := h.Bank(f.bank)
	if err != nil {
		return bad("%v", err)
	}
	req := hub.LinkRequest{BankID: b.ID, ValidFor: time.Duration(f.days) * 24 * time.Hour}
	if f.perms != "" {
		for _, x := range strings.Split(f.perms, ",") {
			if x = strings.TrimSpace(x); x != "" {
				req.Permissions = append(req.Permissions, x)
			}
		}
	}
	if f.historyMonths > 0 {
		req.HistoryFrom = h.Now().AddDate(0, -f.historyMonths, 0)
	}
	ls, err := h.StartLink(ctx, u, req)
	if err != nil {
		return userErr(err)
	}
	fmt.Fprintf(e.Err, "%s asks you to share, until %s:\n", b.Name, ls.ExpiresAt.Local().Format("2 Jan 2006"))
	for _, d := range ls.Describe() {
		fmt.Fprintf(e.Err, "  - %s\n", d)
	}
	fmt.Fprintf(e.Err, "  with transactions since %s.\n", ls.HistoryFrom.Local().Format("2 Jan 2006"))

	cons, err := e.approve(ctx, h, ls, f, p)
	if err != nil {
		return userErr(err)
	}
	res := linkResult{User: u.UserName, BankID: b.ID, Bank: b.Name, ConsentID: cons.ConsentId, Status: cons.Status,
		Permissions: cons.Permissions, ExpiresAt: cons.ExpiresAt, HistoryFrom: ls.HistoryFrom}
	if cons.Status != model.ConsentAuthorised {
		fmt.Fprintf(e.Err, "You rejected the consent: nothing is shared with openfinance.\n")
		if f.asJSON {
			return printJSON(e.Out, res)
		}
		return nil
	}
	fmt.Fprintf(e.Err, "Linked %s for %s.\n", b.Name, u.UserName)
	var syncErr error
	if !f.noSync {
		var reps []hub.SyncReport
		reps, syncErr = h.Sync(ctx, u, b.ID, e.progressPrinter(h, p != nil))
		res.Sync = syncResults(reps)
		syncErr = e.reportSync(reps, syncErr)
	}
	if f.asJSON {
		if err := printJSON(e.Out, res); err != nil {
			return err
		}
	} else if len(res.Sync) > 0 {
		printSyncTable(e, res.Sync)
	}
	return syncErr
}

// approve gets the credentials (flags, demo credentials or the prompt) and
// completes the link; on a terminal a wrong password may be typed again.
func (e *env) approve(ctx context.Context, h *hub.Hub, ls *hub.LinkSession, f linkFlags, p *prompter) (model.Consent, error) {
	b := ls.Bank
	cred := hub.Credentials{User: f.bankUser, Password: f.bankPassword, OTP: f.bankOTP}
	scripted := f.yes || (f.bankUser != "" && f.bankPassword != "")
	if scripted {
		if cred.User == "" && cred.Password == "" {
			if b.DemoPassword == "" {
				return model.Consent{}, bad("%s publishes no demo credentials: pass --bank-user and --bank-password", b.Name)
			}
			cred = b.DemoCredentials(ls.User.UserName)
		}
		if ls.AsksOTP && cred.OTP == "" {
			if b.DemoOTP == "" {
				return model.Consent{}, bad("%s asks for a one-time code: pass --bank-otp", b.Name)
			}
			cred.OTP = b.DemoOTP
		}
		return h.CompleteLink(ctx, ls, cred, true)
	}
	demo := b.DemoCredentials(ls.User.UserName)
	if demo.Password != "" {
		hint := "demo login: " + demo.User + " / " + demo.Password
		if ls.AsksOTP {
			hint += ", code " + demo.OTP
		}
		fmt.Fprintf(e.Err, "(%s)\n", hint)
	}
	for try := 1; ; try++ {
		var err error
		if cred.User, err = p.line("User name at "+b.Name, demo.User); err != nil {
			return model.Consent{}, err
		}
		if cred.Password, err = p.secret("Password"); err != nil {
			return model.Consent{}, err
		}
		if ls.AsksOTP {
			if cred.OTP, err = p.line(b.Name+" sent a one-time code; type it", ""); err != nil {
				return model.Consent{}, err
			}
		}
		approve := p.confirm("Share this with openfinance?")
		cons, err := h.CompleteLink(ctx, ls, cred, approve)
		var le *bankapi.LoginError
		if errors.As(err, &le) && try < 3 {
			fmt.Fprintf(e.Err, "%s. Try again.\n", le.Error())
			continue
		}
		return cons, err
	}
}
