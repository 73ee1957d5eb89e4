package buckets

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
)

func TestBucketDocRoundTrips(t *testing.T) {
	u := model.UserRef{UserName: "ann", UserId: model.DemoUserID("ann")}
	b := New(u, "green-bank", "Green Bank", "ACC 1", "2025-03")
	food := Key{Category: "Groceries", Direction: "out", Merchant: `Tesco "Metro"`, Status: "Booked"}
	pay := Key{Category: "Income", Direction: "in", Status: "Pending"}
	row := func(i int, desc string) (bson.ObjectID, int64, float64, string, string) {
		return model.DeterministicID("t", fmt.Sprint(i)), 1741824000000 + int64(i), -11.47 * float64(i), "EUR", desc
	}
	full := func(k Key, amt float64, i int, desc string) Entry {
		e := Entry{Key: k, Amount: amt}
		e.Doc, e.Booked, e.Native, e.Currency, e.Description = row(i, desc)
		return e
	}
	b.Put("tx-2", full(food, -12.5, 2, "Coffee & cake; 2 × ☕ \"x\" 50%+"))
	b.Put("tx-1", full(food, -0.1, 1, ""))
	b.Put("ünï\tcode", full(pay, 2500, 3, "salary\nMarch"))
	b.Put("tx-3", full(food, -0.2, 4, "gone"))
	b.Put("old", Entry{Key: pay, Amount: 7}) // as read from a bucket of three-field entries
	b.Remove("tx-3")
	d := b.Doc()
	if d.ID != model.TxMonthID(u, "green-bank", "ACC 1", "2025-03") || d.Count != 4 || d.MonthKey != "2025-03" || d.BankId != "green-bank" {
		t.Fatalf("header %+v", d)
	}
	want := model.MonthCells{
		{Category: "Groceries", Direction: "out", Merchant: `Tesco "Metro"`, Status: "Booked", Sum: -0.1 + -12.5, Count: 2},
		{Category: "Income", Direction: "in", Status: "Pending", Sum: 2507, Count: 2},
	}
	if !reflect.DeepEqual(d.Cells, want) {
		t.Fatalf("cells %+v, want %+v", d.Cells, want)
	}
	raw, err := bson.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"Cells", "Entries"} {
		if packed, _ := bson.Raw(raw).Lookup(f).StringValueOK(); strings.ContainsAny(packed, "\"\\\t\n") {
			t.Errorf("the packed %s hold a character JSON escapes: %q", f, packed)
		}
	}
	var stored model.TransactionMonth
	if err := bson.Unmarshal(raw, &stored); err != nil || !reflect.DeepEqual(stored, d) {
		t.Fatalf("the document came back as %+v (%v)", stored, err)
	}
	back, err := FromDoc(stored)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.entries, b.entries) || !reflect.DeepEqual(back.Doc(), d) {
		t.Fatalf("read back %+v, want %+v", back.entries, b.entries)
	}
	if e, ok := back.Get("ünï\tcode"); !ok || !e.Pending() || e.Amount != 2500 || !e.Complete() || e.Description != "salary\nMarch" {
		t.Errorf("pending entry %+v %v", e, ok)
	}
	if e, ok := back.Get("old"); !ok || e.Complete() || e.Amount != 7 {
		t.Errorf("an entry without its row came back as %+v %v", e, ok)
	}
	for _, bad := range []string{"a 7 1", "a 0", "a 0 1 x", "a 0 1 00 1 1 EUR x", "a 0 1 " + strings.Repeat("0", 24) + " 1 1 EUR x",
		"a 0 1 " + strings.Repeat("a", 24) + " 1 1 EUR x y", "a 0 1 " + strings.Repeat("a", 24) + " t 1 EUR x"} {
		d.Entries = bad
		if _, err := FromDoc(d); err == nil {
			t.Errorf("a damaged bucket was read: %q", bad)
		}
	}
}

// A bucket written before entries carried their rows (three fields each)
// still reads: every entry, with its cell and amount, none complete.
func TestOldBucketReads(t *testing.T) {
	d := model.TransactionMonth{BankId: "green-bank", AccountId: "G1", MonthKey: "2025-03", Count: 2,
		Cells:   model.MonthCells{{Category: "Dining", Direction: "out", Status: "Booked", Sum: -3, Count: 2}},
		Entries: "T%201 0 -1;T2 0 -2"}
	b, err := FromDoc(d)
	if err != nil {
		t.Fatal(err)
	}
	e1, ok1 := b.Get("T 1")
	e2, ok2 := b.Get("T2")
	if !ok1 || !ok2 || e1.Amount != -1 || e2.Amount != -2 || e1.Category != "Dining" || e1.Complete() || e2.Complete() {
		t.Fatalf("read %+v %+v", e1, e2)
	}
	if got := b.Doc(); got.Entries != "T+1 0 -1;T2 0 -2" || !reflect.DeepEqual(got.Cells, d.Cells) {
		t.Fatalf("written back as %q %+v", got.Entries, got.Cells)
	}
}

func TestEscapingMatchesQueryEscape(t *testing.T) {
	for _, s := range []string{"", "plain-id_1.2~", "a b", "Café \"Rouge\"; 50% + tax\n\t/:?&=#", "\x00\xff"} {
		if got, want := string(appendEscaped(nil, s)), url.QueryEscape(s); got != want {
			t.Errorf("%q escaped as %q, want %q", s, got, want)
		}
		if back, err := model.Unescape(string(appendEscaped(nil, s))); err != nil || back != s {
			t.Errorf("%q came back as %q (%v)", s, back, err)
		}
	}
}

// BenchmarkBucketDoc is what writing and reading one bucket of a busy
// month (400 transactions) costs in Go: the sync encodes every bucket it
// changed, a list decodes every bucket of the user.
func BenchmarkBucketDoc(b *testing.B) {
	u := model.UserRef{UserName: "ann", UserId: model.DemoUserID("ann")}
	bk := New(u, "green-bank", "Green Bank", "ACC 1", "2025-03")
	for i := range 400 {
		k := Key{Category: []string{"Groceries", "Dining", "Transport"}[i%3], Direction: "out", Merchant: []string{"Trader Joe's", "Blue Bottle", "Uber"}[i%3], Status: "Booked"}
		bk.Put(fmt.Sprintf("ACC1-20250301-%03d", i), Entry{Key: k, Amount: -float64(i) / 7, Doc: model.DeterministicID("t", fmt.Sprint(i)),
			Booked: 1740787200000 + int64(i)*60000, Native: -float64(i) / 7, Currency: "USD", Description: "Card payment at " + k.Merchant})
	}
	d := bk.Doc()
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = bk.Doc()
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := FromDoc(d); err != nil {
				b.Fatal(err)
			}
		}
	})
}
