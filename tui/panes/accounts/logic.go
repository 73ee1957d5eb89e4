package accounts

import (
	"cmp"
	"slices"
	"strings"

	"github.com/openfinance-tui/openfinance/core/model"
)

// Sort columns, in the order s cycles through them.
const (
	sortBank = iota
	sortType
	sortNumber
	sortBalance
	sortCurrency
	numSorts
)

// arrange returns the indexes of the accounts matching query (every word,
// case-insensitive, anywhere in bank, type, number, currency, status or
// description), sorted by col (ties by bank then number).
func arrange(all []model.ExternalAccount, query string, col int, desc bool) []int {
	words := strings.Fields(strings.ToLower(query))
	rows := make([]int, 0, len(all))
	for i, a := range all {
		if matches(a, words) {
			rows = append(rows, i)
		}
	}
	slices.SortStableFunc(rows, func(x, y int) int {
		a, b := all[x], all[y]
		var c int
		switch col {
		case sortType:
			c = cmp.Compare(a.AccountType, b.AccountType)
		case sortNumber:
			c = cmp.Compare(a.AccountId, b.AccountId)
		case sortBalance:
			c = cmp.Compare(a.AccountBalance, b.AccountBalance)
		case sortCurrency:
			c = cmp.Compare(a.Currency(), b.Currency())
		default:
			c = cmp.Compare(a.AccountBank, b.AccountBank)
		}
		if desc {
			c = -c
		}
		if c == 0 {
			c = cmp.Or(cmp.Compare(a.AccountBank, b.AccountBank), cmp.Compare(a.AccountId, b.AccountId))
		}
		return c
	})
	return rows
}

func matches(a model.ExternalAccount, words []string) bool {
	if len(words) == 0 {
		return true
	}
	hay := strings.ToLower(strings.Join([]string{a.AccountBank, a.AccountType, a.AccountId, a.Currency(), a.AccountStatus, narrative(a)}, " "))
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}
