package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/hub"
)

// revokeResult is what revoke prints with --json.
type revokeResult struct {
	User       string         `json:"user"`
	Bank       string         `json:"bank"`
	Consents   int            `json:"consents_revoked"`
	Erased     map[string]int `json:"erased"`
	BankNotice string         `json:"bank_notice,omitempty"`
}

func (e *env) revokeCmd() *cobra.Command {
	var user, bank string
	var yes, asJSON bool
	cmd := &cobra.Command{
		Use:   "revoke",
		Short: "Revoke a bank's consent and erase that bank's data",
		Long: "revoke deletes the consent at the bank, revokes the app's tokens there, removes them\n" +
			"here and erases that bank's accounts, loans and transactions for the user.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if bank == "" {
				return bad("--bank is required: a bank id or name")
			}
			return e.withHub(cmd, func(ctx context.Context, h *hub.Hub) error {
				u, err := e.user(ctx, h.App(), user)
				if err != nil {
					return err
				}
				b, err := h.Bank(bank)
				if err != nil {
					return bad("%v", err)
				}
				if !yes {
					counts, err := h.DataCounts(ctx, u, b.ID)
					if err != nil {
						return err
					}
					what := fmt.Sprintf("This revokes %s's consent at %s and erases %s", u.UserName, b.Name, describeCounts(counts))
					if err := e.confirmDestructive(false, what); err != nil {
						return err
					}
				}
				r, err := h.RevokeDetail(ctx, u, b.ID)
				if err != nil {
					return userErr(err)
				}
				if r.BankNotice != "" {
					fmt.Fprintf(e.Err, "note: %s\n", r.BankNotice)
				}
				if asJSON {
					return printJSON(e.Out, revokeResult{User: u.UserName, Bank: r.Bank, Consents: r.Consents, Erased: r.Erased, BankNotice: r.BankNotice})
				}
				fmt.Fprintf(e.Out, "Revoked %s; erased %s.\n", r.Bank, describeCounts(r.Erased))
				return nil
			})
		},
	}
	addUserFlag(cmd, &user)
	cmd.Flags().StringVar(&bank, "bank", "", "the bank to revoke (id or name)")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func (e *env) eraseCmd() *cobra.Command {
	var user string
	var yes, asJSON bool
	cmd := &cobra.Command{
		Use:   "erase",
		Short: "Erase every document of a user (right to erasure)",
		Long: "erase revokes every consent at its bank, then removes the user and every document of\n" +
			"theirs in every collection. One audit record without personal data remains.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withHub(cmd, func(ctx context.Context, h *hub.Hub) error {
				u, err := e.user(ctx, h.App(), user)
				if err != nil {
					return err
				}
				if !yes {
					counts, err := h.DataCounts(ctx, u, "")
					if err != nil {
						return err
					}
					what := fmt.Sprintf("This revokes every consent of %s and erases all their data: %s", u.UserName, describeCounts(counts))
					if err := e.confirmDestructive(false, what); err != nil {
						return err
					}
				}
				counts, err := h.EraseUser(ctx, u)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(e.Out, map[string]any{"user": u.UserName, "erased": counts})
				}
				fmt.Fprintf(e.Out, "Erased %s: %s.\n", u.UserName, describeCounts(counts))
				return nil
			})
		},
	}
	addUserFlag(cmd, &user)
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	addJSONFlag(cmd, &asJSON)
	return cmd
}

// describeCounts says "3 external_accounts, 120 transactions" in a stable order.
func describeCounts(m map[string]int) string {
	var parts []string
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
		}
	}
	if len(parts) == 0 {
		return "no documents"
	}
	return strings.Join(parts, ", ")
}
