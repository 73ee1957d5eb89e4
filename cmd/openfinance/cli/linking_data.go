package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

func (e *env) transactionsCmd() *cobra.Command {
	var user, bank, month, category, text string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "transactions",
		Short: "List a user's transactions, newest first",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if month != "" {
				if _, err := time.Parse("2006-01", month); err != nil {
					return bad("--month %q is not a month: use YYYY-MM, e.g. 2026-03", month)
				}
			}
			if limit < 0 {
				return bad("--limit must be 0 (all) or more, not %d", limit)
			}
			return e.withHub(cmd, func(ctx context.Context, h *hub.Hub) error {
				u, err := e.user(ctx, h.App(), user)
				if errors.Is(err, store.ErrUnknownUser) && asJSON {
					// A user with no document anywhere (never created, or
					// erased) has no transactions: scripts get an empty list,
					// and the exit code still says the name is unknown.
					_ = printDocs(e.Out, []model.Transaction{})
				}
				if err != nil {
					return err
				}
				f := hub.TxFilter{Bank: bankFlag(bank), Month: month, Category: canonicalCategory(category), Text: text, Limit: limit}
				// The list comes from the transaction buckets (read by
				// _id), not from a query over every stored transaction.
				all, err := h.TransactionRows(ctx, u)
				if err != nil {
					return err
				}
				rows := h.FilterRows(all, f)
				if asJSON {
					// Whole documents: by _id while few, else one scan.
					var txs []model.Transaction
					if len(rows) <= hub.DocLookupMax {
						txs, err = h.TransactionDocs(ctx, u, rows)
					} else {
						txs, err = h.Transactions(ctx, u, f)
					}
					if err != nil {
						return err
					}
					return printDocs(e.Out, txs)
				}
				t := newTable(e.Out, "DATE", "BANK", "ACCOUNT", "AMOUNT", "CURRENCY", "CATEGORY", "MERCHANT", "STATUS")
				for _, x := range rows {
					t.row(x.BookingDate.Format("2006-01-02"), x.TransactionBank, maskNumber(x.TransactionAccountId), x.Amount, x.Currency, x.Category, dash(x.Merchant), x.Status)
				}
				return t.flush()
			})
		},
	}
	addUserFlag(cmd, &user)
	fl := cmd.Flags()
	fl.StringVar(&bank, "bank", "", "only this bank (id or name)")
	fl.StringVar(&month, "month", "", "only this month (YYYY-MM)")
	fl.StringVar(&category, "category", "", "only this category ("+strings.Join(bankapi.Categories(), ", ")+")")
	fl.StringVar(&text, "text", "", "only those whose merchant, description or category contains this")
	fl.IntVar(&limit, "limit", 0, "at most this many (0 = all)")
	addJSONFlag(cmd, &asJSON)
	return cmd
}

// canonicalCategory spells a category as stored when it names one of the
// common list in another case; anything else passes unchanged.
func canonicalCategory(c string) string {
	for _, k := range bankapi.Categories() {
		if strings.EqualFold(k, strings.TrimSpace(c)) {
			return k
		}
	}
	return c
}

func (e *env) insightsCmd() *cobra.Command {
	var user string
	var recompute, rebuild, asJSON bool
	cmd := &cobra.Command{
		Use:   "insights",
		Short: "Show a user's insights: position, loans, cash flow, spending, merchants, recurring payments",
		Long: `Show a user's insights: position, loans, cash flow, spending, merchants, recurring payments.

The insights are computed when a sync ends and stored; --recompute computes
them again from the stored data. They are read from the transaction buckets
(collection transaction_months), which the sync and the import keep; for
transactions written some other way (by hand, by an older version), add
--rebuild to build the user's buckets again from the transactions collection
first (one full scan of it) — the transaction lists read the same buckets.`,
		Example: "  openfinance insights --user alice\n  openfinance insights --user alice --recompute --rebuild",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if rebuild && !recompute {
				return bad("--rebuild goes with --recompute: openfinance insights --recompute --rebuild")
			}
			return e.withHub(cmd, func(ctx context.Context, h *hub.Hub) error {
				u, err := e.user(ctx, h.App(), user)
				if err != nil {
					return err
				}
				get := h.Insights
				switch {
				case rebuild:
					get = h.RebuildInsights
				case recompute:
					get = h.RecomputeInsights
				}
				in, err := get(ctx, u)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(e.Out, in)
				}
				p := in.Position
				t := newTable(e.Out, "INSIGHT", "VALUE")
				t.row("total balance ("+in.Currency+")", p.TotalBalance)
				t.row("total debt ("+in.Currency+")", p.TotalDebt)
				t.row("net worth ("+in.Currency+")", p.NetWorth)
				t.row("monthly repayments ("+in.Currency+")", in.MonthlyDebt)
				if n := len(in.CashFlow); n > 0 {
					m := in.CashFlow[n-1]
					t.row("cash flow "+m.Month+" (in / out / net)", fmt.Sprintf("%s / %s / %s", money(m.Income), money(m.Spending), money(m.Net)))
				}
				for i, m := range in.TopMerchants {
					if i == 5 {
						break
					}
					t.row(fmt.Sprintf("top merchant %d", i+1), fmt.Sprintf("%s %s", m.Merchant, money(m.Amount)))
				}
				t.row("recurring payments", len(in.Recurring))
				t.row("transactions", in.Transactions)
				t.row("computed at", in.ComputedAt.Local().Format("2006-01-02 15:04"))
				return t.flush()
			})
		},
	}
	addUserFlag(cmd, &user)
	cmd.Flags().BoolVar(&recompute, "recompute", false, "recompute from the stored data first")
	cmd.Flags().BoolVar(&rebuild, "rebuild", false, "with --recompute: rebuild the transaction buckets from the transactions first (one full scan)")
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func (e *env) auditCmd() *cobra.Command {
	var user string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show a user's audit trail: consents granted and revoked, syncs, erasures",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 0 {
				return bad("--limit must be 0 (all) or more, not %d", limit)
			}
			return e.withHub(cmd, func(ctx context.Context, h *hub.Hub) error {
				u, err := e.user(ctx, h.App(), user)
				if err != nil {
					return err
				}
				evs, err := h.Audit(ctx, u, limit)
				if err != nil {
					return err
				}
				if asJSON {
					return printDocs(e.Out, evs)
				}
				t := newTable(e.Out, "TIME", "ACTION", "BANK", "OUTCOME", "DETAIL")
				for _, x := range evs {
					t.row(x.Time.Local().Format("2006-01-02 15:04:05"), x.Action, dash(x.BankId), x.Outcome, dash(x.Detail))
				}
				return t.flush()
			})
		},
	}
	addUserFlag(cmd, &user)
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many, newest first (0 = all)")
	addJSONFlag(cmd, &asJSON)
	return cmd
}
