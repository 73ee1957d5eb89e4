package restapi

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/mockbank"
	"github.com/openfinance-tui/openfinance/sampledata"
)

// TestReplayOfTheWebUISession replays what leafy-bank-ui does against the
// original service, step by step, with the expected totals at each step
// computed here from the documents the API listed and the seeded rates:
// pick a user, fetch accounts and products, connect a bank, compute both
// totals, disconnect one item and recompute.
func TestReplayOfTheWebUISession(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	mb, err := mockbank.Start(ctx, "127.0.0.1:0", mockbank.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ccancel()
		_ = mb.Close(cctx)
	})
	e := newEnv(t, Config{}, mb.Directory())
	const user, bankID, bankName = "alice", "albion-bank", "Albion Bank"
	uid := userID(t, user)
	rates := map[string]float64{}
	for _, r := range sampledata.FXRates() {
		rates[r.Currency] = r.RateToUSD
	}

	// 1. Pick a user: the UI asks for the user's token.
	tok := e.token(user)

	// 2. Fetch accounts and products; everything listed is connected.
	accs := e.list(tok, "accounts", user)
	prods := e.list(tok, "products", user)
	if len(accs) != len(docsOf(t, model.CollAccounts, "AccountUser", user)) || len(prods) != len(docsOf(t, model.CollProducts, "ProductCustomer", user)) {
		t.Fatalf("listed %d accounts and %d products, not the seeded ones", len(accs), len(prods))
	}
	connAcc, connProd := idList(accs), idList(prods)
	wantB, wantD := usdSum(t, accs, "AccountBalance", "AccountCurrency", rates, nil), usdSum(t, prods, "ProductAmount", "ProductCurrency", rates, isDebt)
	e.step("seeded", tok, uid, connAcc, connProd, wantB, wantD)

	// 3. Connect a bank: the user consents at the bank (as in the TUI or
	// `openfinance link`), then the UI asks the API to retrieve from it.
	ls, err := e.hub.StartLink(ctx, model.UserRef{UserName: user, UserId: mustOID(t, uid)}, hub.LinkRequest{BankID: bankID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.hub.CompleteLink(ctx, ls, ls.Bank.DemoCredentials(user), true); err != nil {
		t.Fatal(err)
	}
	ra := e.do("POST", sec+"/retrieve-external-account-for-user", tok, map[string]any{"account_bank": bankName, "user_name": user, "user_id": uid})
	e.want(ra, 200)
	rp := e.do("POST", sec+"/retrieve-external-product-for-user", tok, map[string]any{"product_bank": bankID, "user_name": user, "user_id": uid})
	e.want(rp, 200)
	if ra.obj()["message"] != "External account retrieved for alice." || rp.obj()["message"] != "External financial product retrieved for alice." {
		t.Fatalf("retrieve messages %s %s", ra.raw, rp.raw)
	}
	accID, _ := ra.obj()["account_id"].(string)
	prodID, _ := rp.obj()["product_id"].(string)

	// The UI lists again: the retrieved documents are there, at that bank.
	accs = e.list(tok, "accounts", user)
	prods = e.list(tok, "products", user)
	newAcc, newProd := byID(accs, accID), byID(prods, prodID)
	if newAcc == nil || newAcc["AccountBank"] != bankName || newProd == nil || newProd["ProductBank"] != bankName {
		t.Fatalf("retrieved %s / %s not listed at %s", accID, prodID, bankName)
	}
	if slices.Contains(connAcc, accID) || slices.Contains(connProd, prodID) {
		t.Fatal("the retrieved ids were already connected: nothing new was pulled")
	}
	atBank := e.do("GET", sec+"/fetch-external-accounts-for-user-and-institution/?user_identifier="+user+"&institution_name="+url.QueryEscape(bankName), tok, nil)
	e.want(atBank, 200)
	if ids, _ := ra.obj()["account_ids"].([]any); len(atBank.obj()["accounts"].([]any)) != len(ids) {
		t.Fatalf("account_ids %v, but %s lists %s", ids, bankName, atBank.raw)
	}

	// 4. Both totals with the new items connected.
	connAcc, connProd = append(connAcc, accID), append(connProd, prodID)
	wantB += usdSum(t, []map[string]any{newAcc}, "AccountBalance", "AccountCurrency", rates, nil)
	wantD += usdSum(t, []map[string]any{newProd}, "ProductAmount", "ProductCurrency", rates, isDebt)
	e.step("bank connected", tok, uid, connAcc, connProd, wantB, wantD)

	// 5. Disconnect one account and one product (the UI drops their ids)
	// and recompute.
	gone := byID(accs, connAcc[0])
	connAcc = connAcc[1:]
	wantB -= usdSum(t, []map[string]any{gone}, "AccountBalance", "AccountCurrency", rates, nil)
	e.step("account disconnected", tok, uid, connAcc, connProd, wantB, wantD)
	goneP := byID(prods, connProd[len(connProd)-1])
	connProd = connProd[:len(connProd)-1]
	wantD -= usdSum(t, []map[string]any{goneP}, "ProductAmount", "ProductCurrency", rates, isDebt)
	e.step("product disconnected", tok, uid, connAcc, connProd, wantB, wantD)

	// 6. Everything disconnected: zero, as in the original.
	e.step("all disconnected", tok, uid, []string{}, []string{}, 0, 0)
}

// step posts both totals and compares them with the expected ones.
func (e *env) step(name, tok, uid string, acc, prod []string, wantB, wantD float64) {
	e.t.Helper()
	tb, td := e.totals(tok, uid, acc, prod)
	if !near2(tb, wantB) || !near2(td, wantD) {
		e.t.Fatalf("%s: totals %v/%v, want %v/%v", name, tb, td, wantB, wantD)
	}
	e.t.Logf("%-22s %2d accounts %2d products: total_balance %.2f total_debt %.2f", name, len(acc), len(prod), tb, td)
}

// list fetches the user's accounts or products as the UI does.
func (e *env) list(tok, what, user string) []map[string]any {
	e.t.Helper()
	a := e.do("GET", sec+"/fetch-external-"+what+"-for-user/?user_identifier="+user, tok, nil)
	e.want(a, 200)
	var out []map[string]any
	for _, d := range a.obj()[what].([]any) {
		out = append(out, d.(map[string]any))
	}
	return out
}

func idList(docs []map[string]any) []string {
	out := []string{}
	for _, d := range docs {
		out = append(out, d["_id"].(string))
	}
	return out
}

func byID(docs []map[string]any, id string) map[string]any {
	for _, d := range docs {
		if d["_id"] == id {
			return d
		}
	}
	return nil
}

// usdSum adds amounts converted to dollars at the seeded rates.
func usdSum(t *testing.T, docs []map[string]any, amount, currency string, rates map[string]float64, filter func(map[string]any) bool) float64 {
	t.Helper()
	s := 0.0
	for _, d := range docs {
		if filter != nil && !filter(d) {
			continue
		}
		c, _ := d[currency].(string)
		if c == "" {
			c = "USD"
		}
		r, ok := rates[c]
		if !ok {
			t.Fatalf("no seeded rate for %s", c)
		}
		v, _ := d[amount].(float64)
		s += v * r
	}
	return s
}

// near2 compares at the cent the API rounds to.
func near2(a, b float64) bool { return a-b < 0.006 && b-a < 0.006 }

// TestRetrieveFromAFailingBankIs502 links a bank whose resource API answers
// every call with a server error: the consent is fine, the pull is not.
func TestRetrieveFromAFailingBankIs502(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	mb, err := mockbank.Start(ctx, "127.0.0.1:0", mockbank.Options{Faults: map[string]mockbank.Faults{"rhein-bank": {ErrorRate: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ccancel()
		_ = mb.Close(cctx)
	})
	e := newEnv(t, Config{}, mb.Directory())
	uid := userID(t, "bob")
	tok := e.token("bob")
	ls, err := e.hub.StartLink(ctx, model.UserRef{UserName: "bob", UserId: mustOID(t, uid)}, hub.LinkRequest{BankID: "rhein-bank"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.hub.CompleteLink(ctx, ls, ls.Bank.DemoCredentials("bob"), true); err != nil {
		t.Fatal(err)
	}
	before := e.count(model.CollAccounts)
	a := e.do("POST", sec+"/retrieve-external-account-for-user", tok, map[string]any{"account_bank": "Rheinbank", "user_name": "bob", "user_id": uid})
	e.want(a, 502)
	if d, _ := a.obj()["detail"].(string); !strings.HasPrefix(d, "Could not retrieve data from Rheinbank: ") {
		t.Fatalf("detail %s", a.raw)
	}
	if after := e.count(model.CollAccounts); after != before {
		t.Fatalf("accounts %d -> %d after a failed pull", before, after)
	}
}
