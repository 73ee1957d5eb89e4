package insights

import (
	"context"
	"sort"
	"strings"

	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/pipelines"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Position is a user's balance sheet in one currency.
type Position struct {
	User         string       `json:"user" bson:"user"`
	Currency     string       `json:"currency" bson:"currency"`
	TotalBalance float64      `json:"total_balance" bson:"total_balance"`
	TotalDebt    float64      `json:"total_debt" bson:"total_debt"`
	NetWorth     float64      `json:"net_worth" bson:"net_worth"`
	ByBank       []BankLine   `json:"by_bank" bson:"by_bank"`
	ByCurrency   []AmountLine `json:"by_currency" bson:"by_currency"`
	ByType       []AmountLine `json:"by_account_type" bson:"by_account_type"`
	DebtByType   []DebtLine   `json:"debt_by_bank_and_type" bson:"debt_by_bank_and_type"`
	AvgRate      float64      `json:"average_interest_rate" bson:"average_interest_rate"`
}

// BankLine is one bank's share of a position.
type BankLine struct {
	Bank    string  `json:"bank" bson:"bank"`
	Balance float64 `json:"balance" bson:"balance"`
	Debt    float64 `json:"debt" bson:"debt"`
}

// AmountLine is an amount under a label, in the position's currency.
type AmountLine struct {
	Label  string  `json:"label" bson:"label"`
	Amount float64 `json:"amount" bson:"amount"`
}

// DebtLine is debt at one bank of one product type.
type DebtLine struct {
	Bank   string  `json:"bank" bson:"bank"`
	Type   string  `json:"type" bson:"type"`
	Amount float64 `json:"amount" bson:"amount"`
}

// ComputePosition runs the balance and loan pipelines for u and converts
// everything to currency (USD if empty) with the stored rates.
func ComputePosition(ctx context.Context, s *store.Store, u model.UserRef, currency string) (Position, error) {
	currency = normCurrency(currency)
	rates, err := fx.Load(ctx, s)
	if err != nil {
		return Position{}, err
	}
	bal, err := balanceRows(ctx, s, u)
	if err != nil {
		return Position{}, err
	}
	debt, err := loanRows(ctx, s, u)
	if err != nil {
		return Position{}, err
	}
	return finishPosition(u.UserName, currency, rates, bal, debt)
}

func balanceRows(ctx context.Context, s *store.Store, u model.UserRef) ([]pipelines.GroupRow[pipelines.BalanceKey], error) {
	return store.Aggregate[pipelines.GroupRow[pipelines.BalanceKey]](ctx, s, model.CollAccounts,
		pipelines.Balances(store.OwnerFilter("AccountUser", u)))
}

func loanRows(ctx context.Context, s *store.Store, u model.UserRef) ([]pipelines.GroupRow[pipelines.LoanKey], error) {
	return store.Aggregate[pipelines.GroupRow[pipelines.LoanKey]](ctx, s, model.CollProducts,
		pipelines.Loans(store.OwnerFilter("ProductCustomer", u)))
}

// finishPosition sums the balance rows and the per-loan rows into the
// position: totals, by bank, by currency (in the original currency), by
// account type, debt by bank and product type, and the average interest
// rate weighted by the outstanding amount in the position's currency.
func finishPosition(user, currency string, rates fx.Rates,
	bal []pipelines.GroupRow[pipelines.BalanceKey], debt []pipelines.GroupRow[pipelines.LoanKey],
) (Position, error) {
	p := Position{User: user, Currency: currency}
	banks := map[string]*BankLine{}
	bank := func(name string) *BankLine {
		if b, ok := banks[name]; ok {
			return b
		}
		b := &BankLine{Bank: name}
		banks[name] = b
		return b
	}
	byCur, byType := map[string]float64{}, map[string]float64{}
	for _, r := range bal {
		v, err := rates.Convert(r.V, r.Key.Currency, currency)
		if err != nil {
			return Position{}, err
		}
		p.TotalBalance += v
		bank(r.Key.Bank).Balance += v
		byCur[orUSD(r.Key.Currency)] += r.V
		byType[orDash(r.Key.Type)] += v
	}
	debtBT := map[[2]string]float64{}
	var weighted, weights float64
	for _, r := range debt {
		v, err := rates.Convert(r.V, r.Key.Currency, currency)
		if err != nil {
			return Position{}, err
		}
		p.TotalDebt += v
		bank(r.Key.Bank).Debt += v
		debtBT[[2]string{r.Key.Bank, r.Key.Type}] += v
		weighted += r.Key.Rate * v
		weights += v
	}
	if weights > 0 {
		p.AvgRate = round4(weighted / weights)
	}
	p.TotalBalance, p.TotalDebt = fx.Round2(p.TotalBalance), fx.Round2(p.TotalDebt)
	p.NetWorth = fx.Round2(p.TotalBalance - p.TotalDebt)
	p.ByBank = []BankLine{}
	for _, b := range banks {
		p.ByBank = append(p.ByBank, BankLine{Bank: b.Bank, Balance: fx.Round2(b.Balance), Debt: fx.Round2(b.Debt)})
	}
	sort.Slice(p.ByBank, func(i, j int) bool { return p.ByBank[i].Bank < p.ByBank[j].Bank })
	p.ByCurrency = lines(byCur)
	p.ByType = lines(byType)
	p.DebtByType = []DebtLine{}
	for k, v := range debtBT {
		p.DebtByType = append(p.DebtByType, DebtLine{Bank: k[0], Type: k[1], Amount: fx.Round2(v)})
	}
	sort.Slice(p.DebtByType, func(i, j int) bool {
		a, b := p.DebtByType[i], p.DebtByType[j]
		return a.Bank < b.Bank || (a.Bank == b.Bank && a.Type < b.Type)
	})
	return p, nil
}

func lines(m map[string]float64) []AmountLine {
	out := []AmountLine{}
	for k, v := range m {
		out = append(out, AmountLine{Label: k, Amount: fx.Round2(v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

func normCurrency(c string) string {
	if c == "" {
		return "USD"
	}
	return strings.ToUpper(c)
}

func orUSD(c string) string {
	if c == "" {
		return "USD"
	}
	return c
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func round4(x float64) float64 { return float64(int64(x*10000+0.5)) / 10000 }
