package mockbank_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/demo"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// allPerms asks for everything a bank can share.
func allPerms() []string { return banks.DefaultPermissions() }

func TestFullFlowGreenBank(t *testing.T)   { testOriginalFlow(t, "green-bank", "alice") }
func TestFullFlowMongoDBBank(t *testing.T) { testOriginalFlow(t, "mongodb-bank", "bob") }

// testOriginalFlow links a demo person and reads every resource: the
// accounts and products are exactly the demo table's, the transactions
// exactly the generator's.
func testOriginalFlow(t *testing.T, bank, user string) {
	h := newHarness(t)
	tok := h.link(bank, user, allPerms()...)
	ds, err := h.srv.Dataset(bank, user)
	if err != nil {
		t.Fatal(err)
	}
	narr := "GreenAccountNarrative"
	if bank == "mongodb-bank" {
		narr = "MDBAccountNarrative"
	}

	r := h.get(bank, "/accounts?page=1", tok)
	if r.status != http.StatusOK {
		t.Fatalf("accounts: %d %s", r.status, r.body)
	}
	var want []demo.Account
	for _, a := range demo.Accounts() {
		if a.UserName == user && a.BankID == bank {
			want = append(want, a)
		}
	}
	accs := list(r.json(t)["Accounts"])
	if len(accs) != len(want) || len(want) == 0 {
		t.Fatalf("accounts: %d, want %d: %s", len(accs), len(want), r.body)
	}
	for i, raw := range accs {
		a, w := obj(raw), want[i]
		if a["AccountId"] != w.AccountID || a["AccountBalance"] != w.Balance || a["AccountType"] != w.AccountType ||
			a["AccountCurrency"] != "USD" || a[narr] != w.Narrative || a["AccountBank"] != info(t, bank).Name ||
			str(obj(a["AccountDate"])["OpeningDate"]) != w.OpeningDate+"T00:00:00Z" {
			t.Errorf("account %d = %v, want %+v", i, a, w)
		}
	}

	r = h.get(bank, "/products", tok)
	prods := list(r.json(t)["Products"])
	var wantP []demo.Product
	for _, p := range demo.Products() {
		if p.UserName == user && p.BankID == bank {
			wantP = append(wantP, p)
		}
	}
	if r.status != http.StatusOK || len(prods) != len(wantP) {
		t.Fatalf("products: %d %s", r.status, r.body)
	}
	for i, raw := range prods {
		p, w := obj(raw), wantP[i]
		ok := p["ProductId"] == w.ProductID && p["ProductAmount"] == w.Amount && p["ProductInterestRate"] == w.Rate &&
			p["ProductType"] == w.ProductType
		if w.ProductType == "Mortgage" {
			ok = ok && p["AmortizationPeriod"] == float64(w.AmortizationPeriod) &&
				obj(p["PropertyDetails"])["PropertyValue"] == w.PropertyValue
		} else {
			ok = ok && p["RepaymentPeriod"] == float64(w.RepaymentPeriod) && p["LoanCollateral"] == w.LoanCollateral
		}
		if !ok {
			t.Errorf("product %d = %v, want %+v", i, p, w)
		}
	}

	for _, a := range ds.Accounts {
		all := ds.Transactions(a.ID)
		var got []map[string]any
		for n, total := 1, 1; n <= total; n++ {
			r := h.get(bank, fmt.Sprintf("/accounts/%s/transactions?page=%d&pageSize=100", url.PathEscape(a.ID), n), tok)
			m := r.json(t)
			if r.status != http.StatusOK {
				t.Fatalf("transactions page %d: %d %s", n, r.status, r.body)
			}
			total = int(m["TotalPages"].(float64))
			for _, x := range list(m["Transactions"]) {
				got = append(got, obj(x))
			}
		}
		if len(got) != len(all) || len(all) == 0 {
			t.Fatalf("%s: %d transactions, want %d", a.ID, len(got), len(all))
		}
		for i, x := range got {
			w := all[i]
			if x["TransactionId"] != w.ID || x["Amount"] != w.Amount || x["Merchant"] != w.Merchant ||
				x["Category"] != w.Category || x["Status"] != w.Status || x["Currency"] != "USD" {
				t.Fatalf("%s tx %d = %v, want %+v", a.ID, i, x, w)
			}
			if bank == "green-bank" && x["GreenCarbonKg"] == nil || bank == "mongodb-bank" && x["MDBTags"] == nil {
				t.Fatalf("%s tx %d lacks the bank's own field: %v", a.ID, i, x)
			}
		}
	}
}

