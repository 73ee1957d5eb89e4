package transactions

import (
	"slices"
	"strings"

	"github.com/openfinance-tui/openfinance/core/hub"
)

// Filter narrows the list. Empty fields match everything; Text matches
// every word anywhere in merchant, description, category or bank.
type Filter struct {
	Bank, Account, Month, Category, Text string
}

// Active reports whether anything is filtered.
func (f Filter) Active() bool { return f != Filter{} }

// match reports whether t passes; hay is t's lower-cased searchable text
// (only consulted when words is not empty).
func (f Filter) match(t *hub.TxRow, words []string, hay func() string) bool {
	if f.Bank != "" && t.TransactionBank != f.Bank ||
		f.Account != "" && t.TransactionAccountId != f.Account ||
		f.Month != "" && t.MonthKey != f.Month ||
		f.Category != "" && t.Category != f.Category {
		return false
	}
	if len(words) == 0 {
		return true
	}
	h := hay()
	for _, w := range words {
		if !strings.Contains(h, w) {
			return false
		}
	}
	return true
}

// index is the filtered view of the transactions and what it sums to.
type index struct {
	rows     []int32 // indexes into the transactions, in their order (newest first)
	in, out  float64 // in the base currency
	mixedCur bool
}

// apply filters all with f. hay caches each transaction's searchable text,
// built the first time a text filter needs it.
func apply(all []hub.TxRow, f Filter, hay *[]string) index {
	words := strings.Fields(strings.ToLower(f.Text))
	if len(words) > 0 && len(*hay) != len(all) {
		h := make([]string, len(all))
		for i := range all {
			t := &all[i]
			h[i] = strings.ToLower(t.Merchant + " " + t.Description + " " + t.Category + " " + t.TransactionBank)
		}
		*hay = h
	}
	ix := index{rows: make([]int32, 0, len(all))}
	for i := range all {
		t := &all[i]
		if !f.match(t, words, func() string { return (*hay)[i] }) {
			continue
		}
		ix.rows = append(ix.rows, int32(i))
		if t.AmountBase >= 0 {
			ix.in += t.AmountBase
		} else {
			ix.out -= t.AmountBase
		}
	}
	return ix
}

// facets are the distinct values the filter keys cycle through.
type facets struct {
	banks, months, categories []string
	accounts                  map[string][]string // per bank
}

func facetsOf(all []hub.TxRow) facets {
	banks, months, cats := map[string]bool{}, map[string]bool{}, map[string]bool{}
	accts := map[string]map[string]bool{}
	for i := range all {
		t := &all[i]
		banks[t.TransactionBank] = true
		months[t.MonthKey] = true
		cats[t.Category] = true
		if accts[t.TransactionBank] == nil {
			accts[t.TransactionBank] = map[string]bool{}
		}
		accts[t.TransactionBank][t.TransactionAccountId] = true
	}
	f := facets{banks: sorted(banks), categories: sorted(cats), accounts: map[string][]string{}}
	f.months = sorted(months)
	slices.Reverse(f.months) // newest month first
	for b, as := range accts {
		f.accounts[b] = sorted(as)
	}
	return f
}

// accountsOf lists the accounts to cycle through: the chosen bank's, or all.
func (f facets) accountsOf(bank string) []string {
	if bank != "" {
		return f.accounts[bank]
	}
	var all []string
	for _, b := range f.banks {
		all = append(all, f.accounts[b]...)
	}
	return all
}

// next returns the value after cur in vals, "" (everything) after the last.
func next(vals []string, cur string) string {
	if cur == "" {
		if len(vals) == 0 {
			return ""
		}
		return vals[0]
	}
	i := slices.Index(vals, cur)
	if i < 0 || i+1 >= len(vals) {
		return ""
	}
	return vals[i+1]
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		if k != "" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
