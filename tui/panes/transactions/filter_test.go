package transactions

import (
	"fmt"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
)

func txs() []hub.TxRow {
	d := func(m, day int) time.Time { return time.Date(2026, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	mk := func(bank, acct string, at time.Time, amt float64, merchant, cat string) hub.TxRow {
		return hub.TxRow{TransactionBank: bank, TransactionAccountId: acct, BookingDate: at, MonthKey: model.MonthKey(at),
			Amount: amt, AmountBase: amt, Merchant: merchant, Category: cat, Currency: "USD"}
	}
	return []hub.TxRow{
		mk("Green Bank", "G1", d(3, 10), -12.5, "Blue Bottle Coffee", "Dining"),
		mk("Green Bank", "G2", d(3, 2), 5000, "Stark Logistics", "Income"),
		mk("MongoDB Bank", "M1", d(2, 20), -60, "Trader Joe's", "Groceries"),
		mk("MongoDB Bank", "M1", d(2, 1), -1800, "Elm Street Rentals", "Housing"),
		mk("Green Bank", "G1", d(1, 15), -8, "Blue Bottle Coffee", "Dining"),
	}
}

func TestApplyFilters(t *testing.T) {
	all := txs()
	for _, c := range []struct {
		f       Filter
		want    int
		in, out float64
	}{
		{Filter{}, 5, 5000, 1880.5},
		{Filter{Bank: "Green Bank"}, 3, 5000, 20.5},
		{Filter{Bank: "Green Bank", Account: "G1"}, 2, 0, 20.5},
		{Filter{Month: "2026-02"}, 2, 0, 1860},
		{Filter{Category: "Dining"}, 2, 0, 20.5},
		{Filter{Text: "blue"}, 2, 0, 20.5},
		{Filter{Text: "BOTTLE coffee", Month: "2026-03"}, 1, 0, 12.5},
		{Filter{Text: "groceries"}, 1, 0, 60}, // text searches the category too
		{Filter{Text: "nothing like this"}, 0, 0, 0},
	} {
		var hay []string
		ix := apply(all, c.f, &hay)
		if len(ix.rows) != c.want || ix.in != c.in || ix.out != c.out {
			t.Errorf("%+v: %d rows, in %.2f out %.2f; want %d, %.2f, %.2f", c.f, len(ix.rows), ix.in, ix.out, c.want, c.in, c.out)
		}
		for i := 1; i < len(ix.rows); i++ {
			if ix.rows[i] <= ix.rows[i-1] {
				t.Errorf("%+v: rows out of order: %v", c.f, ix.rows)
			}
		}
	}
}

func TestFacetsAndCycling(t *testing.T) {
	f := facetsOf(txs())
	if fmt.Sprint(f.banks) != "[Green Bank MongoDB Bank]" || fmt.Sprint(f.months) != "[2026-03 2026-02 2026-01]" {
		t.Fatalf("facets: banks %v months %v", f.banks, f.months)
	}
	if fmt.Sprint(f.accountsOf("Green Bank")) != "[G1 G2]" || fmt.Sprint(f.accountsOf("")) != "[G1 G2 M1]" {
		t.Fatalf("accounts: %v / %v", f.accountsOf("Green Bank"), f.accountsOf(""))
	}
	// Each press moves on; after the last value comes "all" again.
	v, seen := "", []string{}
	for range 4 {
		v = next(f.months, v)
		seen = append(seen, v)
	}
	if fmt.Sprint(seen) != "[2026-03 2026-02 2026-01 ]" {
		t.Fatalf("cycling months: %q", seen)
	}
	if next(nil, "") != "" || next([]string{"a"}, "gone") != "" {
		t.Fatal("cycling an empty list or from a vanished value must give all")
	}
}
