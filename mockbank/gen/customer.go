package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/openfinance-tui/openfinance/mockbank/demo"
)

// productAnchor is the fixed date generated products and accounts are
// opened before, so that they do not move when the bank's clock does.
func productAnchor() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// demoAsOf is the date the demo table's outstanding amounts are true at;
// the original amounts (and so the monthly payments) are derived from it.
func demoAsOf() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }

// homeBank is where the demo people are paid and pay their rent.
const homeBank = "green-bank"

// Customer is one customer of one bank: who, their accounts and products,
// and what their transactions are generated from. It is read-only once
// built and safe to share between goroutines.
type Customer struct {
	Login    string
	FullName string
	BankID   string
	Currency string
	Accounts []Account
	Products []Product

	Seed  int64
	Today time.Time // UTC midnight of the bank's today
	Size  Size      // normalized

	plans map[string]*plan
}

// NewCustomer builds a customer of bankID as the bank sees them at now. It
// returns ErrUnknownCustomer for a login the bank does not know.
func NewCustomer(seed int64, bankID, login string, now time.Time, size Size) (*Customer, error) {
	if seed == 0 {
		seed = DefaultSeed
	}
	size = size.Normalize()
	login = NormalizeLogin(login)
	idx, ok := customerIndex(login, size)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownCustomer, login)
	}
	prof := profileOf(bankID)
	ctry := countryOf(prof.currency)
	c := &Customer{Login: login, BankID: bankID, Currency: prof.currency, Seed: seed, Today: Day(now), Size: size}
	r := newRand(key(seed, "customer", bankID, login))
	b := builder{c: c, r: r, prof: prof, ctry: ctry, idx: idx}
	if accs := demoAccounts(login, bankID); len(accs) > 0 {
		b.fromDemoTable(accs)
	} else {
		b.generate()
	}
	c.plans = b.plans()
	return c, nil
}

// Account finds one of the customer's deposit accounts.
func (c *Customer) Account(id string) (Account, bool) {
	for _, a := range c.Accounts {
		if a.ID == id {
			return a, true
		}
	}
	return Account{}, false
}

// Product finds one of the customer's loans or mortgages.
func (c *Customer) Product(id string) (Product, bool) {
	for _, p := range c.Products {
		if p.ID == id {
			return p, true
		}
	}
	return Product{}, false
}

// Generated reports whether the size knobs apply to this customer (the
// customer-NNNNN logins); the demo people and the sandbox customer keep
// the demo mix whatever the knobs say.
func (c *Customer) Generated() bool { return !slices.Contains(demoLogins(), c.Login) }

func demoLogins() []string {
	var out []string
	for _, p := range demo.Customers() {
		out = append(out, p.UserName)
	}
	return append(out, SandboxLogin)
}

func demoAccounts(login, bankID string) []demo.Account {
	var out []demo.Account
	for _, a := range demo.Accounts() {
		if a.UserName == login && a.BankID == bankID {
			out = append(out, a)
		}
	}
	return out
}

// builder assembles one customer.
type builder struct {
	c      *Customer
	r      *rand.Rand
	prof   profile
	ctry   country
	idx    int
	salary float64 // monthly; 0 = not paid at this bank
	rent   float64 // monthly; 0 = no rent here
	feed   float64 // monthly transfer in from the home bank (demo people elsewhere)
}

func (b *builder) fromDemoTable(accs []demo.Account) {
	c := b.c
	for _, p := range demo.Customers() {
		if p.UserName == c.Login {
			c.FullName = p.FullName
		}
	}
	primary := false
	for _, a := range accs {
		acc := Account{ID: a.AccountID, Type: a.AccountType, Status: a.Status, Balance: a.Balance, Currency: a.Currency,
			OpeningDate: date(a.OpeningDate), Holder: c.FullName, Narrative: a.Narrative, Name: b.prof.checking,
			Number: b.prof.number(b.idx, len(c.Accounts))}
		if a.AccountType == Savings {
			acc.Name, acc.InterestRate = b.prof.savings, 4.1
		} else if !primary {
			acc.Primary, primary = true, true
		}
		c.Accounts = append(c.Accounts, acc)
	}
	mortgageAnywhere := false
	for _, p := range demo.Products() {
		if p.UserName != c.Login {
			continue
		}
		mortgageAnywhere = mortgageAnywhere || p.ProductType == Mortgage
		if p.BankID != c.BankID {
			continue
		}
		term := p.RepaymentPeriod
		name := b.prof.loanName
		if p.ProductType == Mortgage {
			term, name = p.AmortizationPeriod*12, b.prof.mortgageName
		}
		opened := date(p.OpeningDate)
		c.Products = append(c.Products, Product{ID: p.ProductID, Type: p.ProductType, Status: p.Status, Amount: p.Amount,
			OriginalAmount: originalFor(p.Amount, p.Rate, term, MonthsBetween(opened, demoAsOf())),
			Currency:       p.Currency, Rate: p.Rate, OpeningDate: opened, TermMonths: term, Name: name, Narrative: p.Narrative,
			Collateral: p.LoanCollateral, PropertyAddress: p.PropertyAddress, PropertyValue: p.PropertyValue,
			Number: b.prof.number(b.idx, 50+len(c.Products))})
	}
	pay := roundTo(between(b.r, b.ctry.salary[0], b.ctry.salary[1]), 50)
	if c.BankID == homeBank {
		b.salary = pay
		if !mortgageAnywhere {
			b.rent = roundTo(between(b.r, b.ctry.rent[0], b.ctry.rent[1]), 25)
		}
	} else {
		b.feed = roundTo(pay*0.4, 50)
	}
}

