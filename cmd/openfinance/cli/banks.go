package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// bankCmds are the commands about the emulated banks: banks, mockbank serve.
func (e *env) bankCmds() []*cobra.Command {
	return []*cobra.Command{e.banksCmd(), e.mockbankCmd()}
}

// bankListing is one line of `banks --json`.
type bankListing struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Style       string `json:"api_style"`
	Description string `json:"description"`
	Color       string `json:"color"`
	Currency    string `json:"currency"`
}

func (e *env) banksCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "banks",
		Short: "List the banks you can link",
		Long: "List the banks openfinance can link: the emulated banks of the offline demo, each with\n" +
			"its own API shape. Wherever a command takes --bank, the id and the name both work.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat := mockbank.Catalog()
			if asJSON {
				out := make([]bankListing, 0, len(cat))
				for _, i := range cat {
					out = append(out, bankListing{ID: i.ID, Name: i.Name, Style: string(i.Style), Description: i.Description,
						Color: i.Color, Currency: i.Currency})
				}
				return printJSON(e.Out, out)
			}
			t := newTable(e.Out, "ID", "NAME", "API", "CURRENCY", "SANDBOX LOGIN", "DESCRIPTION")
			for _, i := range cat {
				login := "password " + i.Password
				if i.NeedsOTP {
					login += ", code " + i.OTP
				}
				t.row(i.ID, i.Name, styleName(string(i.Style)), i.Currency, login, i.Description)
			}
			if err := t.flush(); err != nil {
				return err
			}
			_, err := fmt.Fprintf(e.Out, "\nCustomers at every bank: %s (and customer-00001... when generated).\n",
				strings.Join(mockbank.DemoCustomers(), ", "))
			return err
		},
	}
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func styleName(s string) string {
	switch s {
	case "ukob":
		return "UK Open Banking v3.1"
	case "berlingroup":
		return "Berlin Group NextGenPSD2"
	case "original":
		return "Open Finance (original)"
	}
	return s
}

func (e *env) mockbankCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mockbank",
		Short: "Run the emulated banks on their own",
	}
	cmd.AddCommand(e.mockbankServeCmd())
	return cmd
}

func (e *env) mockbankServeCmd() *cobra.Command {
	var (
		addr, stateDir string
		faults         []string
		seed           int64
		size           mockbank.Size
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve every emulated bank under one address until interrupted",
		Long: "Serve every emulated bank under one address, a path prefix per bank, and print each\n" +
			"bank's base URL. Nothing else is opened: no database, no data directory lock.\n\n" +
			"Faults: --fault BANK:key=value,... with latency=200ms, error_rate=0.2, malformed_rate=0.1,\n" +
			"token_ttl=5s, rate_limit=5, retry_after=2, fail_page=3 (repeat the flag for more banks).",
		Example: "  openfinance mockbank serve --addr 127.0.0.1:8003\n" +
			"  openfinance mockbank serve --fault green-bank:fail_page=3 --fault rhein-bank:latency=300ms\n" +
			"  openfinance mockbank serve --customers 2500 --accounts 2 --transactions 210   # about 1.05 million transactions",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if e.opts.Identity != "" {
				return bad("mockbank serve is not available in this session")
			}
			if err := size.Validate(); err != nil {
				return bad("%w", err)
			}
			fs, err := mockbank.ParseFaults(strings.Join(faults, ";"))
			if err != nil {
				return bad("--fault: %w", err)
			}
			logger, closer, err := app.OpenLog(e.flags.logFile)
			if err != nil {
				return err
			}
			if closer != nil {
				defer closer.Close()
			}
			ctx := cmd.Context()
			srv, err := mockbank.Start(ctx, addr, mockbank.Options{StateDir: stateDir, Seed: seed, Size: size,
				Faults: fs, Logger: logger.WithPrefix("mockbank")})
			if err != nil {
				return err
			}
			defer func() {
				cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_ = srv.Close(cctx)
			}()
			tw := tabwriter.NewWriter(e.Out, 0, 0, 2, ' ', 0)
			for _, b := range srv.Directory().All() {
				fmt.Fprintf(tw, "%s\t%s\n", b.Name, b.BaseURL)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(e.Err, "Serving %d banks at %s (index at %s/); interrupt to stop.\n", len(mockbank.Catalog()), srv.URL(), srv.URL())
			<-ctx.Done()
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8003", "address to listen on")
	f.StringArrayVar(&faults, "fault", nil, "faults for a bank: BANK:key=value,... (repeatable)")
	f.Int64Var(&seed, "seed", 0, "seed of the generated data (0 = the default)")
	f.IntVar(&size.Customers, "customers", 0, "generated customers besides the demo people (customer-00001...)")
	f.IntVar(&size.AccountsPerCustomer, "accounts", 0, "deposit accounts per generated customer (0 = 2)")
	f.IntVar(&size.TxPerAccount, "transactions", 0, "transactions per account of generated customers (0 = the demo mix)")
	f.IntVar(&size.Months, "months", 0, "months of transaction history (0 = 13)")
	f.StringVar(&stateDir, "state-dir", "", "keep consents and tokens in this directory (default: in memory)")
	return cmd
}
