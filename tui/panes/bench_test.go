// Package panes_test benchmarks every pane's View over in-memory data with
// 100k transactions (issue 8's budget: ≤ 2 ms per View). Panes are built
// directly, without a database, so the numbers measure rendering alone.
package panes_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/openfinance-tui/openfinance/core/hub"
	coreins "github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/mockbank"
	"github.com/openfinance-tui/openfinance/tui/common"
	"github.com/openfinance-tui/openfinance/tui/keys"
	"github.com/openfinance-tui/openfinance/tui/panes/accounts"
	"github.com/openfinance-tui/openfinance/tui/panes/activity"
	"github.com/openfinance-tui/openfinance/tui/panes/consents"
	"github.com/openfinance-tui/openfinance/tui/panes/insights"
	"github.com/openfinance-tui/openfinance/tui/panes/loans"
	"github.com/openfinance-tui/openfinance/tui/panes/overview"
	"github.com/openfinance-tui/openfinance/tui/panes/transactions"
	"github.com/openfinance-tui/openfinance/tui/styles"
)

const nTx = 100_000

var now = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

func benchCommon() *common.Common {
	var bs []hub.Bank
	for _, i := range mockbank.Catalog() {
		bs = append(bs, i.DirectoryEntry("http://127.0.0.1:1/"+i.ID))
	}
	return &common.Common{Ctx: context.Background(), Banks: bs, Clock: func() time.Time { return now },
		User: model.UserRef{UserName: "bench"}, Styles: styles.New(true), Keys: keys.New(), Timeout: time.Second}
}

type data struct {
	txs      []hub.TxRow
	accounts []model.ExternalAccount
	ins      coreins.Insights
	consents []model.Consent
	audit    []model.AuditEvent
}

func makeData() data {
	r := rand.New(rand.NewPCG(1, 2))
	banks := []string{"Green Bank", "MongoDB Bank", "Albion Bank", "Rheinbank"}
	merchants := []string{"Trader Joe's", "Blue Bottle Coffee", "Con Edison", "Spotify", "Shell", "IKEA", "Amazon", "Uber"}
	cats := []string{"Groceries", "Dining", "Utilities", "Subscriptions", "Transport", "Shopping", "Income", "Housing"}
	var d data
	for i := range 40 {
		d.accounts = append(d.accounts, model.ExternalAccount{AccountId: fmt.Sprintf("ACC-%04d", i), AccountBank: banks[i%4],
			AccountType: []string{"Checking", "Savings"}[i%2], AccountBalance: r.Float64() * 20000, AccountCurrency: "USD"})
	}
	d.txs = make([]hub.TxRow, nTx)
	for i := range d.txs {
		at := now.Add(-time.Duration(i) * 5 * time.Minute)
		amt := -r.Float64() * 200
		if i%25 == 0 {
			amt = 5000
		}
		d.txs[i] = hub.TxRow{TransactionId: fmt.Sprint(i), TransactionBank: banks[i%4], TransactionAccountId: d.accounts[i%40].AccountId,
			BookingDate: at, MonthKey: model.MonthKey(at), Amount: amt, AmountBase: amt, Currency: "USD",
			Merchant: merchants[i%len(merchants)], Category: cats[i%len(cats)], Status: model.StatusBooked}
	}
	ins := coreins.Insights{Currency: "USD", Transactions: nTx}
	for m := 11; m >= 0; m-- {
		month := model.MonthKey(now.AddDate(0, -m, 0))
		ins.Months = append(ins.Months, month)
		ins.CashFlow = append(ins.CashFlow, coreins.MonthFlow{Month: month, Income: 6000 + float64(m*10), Spending: 4000 + float64(m*37)})
		ins.NetWorth = append(ins.NetWorth, coreins.MonthValue{Month: month, Value: -280000 + float64(m*900)})
		for _, c := range cats {
			ins.Spending = append(ins.Spending, coreins.CategoryAmt{Month: month, Category: c, Amount: r.Float64() * 900})
		}
	}
	for i, m := range merchants {
		ins.TopMerchants = append(ins.TopMerchants, coreins.MerchantAmt{Merchant: m, Amount: float64(9000 - i*800), Count: 40 - i})
		ins.Recurring = append(ins.Recurring, coreins.Recurring{Merchant: m, Category: cats[i], Direction: "out", Amount: 20 + float64(i), Months: 6, LastMonth: "2026-03"})
	}
	for i := range 6 {
		l := coreins.Loan{ProductID: fmt.Sprint("LN-", i), Bank: banks[i%4], Type: "Loan", Currency: "USD", Balance: 10000 * float64(i+1),
			Rate: 5 + float64(i), TermMonths: 60, RemainingMonths: 40, MonthlyPayment: 400, PayoffMonth: "2029-07"}
		for m := range 360 {
			l.Schedule = append(l.Schedule, coreins.MonthValue{Month: fmt.Sprint(m), Value: float64(360-m) * 100})
		}
		ins.Loans = append(ins.Loans, l)
	}
	d.ins = ins
	for i, b := range banks {
		from := now.AddDate(-1, 0, 0)
		d.consents = append(d.consents, model.Consent{ConsentId: fmt.Sprint(i), BankId: b, Bank: b, Status: model.ConsentAuthorised,
			Permissions: []string{"ReadAccountsDetail", "ReadBalances", "ReadTransactionsDetail"}, TransactionFrom: &from,
			CreatedAt: now, ExpiresAt: now.AddDate(0, 3, 0), LastSync: &model.SyncState{At: now, State: "ok"}})
	}
	for i := range 1000 {
		d.audit = append(d.audit, model.AuditEvent{Time: now.Add(-time.Duration(i) * time.Hour), Action: model.AuditSyncFinished,
			BankId: "green-bank", Outcome: "ok", Counts: map[string]int{"transactions": i}})
	}
	return d
}

func BenchmarkPaneView(b *testing.B) {
	d := makeData()
	c := benchCommon()
	ov := overview.New(c)
	ov.Set(overview.Data{Position: coreins.Position{Currency: "USD", TotalBalance: 1e5, TotalDebt: 3e5, NetWorth: -2e5,
		ByBank: []coreins.BankLine{{Bank: "Green Bank", Balance: 5e4, Debt: 1e5}, {Bank: "Albion Bank", Balance: 5e4, Debt: 2e5}}}, Consents: d.consents})
	ac := accounts.New(c)
	ac.Set(d.accounts)
	lo := loans.New(c)
	lo.Set(d.ins)
	tx := transactions.New(c)
	tx.Set(d.txs)
	in := insights.New(c)
	in.Set(d.ins)
	co := consents.New(c)
	co.Set(d.consents)
	act := activity.New(c)
	act.Set(d.audit)
	panes := []common.Pane{ov, ac, lo, tx, in, co, act}
	for _, p := range panes {
		p.SetSize(120, 36)
	}
	// Scroll the transactions to the middle: the window, not the position, is the cost.
	for range 500 {
		tx.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
	}
	for _, p := range panes {
		b.Run(p.Title(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = p.View()
			}
		})
	}
	b.Run("Transactions/filter-text", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			tx.SetFilter(transactions.Filter{Text: []string{"coffee", "spot"}[i%2]})
		}
	})
	b.Run("Transactions/filter-month", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			tx.SetFilter(transactions.Filter{Month: []string{"2026-03", "2026-02"}[i%2]})
		}
	})
}
