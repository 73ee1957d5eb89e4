package insights_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/storetest"
)

// The position pipelines against the embedded server, checked with sums
// computed here from the generated documents.
func TestPositionMatchesIndependentSums(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	rng := rand.New(rand.NewPCG(1, 2))
	rates := map[string]float64{"USD": 1, "EUR": 1.1, "GBP": 1.3}
	for c, r := range rates {
		if _, err := s.C(model.CollFXRates).InsertOne(ctx, model.FXRate{ID: c, Currency: c, RateToUSD: r}); err != nil {
			t.Fatal(err)
		}
	}
	banks := []string{"Green Bank", "MongoDB Bank", "Thames Bank"}
	currencies := []string{"USD", "EUR", "GBP", ""} // "" = USD, as in the original data
	users := []string{"u1", "u2", "u3"}
	type want struct{ bal, debt, weighted float64 }
	wants := map[string]*want{}
	byBank := map[[2]string][2]float64{}
	for _, u := range users {
		wants[u] = &want{}
		uid := model.DemoUserID(u)
		for i := 0; i < 40; i++ {
			bank := banks[rng.IntN(len(banks))]
			cur := currencies[rng.IntN(len(currencies))]
			bal := math.Round(rng.Float64()*100000) / 100
			doc := bson.D{
				{Key: "_id", Value: model.AccountID(uid, bank, fmt.Sprint(i))}, {Key: "AccountBank", Value: bank},
				{Key: "AccountBalance", Value: bal}, {Key: "AccountType", Value: []string{"Checking", "Savings"}[i%2]},
				{Key: "AccountUser", Value: bson.D{{Key: "UserName", Value: u}, {Key: "UserId", Value: uid}}},
			}
			if cur != "" {
				doc = append(doc, bson.E{Key: "AccountCurrency", Value: cur})
			}
			if _, err := s.C(model.CollAccounts).InsertOne(ctx, doc); err != nil {
				t.Fatal(err)
			}
			r := rates[orUSD(cur)]
			wants[u].bal += bal * r
			k := [2]string{u, bank}
			v := byBank[k]
			v[0] += bal * r
			byBank[k] = v
		}
		for i := 0; i < 15; i++ {
			bank := banks[rng.IntN(len(banks))]
			cur := currencies[rng.IntN(len(currencies))]
			typ := []string{"Loan", "Mortgage", "Credit Card"}[i%3]
			amt := math.Round(rng.Float64()*50000000) / 100
			rate := float64(rng.IntN(900)) / 100
			doc := bson.D{
				{Key: "_id", Value: model.ProductID(uid, bank, fmt.Sprint(i))}, {Key: "ProductBank", Value: bank},
				{Key: "ProductType", Value: typ}, {Key: "ProductAmount", Value: amt}, {Key: "ProductInterestRate", Value: rate},
				{Key: "ProductCustomer", Value: bson.D{{Key: "UserName", Value: u}, {Key: "UserId", Value: uid}}},
			}
			if cur != "" {
				doc = append(doc, bson.E{Key: "ProductCurrency", Value: cur})
			}
			if _, err := s.C(model.CollProducts).InsertOne(ctx, doc); err != nil {
				t.Fatal(err)
			}
			if typ == "Credit Card" {
				continue
			}
			usd := amt * rates[orUSD(cur)]
			wants[u].debt += usd
			wants[u].weighted += usd * rate
			k := [2]string{u, bank}
			v := byBank[k]
			v[1] += usd
			byBank[k] = v
		}
	}
	for _, u := range users {
		for _, cur := range []string{"USD", "EUR"} {
			p, err := insights.ComputePosition(ctx, s, model.UserRef{UserName: u, UserId: model.DemoUserID(u)}, cur)
			if err != nil {
				t.Fatal(err)
			}
			div := rates[cur]
			w := wants[u]
			near(t, u+" balance "+cur, p.TotalBalance, w.bal/div)
			near(t, u+" debt "+cur, p.TotalDebt, w.debt/div)
			near(t, u+" net worth "+cur, p.NetWorth, (w.bal-w.debt)/div)
			near(t, u+" average rate", p.AvgRate, w.weighted/w.debt)
			for _, b := range p.ByBank {
				v := byBank[[2]string{u, b.Bank}]
				near(t, u+" "+b.Bank+" balance", b.Balance, v[0]/div)
				near(t, u+" "+b.Bank+" debt", b.Debt, v[1]/div)
			}
		}
	}
	if _, err := insights.ComputePosition(ctx, s, model.UserRef{UserName: "u1"}, "XYZ"); err == nil {
		t.Fatal("an unknown currency gave no error")
	}
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 0.011 {
		t.Errorf("%s: got %.4f, want %.4f", what, got, want)
	}
}

func orUSD(c string) string {
	if c == "" {
		return "USD"
	}
	return c
}
