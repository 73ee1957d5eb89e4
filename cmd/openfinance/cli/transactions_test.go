package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// The transaction list reads the buckets; its table and its JSON list the
// same transactions in the same order, filters included, and the
// insights can rebuild the buckets on demand.
func TestTransactionsListAndInsightsRebuild(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, dir, "seed"); code != 0 {
		t.Fatalf("seed: %s", errs)
	}
	if code, _, errs := run(t, dir, "link", "--user", "bob", "--bank", "green-bank", "--yes"); code != 0 {
		t.Fatalf("link: %s", errs)
	}
	type tx struct {
		TransactionId   string  //nolint:revive
		TransactionBank string  `json:"TransactionBank"`
		Amount          float64 `json:"Amount"`
		Category        string  `json:"Category"`
		BookingDate     struct {
			Date string `json:"$date"`
		} `json:"BookingDate"`
	}
	list := func(args ...string) ([]tx, []string) {
		t.Helper()
		code, out, errs := run(t, dir, append([]string{"transactions", "--user", "bob", "--json"}, args...)...)
		var txs []tx
		if err := json.Unmarshal([]byte(out), &txs); code != 0 || err != nil {
			t.Fatalf("transactions %v --json: exit %d %v %s", args, code, err, errs)
		}
		code, out, errs = run(t, dir, append([]string{"transactions", "--user", "bob"}, args...)...)
		if code != 0 {
			t.Fatalf("transactions %v: exit %d %s", args, code, errs)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if !strings.HasPrefix(lines[0], "DATE") {
			t.Fatalf("no table header: %q", lines[0])
		}
		return txs, lines[1:]
	}
	all, table := list()
	if len(all) < 100 || len(table) != len(all) {
		t.Fatalf("%d transactions as JSON, %d table rows", len(all), len(table))
	}
	for i, x := range all {
		if !strings.HasPrefix(table[i], x.BookingDate.Date[:10]) {
			t.Fatalf("row %d: table %q, JSON %+v", i, table[i], x)
		}
		if i > 0 && x.BookingDate.Date > all[i-1].BookingDate.Date {
			t.Fatalf("not newest first at %d: %s after %s", i, x.BookingDate.Date, all[i-1].BookingDate.Date)
		}
	}
	month := all[len(all)/2].BookingDate.Date[:7]
	for _, args := range [][]string{{"--month", month}, {"--category", "groceries"}, {"--text", "COFFEE"}, {"--limit", "5"}} {
		txs, rows := list(args...)
		if len(txs) == 0 || len(txs) != len(rows) || len(txs) == len(all) {
			t.Errorf("%v: %d as JSON, %d table rows, of %d", args, len(txs), len(rows), len(all))
		}
		for _, x := range txs {
			if args[0] == "--month" && !strings.HasPrefix(x.BookingDate.Date, month) || args[0] == "--category" && x.Category != "Groceries" {
				t.Errorf("%v lists %+v", args, x)
			}
		}
	}

	if code, _, errs := run(t, dir, "insights", "--user", "bob", "--rebuild"); code != 2 || !strings.Contains(errs, "--recompute") {
		t.Fatalf("--rebuild alone: exit %d %s", code, errs)
	}
	code, out, errs := run(t, dir, "insights", "--user", "bob", "--recompute", "--rebuild", "--json")
	var in struct {
		Transactions int `json:"transaction_count"`
	}
	if err := json.Unmarshal([]byte(out), &in); code != 0 || err != nil || in.Transactions != len(all) {
		t.Fatalf("insights --recompute --rebuild: exit %d, %d transactions of %d (%v) %s", code, in.Transactions, len(all), err, errs)
	}
	if _, out, _ := run(t, dir, "insights", "--help"); !strings.Contains(out, "--rebuild") || !strings.Contains(out, "transaction_months") {
		t.Fatalf("help does not explain --rebuild:\n%s", out)
	}
	if again, _ := list(); len(again) != len(all) {
		t.Fatalf("%d transactions after the rebuild, %d before", len(again), len(all))
	}
}
