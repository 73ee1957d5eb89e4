package hub_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/insights/buckets"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/storetest"
	"github.com/openfinance-tui/openfinance/core/transfer"
)

// sameRows fails unless rows list exactly the transactions txs, in the
// same order, with the same values.
func sameRows(t *testing.T, at string, rows []hub.TxRow, txs []model.Transaction) {
	t.Helper()
	if len(rows) != len(txs) {
		t.Fatalf("%s: %d rows, the scan finds %d transactions", at, len(rows), len(txs))
	}
	for i, r := range rows {
		x := txs[i]
		bankKey := x.BankId
		if bankKey == "" {
			bankKey = x.TransactionBank
		}
		if r.ID != x.ID || r.TransactionId != x.TransactionId || r.BankId != bankKey || r.TransactionBank != x.TransactionBank ||
			r.TransactionAccountId != x.TransactionAccountId || r.MonthKey != x.MonthKey || !r.BookingDate.Equal(x.BookingDate) ||
			r.Amount != x.Amount || r.Currency != x.Currency || r.AmountBase != x.AmountBase || r.Category != x.Category ||
			r.Direction != x.Direction || r.Merchant != x.Merchant || r.Status != x.Status || r.Description != x.Description {
			t.Fatalf("%s: row %d is\n%+v\nthe scan's transaction is\n%+v", at, i, r, x)
		}
	}
}

