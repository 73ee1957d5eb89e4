package buckets

import (
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
	b.Put("tx-2", Entry{Key: food, Amount: -12.5})
	b.Put("tx-1", Entry{Key: food, Amount: -0.1})
	b.Put("ünï\tcode", Entry{Key: pay, Amount: 2500})
	b.Put("tx-3", Entry{Key: food, Amount: -0.2})
	b.Remove("tx-3")
	d := b.Doc()
	if d.ID != model.TxMonthID(u, "green-bank", "ACC 1", "2025-03") || d.Count != 3 || d.MonthKey != "2025-03" || d.BankId != "green-bank" {
		t.Fatalf("header %+v", d)
	}
	want := model.MonthCells{
		{Category: "Groceries", Direction: "out", Merchant: `Tesco "Metro"`, Status: "Booked", Sum: -0.1 + -12.5, Count: 2},
		{Category: "Income", Direction: "in", Status: "Pending", Sum: 2500, Count: 1},
	}
	if !reflect.DeepEqual(d.Cells, want) {
		t.Fatalf("cells %+v, want %+v", d.Cells, want)
	}
	raw, err := bson.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if packed, _ := bson.Raw(raw).Lookup("Cells").StringValueOK(); strings.ContainsAny(packed, "\"\\\t\n") {
		t.Errorf("the packed cells hold a character JSON escapes: %q", packed)
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
	if e, ok := back.Get("ünï\tcode"); !ok || !e.Pending() || e.Amount != 2500 {
		t.Errorf("pending entry %+v %v", e, ok)
	}
	d.Entries = "a 7 1"
	if _, err := FromDoc(d); err == nil {
		t.Error("a damaged bucket was read")
	}
}
