package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/cmd/openfinance/bench"
)

// benchCmds is the scale harness (issue 8).
func (e *env) benchCmds() []*cobra.Command { return []*cobra.Command{e.benchCmd()} }

type benchFlags struct {
	preset                                    string
	customers, accounts, transactions, months int
	sessions                                  int
	seed                                      int64
	json                                      bool
}

func (e *env) benchCmd() *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure sync, insights, TUI and SSH at scale against the performance budgets",
		Long: "Start the emulated banks in-process with generated customers, link and sync them into a fresh\n" +
			"store (a temporary embedded database, or a scratch database on --mongo-uri that is dropped at\n" +
			"the end), then measure: sync throughput next to a raw InsertMany of the same documents, the\n" +
			"insights of a user with 10k transactions, every TUI pane's frame and the first frame, the\n" +
			"memory of idle SSH sessions and the process's peak RSS. Each budget is a PASS or FAIL line;\n" +
			"the exit status is 0 whenever the harness ran.\n\n" +
			"Presets: small (the 10k user only), medium (100k transactions: the 10k user and one of 90k),\n" +
			"large (about 1M: the 10k user and ten of 99k). --customers, --accounts, --transactions and\n" +
			"--months replace the preset's bulk users: that many app users, each linking one generated\n" +
			"customer at every bank (accounts per bank, transactions per account, months of history).",
		Example: "  openfinance bench --preset small\n" +
			"  openfinance bench --preset medium --json\n" +
			"  openfinance bench --customers 3 --accounts 4 --transactions 1000 --sessions 20",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.localOnly(); err != nil {
				return err
			}
			cfg, err := e.benchConfig(cmd, f)
			if err != nil {
				return err
			}
			rep, err := bench.Run(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			if f.json {
				return printJSON(e.Out, rep)
			}
			return rep.WriteTable(e.Out)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.preset, "preset", "small", "size: "+strings.Join(bench.PresetNames(), ", "))
	fl.IntVar(&f.customers, "customers", 0, "bulk users (one generated customer each, linked at every bank); default: the preset's")
	fl.IntVar(&f.accounts, "accounts", 0, "deposit accounts per bulk customer at each bank; default: the preset's")
	fl.IntVar(&f.transactions, "transactions", 0, "transactions per account of a bulk customer; default: the preset's, else 1000")
	fl.IntVar(&f.months, "months", 0, "months of history of a bulk customer; default: the preset's, else 12")
	fl.IntVar(&f.sessions, "sessions", 0, "SSH sessions to open; default: the preset's (10, 50, 100)")
	fl.Int64Var(&f.seed, "seed", 0, "seed of the generated data (0 = the banks' default)")
	addJSONFlag(cmd, &f.json)
	return cmd
}

// benchConfig turns the flags into the harness's configuration; every
// mistake is bad input (exit 2).
func (e *env) benchConfig(cmd *cobra.Command, f benchFlags) (bench.Config, error) {
	p, err := bench.LookupPreset(f.preset)
	if err != nil {
		return bench.Config{}, bad("%v", err)
	}
	for _, k := range []struct {
		name string
		v    int
	}{{"customers", f.customers}, {"accounts", f.accounts}, {"transactions", f.transactions}, {"months", f.months}, {"sessions", f.sessions}} {
		if k.v < 0 {
			return bench.Config{}, bad("--%s must not be negative, not %d", k.name, k.v)
		}
	}
	changed := cmd.Flags().Changed
	if changed("customers") {
		p.Bulk.Customers = f.customers
	}
	if changed("accounts") {
		p.Bulk.AccountsPerCustomer = f.accounts
	}
	if changed("transactions") {
		p.Bulk.TxPerAccount = f.transactions
	}
	if changed("months") {
		p.Bulk.Months = f.months
	}
	if p.Bulk.Customers > 0 && p.Bulk.TxPerAccount == 0 {
		p.Bulk.TxPerAccount = 1000 // a preset without bulk users (small)
	}
	if p.Bulk.Customers > 0 && p.Bulk.Months == 0 {
		p.Bulk.Months = 12
	}
	if changed("customers") || changed("accounts") || changed("transactions") || changed("months") {
		p.Name += "+knobs"
	}
	if changed("sessions") {
		p.Sessions = f.sessions
	}
	cfg := bench.Config{
		Preset: p, MongoURI: e.flags.mongoURI, Seed: f.seed, SessionModel: sessionTUI,
		Progress: e.Err, LogFile: e.flags.logFile,
	}
	// Only an explicit --data-dir: OPENFINANCE_DATA_DIR names the user's
	// real data, which the bench must never add users to.
	if cmd.Flags().Changed("data-dir") {
		cfg.DataDir = e.flags.dataDir
		if err := bench.CheckDataDir(cfg.DataDir); err != nil {
			return bench.Config{}, bad("%v", err)
		}
	}
	if err := cfg.Validate(); err != nil {
		return bench.Config{}, bad("%v", err)
	}
	return cfg, nil
}
