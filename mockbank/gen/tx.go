package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// daysPerMonth is the mean month length, for turning a per-period target
// into a per-day rate.
const daysPerMonth = 30.436875

// Default discretionary rates (transactions per day).
const (
	lambdaPrimary   = 0.75
	lambdaChecking  = 0.35
	lambdaSavings   = 0.02
	savingsInShare  = 0.35
	transferInShare = 0.3
)

// recurring is a payment that happens once a month on a fixed day.
type recurring struct {
	name, cat, desc, mcc, kind string
	lo, hi                     float64 // amount range; equal for a fixed amount
	sign                       float64 // +1 money in, -1 money out
	dom                        int     // day of month; 0 = the last day
	shift                      int     // -1: a weekend moves it to Friday; +1: to Monday
	from, to                   time.Time
	hour                       int
}

// on reports whether the payment falls on day d.
func (rc recurring) on(d time.Time) bool {
	if (!rc.from.IsZero() && d.Before(rc.from)) || (!rc.to.IsZero() && d.After(rc.to)) {
		return false
	}
	return d.Equal(rc.dateIn(d.Year(), d.Month()))
}

func (rc recurring) dateIn(y int, m time.Month) time.Time {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	dd := rc.dom
	if dd <= 0 || dd > last {
		dd = last
	}
	t := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	switch wd := t.Weekday(); {
	case rc.shift < 0 && wd == time.Saturday:
		t = t.AddDate(0, 0, -1)
	case rc.shift < 0 && wd == time.Sunday:
		t = t.AddDate(0, 0, -2)
	case rc.shift > 0 && wd == time.Saturday:
		t = t.AddDate(0, 0, 2)
	case rc.shift > 0 && wd == time.Sunday:
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// plan is how one account's history is generated.
type plan struct {
	acct        Account
	key         uint64
	lambda      float64
	rec         []recurring
	ctry        *country
	mix         []weighted
	mixTotal    int
	savings     bool
	otherName   string // the account savings transfers go to and come from
	today       time.Time
	first       time.Time
	pendingFrom time.Time
}

func (b *builder) plans() map[string]*plan {
	c, r, ctry := b.c, b.r, &b.ctry
	first, _ := Window(c.Today, c.Size.Months)
	out := map[string]*plan{}
	hasSavings := slices.ContainsFunc(c.Accounts, func(a Account) bool { return a.Type == Savings })
	toSavings := 0.0
	if hasSavings && b.salary+b.feed > 0 {
		toSavings = roundTo((b.salary+b.feed)*between(r, 0.05, 0.15), 10)
	}
	employer, landlord := pick(r, ctry.employers), pick(r, ctry.landlords)
	subs := make([]merchant, 0, len(ctry.subs))
	for _, i := range r.Perm(len(ctry.subs))[:2+r.IntN(3)] {
		subs = append(subs, ctry.subs[i])
	}
	salaryDay := pick(r, []int{25, 28, 15})
	savingsSeen := false
	mix := spendMix()
	total := 0
	for _, w := range mix {
		total += w.w
	}
	for _, a := range c.Accounts {
		p := &plan{acct: a, key: key(c.Seed, "account", c.BankID, a.ID), ctry: ctry, mix: mix, mixTotal: total,
			savings: a.Type == Savings, otherName: b.prof.checking, today: c.Today, first: first,
			pendingFrom: c.Today.AddDate(0, 0, 1-PendingDays)}
		w := ctry.w
		switch {
		case a.Primary:
			if b.salary > 0 {
				p.add(recurring{name: employer, cat: CatIncome, desc: fmt.Sprintf(w.salary, employer), kind: "salary",
					lo: b.salary, hi: b.salary, sign: 1, dom: salaryDay, shift: -1, hour: 1})
			}
			if b.feed > 0 {
				home := profileOf(homeBank).name
				p.add(recurring{name: home, cat: CatTransfers, desc: fmt.Sprintf(w.transferIn, home), kind: "transfer",
					lo: b.feed, hi: b.feed, sign: 1, dom: 2, shift: 1, hour: 3})
			}
			if b.rent > 0 {
				p.add(recurring{name: landlord, cat: CatHousing, desc: fmt.Sprintf(w.rent, landlord), kind: "rent",
					lo: b.rent, hi: b.rent, sign: -1, dom: 1, shift: 1, hour: 5})
			}
			for _, pr := range c.Products {
				rc := recurring{name: b.prof.name, cat: CatLoanRepayment, desc: w.loan, kind: "loan",
					sign: -1, dom: min(pr.OpeningDate.Day(), 28), hour: 6,
					from: pr.OpeningDate.AddDate(0, 1, 0), to: pr.OpeningDate.AddDate(0, pr.TermMonths, 0)}
				if pr.Type == Mortgage {
					rc.cat, rc.desc, rc.kind = CatHousing, w.mortgage, "mortgage"
				}
				rc.lo = pr.MonthlyPayment()
				rc.hi = rc.lo
				p.add(rc)
			}
			for _, m := range subs {
				p.add(recurring{name: m.name, cat: CatSubscriptions, desc: fmt.Sprintf(w.card, m.name), mcc: m.mcc, kind: "subscription",
					lo: m.lo, hi: m.hi, sign: -1, dom: m.day, hour: 8})
			}
			for _, m := range ctry.bills {
				p.add(recurring{name: m.name, cat: CatUtilities, desc: fmt.Sprintf(w.debit, m.name), mcc: m.mcc, kind: "bill",
					lo: m.lo, hi: m.hi, sign: -1, dom: m.day, shift: 1, hour: 7})
			}
			if toSavings > 0 {
				p.add(recurring{name: b.prof.savings, cat: CatSavings, desc: w.toSavings, kind: "transfer",
					lo: toSavings, hi: toSavings, sign: -1, dom: 26, hour: 9})
			}
		case p.savings && !savingsSeen:
			savingsSeen = true
			if toSavings > 0 {
				p.add(recurring{name: b.prof.checking, cat: CatTransfers, desc: w.fromChecking, kind: "transfer",
					lo: toSavings, hi: toSavings, sign: 1, dom: 26, hour: 9})
			}
			if in := Round2(a.Balance * a.InterestRate / 1200); in > 0 {
				p.add(recurring{name: b.prof.name, cat: CatIncome, desc: w.interest, kind: "interest",
					lo: in, hi: in, sign: 1, dom: 0, hour: 2})
			}
		}
		switch {
		case c.Generated() && c.Size.TxPerAccount > 0:
			months := float64(c.Size.Months)
			p.lambda = max(0, float64(c.Size.TxPerAccount)-float64(len(p.rec))*months) / (months * daysPerMonth)
		case p.savings:
			p.lambda = lambdaSavings
		case a.Primary:
			p.lambda = lambdaPrimary
		default:
			p.lambda = lambdaChecking
		}
		out[a.ID] = p
	}
	return out
}

func (p *plan) add(rc recurring) { p.rec = append(p.rec, rc) }

// weekdayWeight shapes spending over the week (mean 1).
func weekdayWeight(d time.Weekday) float64 {
	return [7]float64{0.85, 0.9, 0.9, 0.95, 1.0, 1.15, 1.25}[d]
}

// daySource is the random source of one account's day: it depends on
// nothing but the account and the day, so that past days never change.
func (p *plan) daySource(d time.Time) rand.PCG {
	k := mix(p.key ^ uint64(d.Unix()/86400)*0x9e3779b97f4a7c15)
	return *rand.NewPCG(k, mix(k^0x5851f42d4c957f2d))
}

// spendCount is the first draw of a day: how many discretionary
// transactions it has.
func (p *plan) spendCount(src *rand.PCG, d time.Time) int {
	return poisson(src, p.lambda*weekdayWeight(d.Weekday()))
}

// schedule places the monthly payments in [first, last]: day number ->
// indices into p.rec, in p.rec order. Working month by month costs a few
// calls per payment instead of one per payment per day.
func (p *plan) schedule(first, last time.Time) map[int64][]int {
	out := map[int64][]int{}
	for m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(last); m = m.AddDate(0, 1, 0) {
		for i, rc := range p.rec {
			d := rc.dateIn(m.Year(), m.Month())
			if d.Month() != m.Month() || d.Before(first) || d.After(last) || !rc.on(d) {
				continue
			}
			k := dayNumber(d)
			out[k] = append(out[k], i)
		}
	}
	return out
}

func dayNumber(d time.Time) int64 { return d.Unix() / 86400 }

// appendDay appends day d's transactions, newest first; fixed are the
// monthly payments falling on d.
func (p *plan) appendDay(out []Transaction, d time.Time, fixed []int) []Transaction {
	src := p.daySource(d)
	n := p.spendCount(&src, d)
	r := rand.New(&src)
	start, seq := len(out), 0
	for _, i := range fixed {
		rc := p.rec[i]
		seq++
		amt := rc.lo
		if rc.hi > rc.lo {
			amt = between(r, rc.lo, rc.hi)
		}
		at := time.Duration(rc.hour)*time.Hour + time.Duration(seq)*time.Minute
		mcc := rc.mcc
		if mcc == "" {
			mcc = mccOf(rc.cat)
		}
		out = append(out, p.tx(d, seq, at, rc.sign*amt, rc.name, rc.cat, rc.desc, mcc, []string{"recurring", rc.kind}))
	}
	for range n {
		seq++
		out = append(out, p.spend(r, d, seq))
	}
	day := out[start:]
	slices.SortStableFunc(day, func(a, b Transaction) int {
		if c := b.Booking.Compare(a.Booking); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out
}

// spend makes one discretionary transaction.
func (p *plan) spend(r *rand.Rand, d time.Time, seq int) Transaction {
	at := time.Duration(7+r.IntN(15))*time.Hour + time.Duration(r.IntN(60))*time.Minute
	w := p.ctry.w
	cat := CatTransfers
	if !p.savings {
		cat = p.pickCategory(r)
	}
	if cat == CatTransfers {
		if p.savings {
			if r.Float64() < savingsInShare {
				amt := roundTo(between(r, 50, 800), 10)
				return p.tx(d, seq, at, amt, p.otherName, cat, w.fromChecking, "", []string{"transfer", "in"})
			}
			amt := roundTo(between(r, 100, 1500), 10)
			return p.tx(d, seq, at, -amt, p.otherName, cat, fmt.Sprintf(w.transferOut, p.otherName), "", []string{"transfer", "out"})
		}
		who := pick(r, p.ctry.first) + " " + pick(r, p.ctry.last)
		amt := Round2(skewed(r, 10, 250))
		if r.Float64() < transferInShare {
			return p.tx(d, seq, at, amt, who, cat, fmt.Sprintf(w.transferIn, who), "", []string{"transfer", "in"})
		}
		return p.tx(d, seq, at, -amt, who, cat, fmt.Sprintf(w.transferOut, who), "", []string{"transfer", "out"})
	}
	m := pick(r, p.ctry.spend[cat])
	amt := Round2(skewed(r, m.lo, m.hi))
	if cat == CatCash {
		amt = roundTo(amt, 10)
	}
	mcc := m.mcc
	if mcc == "" {
		mcc = mccOf(cat)
	}
	desc := fmt.Sprintf(w.card, m.name)
	if cat == CatCash {
		desc = w.cash
	}
	return p.tx(d, seq, at, -amt, m.name, cat, desc, mcc, []string{"card", strings.ToLower(cat)})
}

func (p *plan) pickCategory(r *rand.Rand) string {
	n := r.IntN(p.mixTotal)
	for _, w := range p.mix {
		if n < w.w {
			return w.cat
		}
		n -= w.w
	}
	return CatShopping
}

// tx assembles a transaction; its id is the account, the day and the
// sequence within the day.
func (p *plan) tx(d time.Time, seq int, at time.Duration, amount float64, name, cat, desc, mcc string, tags []string) Transaction {
	status := StatusBooked
	if !d.Before(p.pendingFrom) {
		status = StatusPending
	}
	amount = Round2(amount)
	day := d.Format("20060102")
	return Transaction{
		ID: fmt.Sprintf("%s-%s-%03d", p.acct.ID, day, seq), AccountID: p.acct.ID,
		Booking: d.Add(at), Value: d, Amount: amount, Currency: p.acct.Currency,
		Merchant: name, Category: cat, Description: desc, MCC: mcc, Status: status,
		Reference: fmt.Sprintf("%s%s%03d", p.acct.ID[len(p.acct.ID)-min(4, len(p.acct.ID)):], day[2:], seq),
		CarbonKg:  carbon(cat, amount), Tags: tags,
	}
}

// carbon estimates a purchase's footprint in kg CO2e (Green Bank's feature).
func carbon(cat string, amount float64) float64 {
	if amount >= 0 {
		return 0
	}
	var f float64
	switch cat {
	case CatGroceries:
		f = 0.35
	case CatDining:
		f = 0.3
	case CatTransport:
		f = 1.2
	case CatShopping:
		f = 0.45
	case CatTravel:
		f = 1.6
	case CatUtilities:
		f = 0.9
	case CatEntertainment:
		f = 0.1
	case CatHealth:
		f = 0.15
	case CatSubscriptions:
		f = 0.05
	}
	return math.Round(-amount*f*10) / 10
}

// Transactions is an account's whole history in the window, newest first
// (nil for an account the customer does not hold).
func (c *Customer) Transactions(accountID string) []Transaction {
	p, ok := c.plans[accountID]
	if !ok {
		return nil
	}
	fixed := p.schedule(p.first, c.Today)
	days := int(c.Today.Sub(p.first).Hours()/24) + 1
	out := make([]Transaction, 0, int(float64(days)*p.lambda*1.1)+len(p.rec)*c.Size.Months+8)
	for d := c.Today; !d.Before(p.first); d = d.AddDate(0, 0, -1) {
		out = p.appendDay(out, d, fixed[dayNumber(d)])
	}
	return out
}

// TransactionsOn is one day of an account's history, newest first.
func (c *Customer) TransactionsOn(accountID string, day time.Time) []Transaction {
	p, ok := c.plans[accountID]
	d := Day(day)
	if !ok || d.Before(p.first) || d.After(c.Today) {
		return nil
	}
	return p.appendDay(nil, d, p.schedule(d, d)[dayNumber(d)])
}

// CountTransactions is len(Transactions(accountID)), computed without
// making the transactions: the scheduled payments plus each day's first
// random draw.
func (c *Customer) CountTransactions(accountID string) int {
	p, ok := c.plans[accountID]
	if !ok {
		return 0
	}
	n := 0
	for _, f := range p.schedule(p.first, c.Today) {
		n += len(f)
	}
	if p.lambda <= 0 {
		return n
	}
	for d := c.Today; !d.Before(p.first); d = d.AddDate(0, 0, -1) {
		src := p.daySource(d)
		n += p.spendCount(&src, d)
	}
	return n
}
