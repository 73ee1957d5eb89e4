package gen_test

import (
	"math"
	"testing"

	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// TestMillionTransactionKnobs checks the benchmark configuration adds up to
// a million transactions by counting them, without making them; a sample
// of accounts is generated to show the count is what generation makes.
func TestMillionTransactionKnobs(t *testing.T) {
	size := gen.MillionSize()
	if n := size.Nominal(); n != 1_050_000 {
		t.Fatalf("nominal %d", n)
	}
	total, accounts := 0, 0
	for i := 1; i <= size.Customers; i++ {
		c, err := gen.NewCustomer(0, "green-bank", gen.GeneratedLogin(i), today(), size)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Accounts) != size.AccountsPerCustomer {
			t.Fatalf("%s has %d accounts", c.Login, len(c.Accounts))
		}
		for _, a := range c.Accounts {
			n := c.CountTransactions(a.ID)
			total += n
			accounts++
			if i%500 == 1 {
				if got := len(c.Transactions(a.ID)); got != n {
					t.Fatalf("%s %s: generated %d, counted %d", c.Login, a.ID, got, n)
				}
				if math.Abs(float64(n-size.TxPerAccount)) > 0.4*float64(size.TxPerAccount) {
					t.Fatalf("%s %s: %d transactions for a target of %d", c.Login, a.ID, n, size.TxPerAccount)
				}
			}
		}
	}
	if accounts != 5000 || total < 1_000_000 || math.Abs(float64(total)-1_050_000) > 0.01*1_050_000 {
		t.Fatalf("%d accounts, %d transactions", accounts, total)
	}
	t.Logf("%d accounts, %d transactions", accounts, total)
}
