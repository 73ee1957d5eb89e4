// Package bench is openfinance's scale harness (issue 8): it starts the
// emulated banks in-process with size knobs, creates app users, links and
// syncs them into the store (the embedded FerretDB or a MongoDB), then
// measures ingest against the engine's own floor, insights, the TUI's
// frames and the SSH server's memory per session, and checks each figure
// against its budget.
//
// It reads the product only through its public APIs (hub, insights,
// store, tui, sshserver), so the product's internals can change under it.
//
// How the data is built. Every bank serves the same generated customers
// (customer-00001…), each with the same number of accounts and
// transactions per account, so a user's size is chosen by which server
// and customer they link: the "heavy" server has one customer who, linked
// at all four banks, holds about 10k transactions (the user the insights
// budgets speak of, in every preset); the "bulk" server has the customers
// who make up the rest of the preset's volume, each linked at all four
// banks by an app user of their own. The TUI's panes are measured on the
// largest user, its first frame on the 10k user.
package bench

import (
	"fmt"
	"io"
	"strings"

	"github.com/openfinance-tui/openfinance/mockbank"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
	"github.com/openfinance-tui/openfinance/tui/sshserver"
)

// HeavyTransactions is the size of the user the insights budgets are
// stated for.
const HeavyTransactions = 10_000

// Preset is a named size.
type Preset struct {
	Name string
	// Heavy is the size at the server of the 10k user (one customer).
	Heavy mockbank.Size
	// Bulk is the size at the server of the other users (one app user per
	// generated customer); Customers 0 = none.
	Bulk mockbank.Size
	// Sessions is how many SSH sessions are opened.
	Sessions int
	// Runs is how many times each cheap-enough measurement is repeated
	// (the report keeps the median).
	Runs int
	// IngestPairs is how many sync/raw InsertMany pairs the ingest ratio
	// is the median of (see measureIngest); 0 = Runs.
	IngestPairs int
}

// heavySize is one customer with two accounts at each of the four banks:
// 4 × 2 × 1,250 = 10,000 transactions over 12 months.
func heavySize() mockbank.Size {
	return mockbank.Size{Customers: 1, AccountsPerCustomer: 2, TxPerAccount: 1250, Months: 12}
}

// Presets are the named sizes, smallest first.
func Presets() []Preset {
	return []Preset{
		// Only the 10k user: quick enough for the acceptance check.
		{Name: "small", Heavy: heavySize(), Sessions: 10, Runs: 3, IngestPairs: 5},
		// 10k + one user with 4 × 10 × 2,250 = 90k: 100k in all.
		{Name: "medium", Heavy: heavySize(), Bulk: mockbank.Size{Customers: 1, AccountsPerCustomer: 10, TxPerAccount: 2250, Months: 12},
			Sessions: 50, Runs: 3, IngestPairs: 5},
		// 10k + ten users of 4 × 10 × 2,475 = 99k: about 1M in all.
		{Name: "large", Heavy: heavySize(), Bulk: mockbank.Size{Customers: 10, AccountsPerCustomer: 10, TxPerAccount: 2475, Months: 12},
			Sessions: 100, Runs: 3, IngestPairs: 5},
	}
}

// PresetNames lists the presets' names.
func PresetNames() []string {
	var out []string
	for _, p := range Presets() {
		out = append(out, p.Name)
	}
	return out
}

// LookupPreset finds a preset by name.
func LookupPreset(name string) (Preset, error) {
	for _, p := range Presets() {
		if p.Name == strings.ToLower(strings.TrimSpace(name)) {
			return p, nil
		}
	}
	return Preset{}, fmt.Errorf("--preset must be one of %s, not %q", strings.Join(PresetNames(), ", "), name)
}

// Config is one run of the harness.
type Config struct {
	Preset
	// MongoURI runs against that server (in a scratch database dropped at
	// the end); empty runs the embedded engine.
	MongoURI string
	// DataDir keeps the data directory (it must be empty or absent);
	// empty uses a temporary one, removed at the end.
	DataDir string
	// Seed of the generated data; 0 = the generator's default.
	Seed int64
	// SessionModel builds the TUI of an SSH session (what `openfinance
	// serve` runs); nil = the TUI locked to the session's user.
	SessionModel sshserver.ModelFunc
	// Progress receives one line per step (stderr); nil discards.
	Progress io.Writer
	// LogFile receives the product's logs; empty discards them.
	LogFile string
	// Width and Height of the TUI measured (default 120×40).
	Width, Height int
}

// Validate reports a knob out of range, in words a user can act on.
func (c Config) Validate() error {
	if c.Sessions < 1 || c.Sessions > 1000 {
		return fmt.Errorf("--sessions must be between 1 and 1000, not %d", c.Sessions)
	}
	if c.Runs < 1 || c.Runs > 100 {
		return fmt.Errorf("the number of runs must be between 1 and 100, not %d", c.Runs)
	}
	if c.IngestPairs < 0 || c.IngestPairs > 100 {
		return fmt.Errorf("the number of ingest pairs must be between 0 (as many as runs) and 100, not %d", c.IngestPairs)
	}
	for _, s := range []mockbank.Size{c.Heavy, c.Bulk} {
		if err := s.Validate(); err != nil {
			return err
		}
	}
	if c.Heavy.Customers != 1 {
		return fmt.Errorf("the heavy server has exactly one customer, not %d", c.Heavy.Customers)
	}
	if c.Bulk.Customers > 0 && c.Bulk.Normalize().TxPerAccount == 0 {
		return fmt.Errorf("--transactions must be at least 1 when there are bulk customers")
	}
	if c.Heavy.Normalize().TxPerAccount == 0 {
		return fmt.Errorf("the heavy user needs at least one transaction per account")
	}
	return nil
}

// ingestPairs is how many sync/raw pairs measureIngest runs.
func (c Config) ingestPairs() int {
	if c.IngestPairs > 0 {
		return c.IngestPairs
	}
	return c.Runs
}

// Nominal is the number of transactions the sizes ask for in all.
func (c Config) Nominal() int64 {
	return perUser(c.Heavy) + int64(c.Bulk.Customers)*perUser(c.Bulk)
}

// perUser is what one app user linking one customer at every bank gets.
func perUser(s mockbank.Size) int64 {
	s = s.Normalize()
	return int64(len(mockbank.Catalog())) * int64(s.AccountsPerCustomer) * int64(s.TxPerAccount)
}

// login is the bank login of the i-th generated customer (1-based).
func login(i int) string { return gen.GeneratedLogin(i) }

// paneName names the dashboard's i-th pane (keys 1-7, in tui's order).
func paneName(i int) string {
	names := []string{"Overview", "Accounts", "Loans", "Transactions", "Insights", "Consents", "Activity"}
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("Pane %d", i+1)
}