// rowsAndScan compares TransactionRows with the scan (Transactions) for u,
// under every filter the CLI offers, and returns the rows.
func rowsAndScan(t *testing.T, e *env, at string, u model.UserRef) []hub.TxRow {
	t.Helper()
	ctx := storetest.Ctx(t)
	rows, err := e.h.TransactionRows(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	txs, err := e.h.Transactions(ctx, u, hub.TxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, at, rows, txs)
	if len(rows) == 0 {
		return rows
	}
	mid := rows[len(rows)/2]
	for _, f := range []hub.TxFilter{
		{Bank: mid.TransactionBank}, {Bank: mid.TransactionBank, Account: mid.TransactionAccountId, Limit: 7},
		{Month: mid.MonthKey}, {Category: mid.Category}, {Text: strings.ToUpper(firstWord(mid.Merchant + " " + mid.Description))},
		{Text: "nothing is called like this"},
	} {
		want, err := e.h.Transactions(ctx, u, f)
		if err != nil {
			t.Fatal(err)
		}
		sameRows(t, fmt.Sprintf("%s, filter %+v", at, f), e.h.FilterRows(rows, f), want)
	}
	return rows
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// Imported transactions keep the _id they came with (or get one derived
// from their content), may name the bank only and the owner only by
// name: their rows still carry the document's _id, and a row opens the
// whole document, for its owner only.
func TestTransactionRowsOfImportedData(t *testing.T) {
	e := newEnv(t)
	ctx := storetest.Ctx(t)
	if _, err := e.h.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	alice, err := e.h.User(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	var js []string
	for i := range 60 {
		id := fmt.Sprintf(`"_id": {"$oid": "%024x"}, `, 0xabc000+i)
		if i%10 == 3 {
			id = "" // the import derives one
		}
		bank := `"BankId": "green-bank", `
		if i%3 == 0 {
			bank = "" // only the name, as the original system stored it
		}
		day := time.Date(2025, time.Month(1+i%4), 1+i%5, 0, 0, 0, 0, time.UTC) // many on the same day
		amt := float64(i*37%900-450) / 10
		dir := map[bool]string{true: model.DirectionIn, false: model.DirectionOut}[amt >= 0]
		js = append(js, fmt.Sprintf(`{%s"TransactionId": "IMP %d/x", "TransactionBank": "Green Bank", %s"TransactionAccountId": "ACC-%d",
			"TransactionUser": {"UserName": "alice"}, "BookingDate": {"$date": "%s"}, "Amount": %g, "Currency": "%s",
			"AmountBase": %g, "BaseCurrency": "USD", "MonthKey": "%s", "Direction": "%s", "Category": "%s",
			"Merchant": "%s", "Description": "%s", "Status": "Booked", "ImportedNote": "kept %d"}`,
			id, i, bank, i%2, day.Format(time.RFC3339), amt, []string{"USD", "EUR"}[i%2], amt*1.1, model.MonthKey(day), dir,
			[]string{"Dining", "Groceries", "Income"}[i%3], []string{"Café Rouge", "", "Shop; 50% off"}[i%3],
			[]string{"card \\\"tap\\\" payment", "", "a\\ttab"}[i%3], i))
	}
	src := transfer.Source{Name: "open_finance.transactions.json", Data: []byte("[" + strings.Join(js, ",\n") + "]")}
	if _, err := transfer.Import(ctx, e.s, []transfer.Source{src}, transfer.Options{}); err != nil {
		t.Fatal(err)
	}
	rows := rowsAndScan(t, e, "imported", alice)
	if len(rows) != 60 {
		t.Fatalf("%d rows, want the 60 imported", len(rows))
	}
	for _, r := range rows[:5] {
		tx, err := e.h.Transaction(ctx, alice, r)
		if err != nil || tx.ID != r.ID || tx.Extra["ImportedNote"] == nil {
			t.Fatalf("opening %+v: %+v %v", r, tx, err)
		}
	}
	bob, _ := e.h.User(ctx, "bob")
	if _, err := e.h.Transaction(ctx, bob, rows[0]); !errors.Is(err, hub.ErrNoTransaction) {
		t.Fatalf("bob opened alice's transaction: %v", err)
	}
	docs, err := e.h.TransactionDocs(ctx, alice, rows)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.h.Transactions(ctx, alice, hub.TxFilter{})
	if len(docs) != len(want) {
		t.Fatalf("%d documents, want %d", len(docs), len(want))
	}
	for i := range docs {
		if docs[i].ID != want[i].ID || docs[i].Extra["ImportedNote"] != want[i].Extra["ImportedNote"] {
			t.Fatalf("document %d: %+v, want %+v", i, docs[i], want[i])
		}
	}
}

// Rows follow what the sync stores: a first sync, a later one where
// pending transactions were booked and new ones arrived, a revoke.
func TestTransactionRowsFollowSyncsAndRevoke(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "rita")
	for _, b := range []string{"green-bank", "rhein-bank"} {
		e.link(t, u, b)
		e.sync(t, u, b)
	}
	first := rowsAndScan(t, e, "first sync", u)
	pending := map[string]bool{}
	for _, r := range first {
		if r.Status == model.StatusPending {
			pending[r.TransactionId] = true
		}
	}
	if len(first) == 0 || len(pending) == 0 {
		t.Fatalf("%d rows, %d pending: nothing to follow", len(first), len(pending))
	}
	e.advance(3 * 24 * time.Hour)
	e.sync(t, u, "")
	later := rowsAndScan(t, e, "resync", u)
	booked := 0
	for _, r := range later {
		if pending[r.TransactionId] && r.Status == model.StatusBooked {
			booked++
		}
	}
	if booked == 0 || len(later) <= len(first) {
		t.Fatalf("after three days: %d of %d pending booked, %d rows then %d", booked, len(pending), len(first), len(later))
	}
	if _, err := e.h.RevokeDetail(storetest.Ctx(t), u, "green-bank"); err != nil {
		t.Fatal(err)
	}
	left := rowsAndScan(t, e, "revoked", u)
	for _, r := range left {
		if r.BankId == "green-bank" {
			t.Fatalf("a row of the revoked bank is left: %+v", r)
		}
	}
	if len(left) == 0 || len(left) == len(later) {
		t.Fatalf("%d rows before the revoke, %d after", len(later), len(left))
	}
}

// Buckets written before their entries carried rows (three fields each)
// still read; listing rebuilds them from the transactions once.
func TestOldBucketsAreRebuiltForRows(t *testing.T) {
	e := newEnv(t)
	ctx := storetest.Ctx(t)
	if _, err := e.h.SeedIfEmpty(ctx); err != nil { // the exchange rates
		t.Fatal(err)
	}
	u := e.user(t, "otto")
	e.link(t, u, "albion-bank")
	e.sync(t, u, "albion-bank")
	want := rowsAndScan(t, e, "synced", u)
	var ix model.TransactionMonthIndex
	if err := e.s.C(model.CollTxMonths).FindOne(ctx, bson.D{{Key: "_id", Value: model.TxMonthIndexID(u)}}).Decode(&ix); err != nil {
		t.Fatal(err)
	}
	for _, r := range ix.Buckets[:len(ix.Buckets)/2+1] { // some old, some new
		var d model.TransactionMonth
		if err := e.s.C(model.CollTxMonths).FindOne(ctx, bson.D{{Key: "_id", Value: r.ID}}).Decode(&d); err != nil {
			t.Fatal(err)
		}
		old := strings.Split(d.Entries, ";")
		for i, row := range old {
			old[i] = strings.Join(strings.Split(row, " ")[:3], " ")
		}
		if _, err := e.s.C(model.CollTxMonths).UpdateOne(ctx, bson.D{{Key: "_id", Value: r.ID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "Entries", Value: strings.Join(old, ";")}}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, complete, err := buckets.Rows(ctx, e.s, u); err != nil || complete {
		t.Fatalf("old buckets read as complete (%v)", err)
	}
	in, err := e.h.RecomputeInsights(ctx, u)
	if err != nil || in.Transactions != len(want) {
		t.Fatalf("insights over old buckets: %d transactions, want %d (%v)", in.Transactions, len(want), err)
	}
	rowsAndScan(t, e, "old buckets", u)
	if rows, complete, err := buckets.Rows(ctx, e.s, u); err != nil || !complete || len(rows) != len(want) {
		t.Fatalf("after the rebuild: %d rows, complete %v (%v)", len(rows), complete, err)
	}
}