func TestFullFlowAlbionBank(t *testing.T) {
	const bank, user = "albion-bank", "alice"
	h := newHarness(t)
	tok := h.link(bank, user, allPerms()...)
	ds, err := h.srv.Dataset(bank, user)
	if err != nil {
		t.Fatal(err)
	}
	const root = "/open-banking/v3.1/aisp"
	r := h.get(bank, root+"/accounts", tok)
	env := r.json(t)
	accs := list(obj(env["Data"])["Account"])
	if r.status != http.StatusOK || len(accs) != len(ds.Accounts)+len(ds.Products) || obj(env["Links"])["Self"] == nil {
		t.Fatalf("accounts: %d %s", r.status, r.body)
	}
	for _, raw := range accs {
		a := obj(raw)
		id := str(a["AccountId"])
		sub := str(a["AccountSubType"])
		if a["Currency"] != "GBP" || len(list(a["Account"])) != 1 {
			t.Errorf("account %v", a)
		}
		bal := h.get(bank, root+"/accounts/"+id+"/balances", tok)
		balances := list(obj(bal.json(t)["Data"])["Balance"])
		if bal.status != http.StatusOK || len(balances) == 0 {
			t.Fatalf("balances of %s: %d %s", id, bal.status, bal.body)
		}
		amt := obj(obj(balances[0])["Amount"])
		prod := h.get(bank, root+"/accounts/"+id+"/product", tok)
		ps := list(obj(prod.json(t)["Data"])["Product"])
		if prod.status != http.StatusOK || len(ps) != 1 {
			t.Fatalf("product of %s: %d %s", id, prod.status, prod.body)
		}
		if sub == "Loan" || sub == "Mortgage" {
			p, ok := ds.Product(id)
			terms := obj(obj(ps[0])["LoanTerms"])
			if !ok || amt["Amount"] != strconv.FormatFloat(p.Amount, 'f', 2, 64) || obj(balances[0])["CreditDebitIndicator"] != "Debit" ||
				terms["TermMonths"] != float64(p.TermMonths) {
				t.Errorf("loan %s: balance %v terms %v, want %+v", id, amt, terms, p)
			}
			continue
		}
		acc, ok := ds.Account(id)
		if !ok || amt["Amount"] != strconv.FormatFloat(acc.Balance, 'f', 2, 64) || amt["Currency"] != "GBP" {
			t.Errorf("account %s balance %v, want %+v", id, amt, acc)
		}
		want := ds.Transactions(id)
		var got []map[string]any
		next := root + "/accounts/" + id + "/transactions"
		for pages := 0; next != ""; pages++ {
			if pages > 50 {
				t.Fatal("too many pages")
			}
			r := h.get(bank, next, tok)
			env := r.json(t)
			if r.status != http.StatusOK {
				t.Fatalf("transactions: %d %s", r.status, r.body)
			}
			for _, x := range list(obj(env["Data"])["Transaction"]) {
				got = append(got, obj(x))
			}
			next = str(obj(env["Links"])["Next"])
		}
		if len(got) != len(want) || len(want) == 0 {
			t.Fatalf("%s: %d transactions, want %d", id, len(got), len(want))
		}
		for i, x := range got {
			w := want[i]
			ind := "Debit"
			if w.Amount > 0 {
				ind = "Credit"
			}
			if x["TransactionId"] != w.ID || obj(x["Amount"])["Amount"] != strconv.FormatFloat(abs(w.Amount), 'f', 2, 64) ||
				x["CreditDebitIndicator"] != ind || x["Status"] != w.Status || obj(x["MerchantDetails"])["MerchantName"] != w.Merchant {
				t.Fatalf("%s tx %d = %v, want %+v", id, i, x, w)
			}
		}
	}
	one := h.get(bank, root+"/accounts/"+ds.Accounts[0].ID, tok)
	if one.status != http.StatusOK {
		t.Fatalf("one account: %d %s", one.status, one.body)
	}
}

