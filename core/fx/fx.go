// Package fx converts amounts between currencies with the rates stored in
// the fx_rates collection.
package fx

import (
	"context"
	"fmt"
	"math"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Rates maps a currency code to the value of one unit in US dollars.
type Rates map[string]float64

// Load reads fx_rates. USD is always 1.
func Load(ctx context.Context, s *store.Store) (Rates, error) {
	docs, err := store.FindAll[model.FXRate](ctx, s, model.CollFXRates, bson.D{})
	if err != nil {
		return nil, err
	}
	r := Rates{"USD": 1}
	for _, d := range docs {
		c := strings.ToUpper(d.Currency)
		if c == "" {
			c = strings.ToUpper(d.ID)
		}
		if d.RateToUSD > 0 && !math.IsInf(d.RateToUSD, 0) {
			r[c] = d.RateToUSD
		}
	}
	return r, nil
}

// Convert converts amount from one currency to another. An empty currency is
// USD, as in the original system.
func (r Rates) Convert(amount float64, from, to string) (float64, error) {
	from, to = norm(from), norm(to)
	if from == to {
		return amount, nil
	}
	f, ok := r[from]
	if !ok {
		return 0, fmt.Errorf("no exchange rate for %s in fx_rates; import one (openfinance import open_finance.fx_rates.json)", from)
	}
	t, ok := r[to]
	if !ok {
		return 0, fmt.Errorf("no exchange rate for %s in fx_rates; import one (openfinance import open_finance.fx_rates.json)", to)
	}
	return amount * f / t, nil
}

// Has reports whether the currency can be converted.
func (r Rates) Has(c string) bool { _, ok := r[norm(c)]; return ok }

func norm(c string) string {
	if c == "" {
		return "USD"
	}
	return strings.ToUpper(c)
}

// Round2 rounds to cents, for presenting sums of binary floats.
func Round2(x float64) float64 { return math.Round(x*100) / 100 }
