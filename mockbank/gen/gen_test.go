package gen_test

import (
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/mockbank/demo"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

var banks = []string{"green-bank", "mongodb-bank", "albion-bank", "rhein-bank"}

func today() time.Time { return time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC) }

func customer(t *testing.T, seed int64, bank, login string, now time.Time, size gen.Size) *gen.Customer {
	t.Helper()
	c, err := gen.NewCustomer(seed, bank, login, now, size)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGeneratorIsDeterministic(t *testing.T) {
	for _, bank := range banks {
		for _, login := range []string{"alice", "demo", "customer-00007"} {
			size := gen.Size{Customers: 10}
			a := customer(t, 42, bank, login, today(), size)
			b := customer(t, 42, bank, login, today(), size)
			if !reflect.DeepEqual(a.Accounts, b.Accounts) || !reflect.DeepEqual(a.Products, b.Products) || a.FullName != b.FullName {
				t.Fatalf("%s/%s: two builds differ", bank, login)
			}
			for _, acc := range a.Accounts {
				if !reflect.DeepEqual(a.Transactions(acc.ID), b.Transactions(acc.ID)) {
					t.Fatalf("%s/%s/%s: two histories differ", bank, login, acc.ID)
				}
			}
			other := customer(t, 43, bank, login, today(), size)
			if reflect.DeepEqual(a.Transactions(a.Accounts[0].ID), other.Transactions(other.Accounts[0].ID)) {
				t.Fatalf("%s/%s: another seed gives the same history", bank, login)
			}
		}
	}
}

func TestTransactionIDsAreStableAsTimePasses(t *testing.T) {
	earlier := today()
	later := earlier.AddDate(0, 0, 26)
	for _, bank := range banks {
		a := customer(t, 0, bank, "bob", earlier, gen.Size{})
		b := customer(t, 0, bank, "bob", later, gen.Size{})
		for _, acc := range a.Accounts {
			byID := map[string]gen.Transaction{}
			for _, x := range b.Transactions(acc.ID) {
				byID[x.ID] = x
			}
			first, _ := gen.Window(later, gen.DefaultMonths)
			checked := 0
			for _, x := range a.Transactions(acc.ID) {
				if x.Value.Before(first) {
					continue // outside the later window
				}
				y, ok := byID[x.ID]
				if !ok {
					t.Fatalf("%s %s: %s is gone %d days later", bank, acc.ID, x.ID, 26)
				}
				if x.Status == gen.StatusPending && y.Status != gen.StatusBooked {
					t.Fatalf("%s: pending %s is still pending later", bank, x.ID)
				}
				x.Status = y.Status
				if !reflect.DeepEqual(x, y) {
					t.Fatalf("%s: %s changed:\n%+v\n%+v", bank, x.ID, x, y)
				}
				checked++
			}
			if checked == 0 {
				t.Fatalf("%s %s: nothing compared", bank, acc.ID)
			}
			// Day by day, the later history has exactly the earlier days.
			day := earlier.AddDate(0, -3, 0)
			if !reflect.DeepEqual(ids(a.TransactionsOn(acc.ID, day)), ids(b.TransactionsOn(acc.ID, day))) {
				t.Fatalf("%s %s: day %s differs", bank, acc.ID, day.Format(time.DateOnly))
			}
		}
	}
}

func ids(txs []gen.Transaction) []string {
	var out []string
	for _, x := range txs {
		out = append(out, x.ID)
	}
	return out
}

func TestDemoPeopleHoldTheDemoTableAtTheOriginalBanks(t *testing.T) {
	for _, p := range demo.Customers() {
		for _, bank := range []string{"green-bank", "mongodb-bank"} {
			c := customer(t, 0, bank, p.UserName, today(), gen.Size{})
			var want []demo.Account
			for _, a := range demo.Accounts() {
				if a.UserName == p.UserName && a.BankID == bank {
					want = append(want, a)
				}
			}
			if len(c.Accounts) != len(want) || c.FullName != p.FullName {
				t.Fatalf("%s at %s: %d accounts, want %d", p.UserName, bank, len(c.Accounts), len(want))
			}
			for i, a := range c.Accounts {
				w := want[i]
				if a.ID != w.AccountID || a.Balance != w.Balance || a.Type != w.AccountType || a.Currency != w.Currency ||
					a.OpeningDate.Format(time.DateOnly) != w.OpeningDate || a.Narrative != w.Narrative || a.Status != w.Status {
					t.Fatalf("%s account %d = %+v, want %+v", p.UserName, i, a, w)
				}
			}
			var wantP []demo.Product
			for _, x := range demo.Products() {
				if x.UserName == p.UserName && x.BankID == bank {
					wantP = append(wantP, x)
				}
			}
			if len(c.Products) != len(wantP) {
				t.Fatalf("%s at %s: %d products, want %d", p.UserName, bank, len(c.Products), len(wantP))
			}
			for i, x := range c.Products {
				w := wantP[i]
				term := w.RepaymentPeriod
				if w.ProductType == gen.Mortgage {
					term = w.AmortizationPeriod * 12
				}
				if x.ID != w.ProductID || x.Amount != w.Amount || x.Rate != w.Rate || x.Type != w.ProductType ||
					x.TermMonths != term || x.Collateral != w.LoanCollateral || x.PropertyValue != w.PropertyValue ||
					x.OpeningDate.Format(time.DateOnly) != w.OpeningDate || x.OriginalAmount < x.Amount {
					t.Fatalf("%s product %d = %+v, want %+v", p.UserName, i, x, w)
				}
			}
		}
		for bank, cur := range map[string]string{"albion-bank": "GBP", "rhein-bank": "EUR"} {
			c := customer(t, 0, bank, p.UserName, today(), gen.Size{})
			if len(c.Accounts) == 0 || c.Accounts[0].Currency != cur || c.FullName != p.FullName {
				t.Fatalf("%s at %s: %+v", p.UserName, bank, c.Accounts)
			}
		}
	}
}

func TestHistoryShape(t *testing.T) {
	cats := gen.Categories()
	for _, bank := range banks {
		c := customer(t, 0, bank, "demo", today(), gen.Size{})
		first, last := gen.Window(today(), gen.DefaultMonths)
		primary := c.Accounts[0]
		if !primary.Primary || primary.Type != gen.Checking {
			t.Fatalf("%s: first account %+v", bank, primary)
		}
		txs := c.Transactions(primary.ID)
		if len(txs) < 250 || len(txs) > 800 {
			t.Fatalf("%s: %d transactions in 13 months on the checking account", bank, len(txs))
		}
		if len(txs) != c.CountTransactions(primary.ID) {
			t.Fatalf("%s: count %d != %d", bank, c.CountTransactions(primary.ID), len(txs))
		}
		seen := map[string]bool{}
		for i, x := range txs {
			if !slices.Contains(cats, x.Category) || x.Currency != primary.Currency || x.Amount == 0 || seen[x.ID] {
				t.Fatalf("%s: bad transaction %+v", bank, x)
			}
			seen[x.ID] = true
			if i > 0 && x.Booking.After(txs[i-1].Booking) {
				t.Fatalf("%s: not newest first at %d", bank, i)
			}
			if x.Value.Before(first) || x.Value.After(last) {
				t.Fatalf("%s: %s outside the window", bank, x.ID)
			}
			pending := !x.Value.Before(last.AddDate(0, 0, 1-gen.PendingDays))
			if pending != (x.Status == gen.StatusPending) {
				t.Fatalf("%s: %s on %s is %s", bank, x.ID, x.Value.Format(time.DateOnly), x.Status)
			}
		}
		// Monthly: salary and each subscription, same amount on the same day.
		perMonth := map[string]map[string]int{}
		amount, dom := map[string]float64{}, map[string]int{}
		for _, x := range txs {
			if x.Category != gen.CatSubscriptions && x.Category != gen.CatIncome {
				continue
			}
			m := x.Value.Format("2006-01")
			if perMonth[x.Merchant] == nil {
				perMonth[x.Merchant] = map[string]int{}
			}
			perMonth[x.Merchant][m]++
			if a, ok := amount[x.Merchant]; ok && a != x.Amount {
				t.Fatalf("%s: %s charged %v and %v", bank, x.Merchant, a, x.Amount)
			}
			amount[x.Merchant] = x.Amount
			if x.Category == gen.CatSubscriptions {
				if d, ok := dom[x.Merchant]; ok && d != x.Value.Day() {
					t.Fatalf("%s: %s on day %d and %d", bank, x.Merchant, d, x.Value.Day())
				}
				dom[x.Merchant] = x.Value.Day()
			}
		}
		subs := 0
		for merchant, months := range perMonth {
			if amount[merchant] < 0 {
				subs++
			}
			for m, n := range months {
				if n != 1 {
					t.Fatalf("%s: %s %d times in %s", bank, merchant, n, m)
				}
			}
			if len(months) < 12 {
				t.Fatalf("%s: %s only in %d months", bank, merchant, len(months))
			}
		}
		if subs < 2 {
			t.Fatalf("%s: %d subscriptions", bank, subs)
		}
	}
}

func TestProductsAndPayments(t *testing.T) {
	for _, bank := range banks {
		c := customer(t, 0, bank, "demo", today(), gen.Size{})
		if len(c.Products) != 2 {
			t.Fatalf("%s: the sandbox customer has %d products", bank, len(c.Products))
		}
		for _, p := range c.Products {
			paid := gen.MonthsBetween(p.OpeningDate, c.Today)
			if p.Amount != gen.Outstanding(p.OriginalAmount, p.Rate, p.TermMonths, paid) || p.Amount <= 0 || p.Amount >= p.OriginalAmount {
				t.Fatalf("%s: %+v outstanding after %d payments", bank, p, paid)
			}
			// Its monthly payment leaves the checking account.
			n := 0
			for _, x := range c.Transactions(c.Accounts[0].ID) {
				if x.Amount == -p.MonthlyPayment() && (x.Category == gen.CatLoanRepayment || x.Category == gen.CatHousing) {
					n++
				}
			}
			if n < 12 {
				t.Fatalf("%s: %d payments of %v for %s", bank, n, p.MonthlyPayment(), p.ID)
			}
		}
	}
	if got := gen.Payment(100000, 6, 360); got != 599.55 {
		t.Fatalf("payment %v", got)
	}
	if gen.Outstanding(100000, 6, 360, 0) != 100000 || gen.Outstanding(100000, 6, 360, 360) != 0 {
		t.Fatal("outstanding at the ends")
	}
	// After a year of a 30-year 6% loan, 1,228.01 of principal is repaid.
	if got := gen.Outstanding(100000, 6, 360, 12); got != 98771.99 {
		t.Fatalf("outstanding after 12: %v", got)
	}
}

func TestAccountNumbers(t *testing.T) {
	c := customer(t, 0, "rhein-bank", "alice", today(), gen.Size{})
	for _, a := range c.Accounts {
		if !strings.HasPrefix(a.Number, "DE") || len(a.Number) != 22 || !validIBAN(a.Number) {
			t.Fatalf("IBAN %q", a.Number)
		}
	}
	uk := customer(t, 0, "albion-bank", "alice", today(), gen.Size{})
	if n := uk.Accounts[0].Number; len(n) != 14 {
		t.Fatalf("sort code and account number %q", n)
	}
}

func validIBAN(s string) bool {
	r := s[4:] + s[:4]
	var digits strings.Builder
	for _, c := range r {
		if c >= 'A' && c <= 'Z' {
			digits.WriteString(big.NewInt(int64(c - 'A' + 10)).String())
		} else {
			digits.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	return new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func TestLogins(t *testing.T) {
	size := gen.Size{Customers: 3}
	for _, l := range []string{"alice", "Bob ", "demo", "customer-00003"} {
		if !gen.IsCustomer(l, size) {
			t.Errorf("%q is not a customer", l)
		}
	}
	for _, l := range []string{"", "mallory", "customer-00004", "customer-0001", "customer-00000", "customer-x0001"} {
		if gen.IsCustomer(l, size) {
			t.Errorf("%q is a customer", l)
		}
		if _, err := gen.NewCustomer(0, "green-bank", l, today(), size); err == nil {
			t.Errorf("NewCustomer(%q) worked", l)
		}
	}
	if got := gen.Logins(size); len(got) != 8 || got[7] != "customer-00003" {
		t.Fatalf("logins %v", got)
	}
}

func TestSizeValidation(t *testing.T) {
	for _, s := range []gen.Size{{Customers: -1}, {Customers: gen.MaxCustomers + 1}, {AccountsPerCustomer: 21},
		{TxPerAccount: -5}, {Months: 121}} {
		if s.Validate() == nil {
			t.Errorf("%+v is valid", s)
		}
	}
	if n := (gen.Size{}).Normalize(); n.Months != gen.DefaultMonths || n.AccountsPerCustomer != gen.DefaultAccounts {
		t.Fatalf("defaults %+v", n)
	}
}