func TestFullFlowRheinBank(t *testing.T) {
	const bank, user = "rhein-bank", "demo"
	h := newHarness(t)
	tok := h.link(bank, user, allPerms()...)
	ds, err := h.srv.Dataset(bank, user)
	if err != nil {
		t.Fatal(err)
	}
	r := h.get(bank, "/v1/accounts?withBalance=true", tok)
	accs := list(r.json(t)["accounts"])
	if r.status != http.StatusOK || len(accs) != len(ds.Accounts) {
		t.Fatalf("accounts: %d %s", r.status, r.body)
	}
	for i, raw := range accs {
		a, w := obj(raw), ds.Accounts[i]
		bals := list(a["balances"])
		if a["resourceId"] != w.ID || a["iban"] != w.Number || a["currency"] != "EUR" || len(bals) != 2 ||
			obj(obj(bals[0])["balanceAmount"])["amount"] != strconv.FormatFloat(w.Balance, 'f', 2, 64) {
			t.Errorf("account %v, want %+v", a, w)
		}
		b := h.get(bank, "/v1/accounts/"+w.ID+"/balances", tok)
		if b.status != http.StatusOK || obj(b.json(t)["account"])["iban"] != w.Number {
			t.Fatalf("balances: %d %s", b.status, b.body)
		}
		want := ds.Transactions(w.ID)
		var booked, pending int
		var ids []string
		next := "/v1/accounts/" + w.ID + "/transactions?bookingStatus=both"
		for pages := 0; next != ""; pages++ {
			if pages > 50 {
				t.Fatal("too many pages")
			}
			r := h.get(bank, next, tok)
			if r.status != http.StatusOK {
				t.Fatalf("transactions: %d %s", r.status, r.body)
			}
			txs := obj(r.json(t)["transactions"])
			for _, g := range []string{"pending", "booked"} {
				for _, x := range list(txs[g]) {
					ids = append(ids, str(obj(x)["transactionId"]))
					if g == "booked" {
						booked++
					} else {
						pending++
					}
				}
			}
			next = str(obj(obj(txs["_links"])["next"])["href"])
		}
		if len(ids) != len(want) || len(want) == 0 {
			t.Fatalf("%s: %d transactions, want %d", w.ID, len(ids), len(want))
		}
		for i := range want {
			if ids[i] != want[i].ID {
				t.Fatalf("%s tx %d = %s, want %s", w.ID, i, ids[i], want[i].ID)
			}
		}
		wantPending := 0
		for _, x := range want {
			if x.Status == gen.StatusPending {
				wantPending++
			}
		}
		if pending != wantPending {
			t.Errorf("%s: %d pending, want %d", w.ID, pending, wantPending)
		}
	}
	r = h.get(bank, "/v1/loans", tok)
	loans := list(r.json(t)["loans"])
	if r.status != http.StatusOK || len(loans) != len(ds.Products) || len(loans) == 0 {
		t.Fatalf("loans: %d %s", r.status, r.body)
	}
	for i, raw := range loans {
		l, p := obj(raw), ds.Products[i]
		if l["resourceId"] != p.ID || obj(l["outstandingAmount"])["amount"] != strconv.FormatFloat(p.Amount, 'f', 2, 64) ||
			l["termMonths"] != float64(p.TermMonths) {
			t.Errorf("loan %v, want %+v", l, p)
		}
	}
	// The consent as the bank describes it.
	c := h.do(http.MethodGet, h.srv.BaseURL(bank)+"/v1/consents/"+tok.consent, nil, nil, true)
	var doc struct {
		Status string          `json:"consentStatus"`
		Access json.RawMessage `json:"access"`
	}
	if err := json.Unmarshal(c.body, &doc); err != nil || doc.Status != "valid" || len(doc.Access) < 10 {
		t.Fatalf("consent: %d %s", c.status, c.body)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
