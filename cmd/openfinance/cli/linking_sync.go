package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
)

// syncResult is one bank's sync outcome as printed with --json.
type syncResult struct {
	BankID       string `json:"bank_id"`
	Bank         string `json:"bank"`
	State        string `json:"state"`
	Accounts     int    `json:"accounts"`
	Products     int    `json:"products"`
	Transactions int    `json:"transactions"`
	New          int    `json:"new_transactions"`
	Calls        int    `json:"calls"`
	DurationMS   int64  `json:"duration_ms"`
	Error        string `json:"error,omitempty"`
	// NextUnattended is, for a deferred bank, the earliest time an
	// unattended sync may reach it again.
	NextUnattended string `json:"next_unattended,omitempty"`
}

func syncResults(reps []hub.SyncReport) []syncResult {
	out := make([]syncResult, 0, len(reps))
	for _, r := range reps {
		s := syncResult{BankID: r.BankID, Bank: r.Bank, State: r.State, Accounts: r.Accounts, Products: r.Products,
			Transactions: r.Transactions, New: r.New, Calls: r.Calls, DurationMS: r.Duration.Milliseconds()}
		if r.Err != nil {
			s.Error = r.Err.Error()
		}
		if r.State == hub.StateDeferred {
			s.NextUnattended = r.Next.UTC().Format(time.RFC3339)
		}
		out = append(out, s)
	}
	return out
}

// reportSync prints per-bank failures and an insights warning to stderr and
// returns the command's error: a bank that failed fails the command.
func (e *env) reportSync(reps []hub.SyncReport, err error) error {
	var ie *hub.InsightsError
	if errors.As(err, &ie) {
		fmt.Fprintf(e.Err, "warning: %v\n", ie)
		err = nil
	}
	if err != nil {
		return userErr(err)
	}
	var failed []string
	for _, r := range reps {
		if r.Err != nil {
			failed = append(failed, r.Bank)
			fmt.Fprintf(e.Err, "%v\n", r.Err)
		}
	}
	for _, r := range reps {
		if r.State == hub.StateDeferred {
			fmt.Fprintf(e.Err, "%s was not synced: its consent's %d unattended syncs a day are used up (PSD2); the next may run after %s\n",
				r.Bank, model.DefaultFrequencyPerDay, r.Next.Local().Format("2006-01-02 15:04 MST"))
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("the sync failed at %s; what was stored before is intact", strings.Join(failed, ", "))
	}
	return nil
}

// progressPrinter reports finished resources on stderr when a person
// watches (a terminal); scripts get only the result.
func (e *env) progressPrinter(h *hub.Hub, onTerminal bool) func(hub.SyncProgress) {
	if !onTerminal {
		return nil
	}
	return func(p hub.SyncProgress) {
		if !p.Finished {
			return
		}
		if p.BankID == "" {
			fmt.Fprintf(e.Err, "  insights recomputed\n")
			return
		}
		fmt.Fprintf(e.Err, "  %s: %d %s\n", h.BankName(p.BankID), p.Count, p.Resource)
	}
}

func printSyncTable(e *env, rs []syncResult) {
	t := newTable(e.Out, "BANK", "STATE", "ACCOUNTS", "PRODUCTS", "TRANSACTIONS", "NEW", "SECONDS")
	for _, r := range rs {
		t.row(r.Bank, r.State, r.Accounts, r.Products, r.Transactions, r.New, fmt.Sprintf("%.1f", float64(r.DurationMS)/1000))
	}
	_ = t.flush()
}

func (e *env) syncCmd() *cobra.Command {
	var user, bank string
	var asJSON, unattended bool
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Pull accounts, loans and transactions from linked banks",
		Long: "sync pulls what each consent permits from every linked bank (or one, with --bank),\n" +
			"stores it idempotently and recomputes the insights. Running it again is safe.\n\n" +
			"A schedule (cron, a systemd timer) runs it with --unattended: PSD2 lets an app reach\n" +
			"your accounts without you only 4 times a day per consent, so banks whose unattended\n" +
			"syncs of the last 24 hours are used up are left out (state deferred) and it says when\n" +
			"the next may run. A sync you ask for yourself is never capped.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withHub(cmd, func(ctx context.Context, h *hub.Hub) error {
				u, err := e.user(ctx, h.App(), user)
				if err != nil {
					return err
				}
				_, onTerm := e.terminal()
				var reps []hub.SyncReport
				if unattended {
					if bank != "" {
						return bad("--unattended syncs every linked bank that may be reached; leave out --bank")
					}
					reps, err = h.SyncUnattended(ctx, u, e.progressPrinter(h, onTerm))
				} else {
					reps, err = h.Sync(ctx, u, bankFlag(bank), e.progressPrinter(h, onTerm))
				}
				if len(reps) == 0 && err == nil {
					fmt.Fprintf(e.Err, "%s has no linked bank; link one with openfinance link --user %s --bank BANK\n", u.UserName, u.UserName)
				}
				rs := syncResults(reps)
				if asJSON {
					if perr := printJSON(e.Out, rs); perr != nil {
						return perr
					}
				} else if len(rs) > 0 {
					printSyncTable(e, rs)
				}
				return e.reportSync(reps, err)
			})
		},
	}
	addUserFlag(cmd, &user)
	cmd.Flags().StringVar(&bank, "bank", "", "only this bank (id or name)")
	cmd.Flags().BoolVar(&unattended, "unattended", false, "run as a schedule would: at most 4 syncs a day per consent")
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func (e *env) consentsCmd() *cobra.Command {
	var user string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "consents",
		Short: "List a user's consents: bank, status, permissions, expiry, last sync",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withHub(cmd, func(ctx context.Context, h *hub.Hub) error {
				u, err := e.user(ctx, h.App(), user)
				if err != nil {
					return err
				}
				cs, err := h.Consents(ctx, u)
				if err != nil {
					return err
				}
				if asJSON {
					return printDocs(e.Out, cs)
				}
				t := newTable(e.Out, "BANK", "STATUS", "PERMISSIONS", "EXPIRES", "LAST SYNC")
				for _, c := range cs {
					t.row(c.Bank, c.Status, strings.Join(c.Permissions, ","), c.ExpiresAt.Local().Format("2006-01-02"), lastSync(c.LastSync))
				}
				return t.flush()
			})
		},
	}
	addUserFlag(cmd, &user)
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func lastSync(s *model.SyncState) string {
	if s == nil {
		return "-"
	}
	out := s.At.Local().Format("2006-01-02 15:04") + " " + s.State
	if s.Error != "" {
		out += ": " + s.Error
	}
	return out
}
