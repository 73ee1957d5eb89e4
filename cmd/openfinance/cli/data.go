package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
)

func (e *env) usersCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "users",
		Short: "List users",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withApp(cmd, func(ctx context.Context, a *app.App) error {
				users, err := a.Store.ListUsers(ctx)
				if err != nil {
					return err
				}
				if e.opts.Identity != "" {
					users = only(users, func(u model.User) bool { return u.UserName == e.opts.Identity })
				}
				if asJSON {
					return printDocs(e.Out, users)
				}
				t := newTable(e.Out, "USER", "NAME", "ID", "SOURCE")
				for _, u := range users {
					t.row(u.UserName, dash(u.FullName), u.ID.Hex(), dash(u.Source))
				}
				return t.flush()
			})
		},
	}
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func (e *env) accountsCmd() *cobra.Command {
	var user, bank string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "List a user's external accounts",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withApp(cmd, func(ctx context.Context, a *app.App) error {
				u, err := e.user(ctx, a, user)
				if err != nil {
					return err
				}
				accs, err := a.Store.Accounts(ctx, u, bankName(bank))
				if err != nil {
					return err
				}
				if asJSON {
					return printDocs(e.Out, accs)
				}
				t := newTable(e.Out, "BANK", "ACCOUNT", "TYPE", "STATUS", "BALANCE", "CURRENCY")
				for _, x := range accs {
					t.row(x.AccountBank, maskNumber(x.AccountId), dash(x.AccountType), dash(x.AccountStatus), x.AccountBalance, x.Currency())
				}
				return t.flush()
			})
		},
	}
	addUserFlag(cmd, &user)
	cmd.Flags().StringVar(&bank, "bank", "", "only this bank (id or name)")
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func (e *env) productsCmd() *cobra.Command {
	var user, bank, typ string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "products",
		Short: "List a user's loans, mortgages and other products",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withApp(cmd, func(ctx context.Context, a *app.App) error {
				u, err := e.user(ctx, a, user)
				if err != nil {
					return err
				}
				ps, err := a.Store.Products(ctx, u, bankName(bank), productType(typ))
				if err != nil {
					return err
				}
				if asJSON {
					return printDocs(e.Out, ps)
				}
				t := newTable(e.Out, "BANK", "PRODUCT", "TYPE", "AMOUNT", "CURRENCY", "RATE %", "TERM (MONTHS)")
				for _, p := range ps {
					t.row(p.ProductBank, p.ProductId, p.ProductType, p.ProductAmount, p.Currency(), p.ProductInterestRate, p.TermMonths())
				}
				return t.flush()
			})
		},
	}
	addUserFlag(cmd, &user)
	cmd.Flags().StringVar(&bank, "bank", "", "only this bank (id or name)")
	cmd.Flags().StringVar(&typ, "type", "", "only this product type (Loan, Mortgage, ...)")
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func (e *env) positionCmd() *cobra.Command {
	var user, currency string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "position",
		Short: "Show a user's total balance, total debt and net worth",
		Long: "position sums the user's external account balances and the amounts of their Loan and\n" +
			"Mortgage products, converted to one currency with the rates in fx_rates.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cur := strings.ToUpper(currency)
			if len(cur) != 3 {
				return bad("--currency %q is not a three-letter currency code", currency)
			}
			return e.withApp(cmd, func(ctx context.Context, a *app.App) error {
				u, err := e.user(ctx, a, user)
				if err != nil {
					return err
				}
				p, err := insights.ComputePosition(ctx, a.Store, u, cur)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(e.Out, p)
				}
				t := newTable(e.Out, "BANK", "BALANCE", "DEBT")
				for _, b := range p.ByBank {
					t.row(b.Bank, b.Balance, b.Debt)
				}
				t.row("TOTAL "+p.Currency, p.TotalBalance, p.TotalDebt)
				t.row("NET WORTH", p.NetWorth, "")
				return t.flush()
			})
		},
	}
	addUserFlag(cmd, &user)
	cmd.Flags().StringVar(&currency, "currency", "USD", "base currency")
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return bad("unexpected argument %q", args[0])
	}
	return nil
}

func only[T any](in []T, keep func(T) bool) []T {
	out := []T{}
	for _, x := range in {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// maskNumber shows only the last four characters of an account number.
func maskNumber(s string) string {
	if len(s) <= 4 {
		return s
	}
	return "••••" + s[len(s)-4:]
}

// productType accepts any case of a known type.
func productType(s string) string {
	for _, t := range []string{model.ProductLoan, model.ProductMortgage} {
		if strings.EqualFold(s, t) {
			return t
		}
	}
	return s
}