func (b *builder) generate() {
	c, r, ctry, prof := b.c, b.r, b.ctry, b.prof
	c.FullName = pick(r, ctry.first) + " " + pick(r, ctry.last)
	for _, p := range demo.Customers() {
		if p.UserName == c.Login {
			c.FullName = p.FullName // the same person at every bank
		}
	}
	if c.Login == SandboxLogin {
		c.FullName = "Sandbox Customer"
	}
	b.salary = roundTo(between(r, ctry.salary[0], ctry.salary[1]), 50)
	n := DefaultAccounts
	if c.Generated() {
		n = c.Size.AccountsPerCustomer
	}
	for j := range n {
		typ, name, narr := Checking, prof.checking, prof.checkingNarr
		bal := b.salary * between(r, 0.15, 2.2)
		if j%2 == 1 {
			typ, name, narr = Savings, prof.savings, prof.savingsNarr
			bal = b.salary * between(r, 0.8, 14)
		}
		acc := Account{ID: prof.accountID(b.idx, j), Type: typ, Status: "Active", Balance: Round2(bal), Currency: prof.currency,
			OpeningDate: productAnchor().AddDate(0, -r.IntN(120)-6, -r.IntN(28)), Name: name, Holder: c.FullName,
			Number: prof.number(b.idx, j), Narrative: narr, Primary: j == 0}
		if typ == Savings {
			acc.InterestRate = roundTo(savingsRate(ctry.code)+between(r, -0.4, 0.4), 0.05)
		}
		c.Accounts = append(c.Accounts, acc)
	}
	sandbox := c.Login == SandboxLogin
	if sandbox || r.Float64() < 0.45 {
		c.Products = append(c.Products, b.mortgage(len(c.Products)))
	} else {
		b.rent = roundTo(between(r, ctry.rent[0], ctry.rent[1]), 25)
	}
	if sandbox || r.Float64() < 0.5 {
		c.Products = append(c.Products, b.loan(len(c.Products)))
	}
}

func savingsRate(cc string) float64 {
	switch cc {
	case "GB":
		return 4.0
	case "DE":
		return 2.6
	}
	return 4.2
}

func (b *builder) mortgage(k int) Product {
	r, ctry, prof := b.r, b.ctry, b.prof
	value := roundTo(between(r, ctry.property[0], ctry.property[1]), 1000)
	orig := roundTo(value*between(r, 0.6, 0.85), 1000)
	term := pick(r, ctry.mortgageYears) * 12
	rate := roundTo(between(r, ctry.mortgageRate[0], ctry.mortgageRate[1]), 0.05)
	opened := productAnchor().AddDate(0, -6-r.IntN(114), 0)
	addr := fmt.Sprintf("%d %s, %s", 1+r.IntN(180), pick(r, ctry.streets), pick(r, ctry.cities))
	if ctry.code == "DE" {
		addr = fmt.Sprintf("%s %d, %s", pick(r, ctry.streets), 1+r.IntN(180), pick(r, ctry.cities))
	}
	return b.product(Product{ID: prof.productID(b.idx, k, Mortgage), Type: Mortgage, OriginalAmount: orig, Rate: rate,
		OpeningDate: opened, TermMonths: term, Name: prof.mortgageName, Narrative: prof.mortgageNarr,
		PropertyAddress: addr, PropertyValue: value})
}

func (b *builder) loan(k int) Product {
	r, prof := b.r, b.prof
	term := pick(r, []int{24, 36, 48, 60, 72, 84})
	orig := roundTo(between(r, 3000, 35000), 100)
	rate := roundTo(between(r, b.ctry.loanRate[0], b.ctry.loanRate[1]), 0.1)
	opened := productAnchor().AddDate(0, -1-r.IntN(term-6), 0)
	collateral := pick(r, []string{"Vehicle", "None", "None"})
	return b.product(Product{ID: prof.productID(b.idx, k, Loan), Type: Loan, OriginalAmount: orig, Rate: rate,
		OpeningDate: opened, TermMonths: term, Name: prof.loanName, Narrative: prof.loanNarr, Collateral: collateral})
}

// product completes a generated product: what is left to pay today.
func (b *builder) product(p Product) Product {
	p.Currency = b.prof.currency
	p.Number = b.prof.number(b.idx, 50+len(b.c.Products))
	p.Amount = Outstanding(p.OriginalAmount, p.Rate, p.TermMonths, MonthsBetween(p.OpeningDate, b.c.Today))
	p.Status = "Active"
	if p.Amount == 0 {
		p.Status = "Closed"
	}
	return p
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(fmt.Sprintf("demo table: bad date %q", s)) // a constant table
	}
	return t
}
