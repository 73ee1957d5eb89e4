package accounts

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
)

func accts() []model.ExternalAccount {
	return []model.ExternalAccount{
		{AccountId: "GRN-2", AccountBank: "Green Bank", AccountType: "Savings", AccountBalance: 500, AccountCurrency: "USD"},
		{AccountId: "MDB-1", AccountBank: "MongoDB Bank", AccountType: "Checking", AccountBalance: 1500,
			Extra: bson.M{"MDBAccountNarrative": "Developer Checking: no fees"}},
		{AccountId: "ALB-9", AccountBank: "Albion Bank", AccountType: "Checking", AccountBalance: -20, AccountCurrency: "GBP"},
		{AccountId: "GRN-1", AccountBank: "Green Bank", AccountType: "Checking", AccountBalance: 80, AccountCurrency: "USD"},
	}
}

func ids(all []model.ExternalAccount, rows []int) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = all[r].AccountId
	}
	return out
}

func TestArrangeSortsAndFilters(t *testing.T) {
	all := accts()
	for _, c := range []struct {
		name  string
		query string
		col   int
		desc  bool
		want  []string
	}{
		{"by bank then number", "", sortBank, false, []string{"ALB-9", "GRN-1", "GRN-2", "MDB-1"}},
		{"by bank reversed, ties by number", "", sortBank, true, []string{"MDB-1", "GRN-1", "GRN-2", "ALB-9"}},
		{"by balance", "", sortBalance, false, []string{"ALB-9", "GRN-1", "GRN-2", "MDB-1"}},
		{"by balance, largest first", "", sortBalance, true, []string{"MDB-1", "GRN-2", "GRN-1", "ALB-9"}},
		{"by currency (missing = USD)", "", sortCurrency, false, []string{"ALB-9", "GRN-1", "GRN-2", "MDB-1"}},
		{"filter one word, any case", "checking", sortBank, false, []string{"ALB-9", "GRN-1", "MDB-1"}},
		{"filter every word", "green checking", sortBank, false, []string{"GRN-1"}},
		{"filter the bank's own description", "no fees", sortBank, false, []string{"MDB-1"}},
		{"filter by currency", "gbp", sortBank, false, []string{"ALB-9"}},
		{"no match", "zzz", sortBank, false, []string{}},
	} {
		got := ids(all, arrange(all, c.query, c.col, c.desc))
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}
