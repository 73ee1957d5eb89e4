package restapi

import (
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
)

// totals posts both totals and returns them.
func (e *env) totals(tok, uid string, accIDs, prodIDs any) (float64, float64) {
	e.t.Helper()
	b := e.do("POST", sec+"/calculate-total-balance-for-user/", tok, map[string]any{"user_id": uid, "connected_external_accounts": accIDs})
	e.want(b, 200)
	d := e.do("POST", sec+"/calculate-total-debt-for-user/", tok, map[string]any{"user_id": uid, "connected_external_products": prodIDs})
	e.want(d, 200)
	tb, ok1 := b.obj()["total_balance"].(float64)
	td, ok2 := d.obj()["total_debt"].(float64)
	if !ok1 || !ok2 || len(b.obj()) != 1 || len(d.obj()) != 1 {
		e.t.Fatalf("totals %s %s", b.raw, d.raw)
	}
	return tb, td
}

func TestTotalsEqualTheSumsOfTheSampleData(t *testing.T) {
	e := newEnv(t, Config{}, nil)
	for _, user := range []string{"alice", "bob", "carmen", "dmitri"} {
		tok := e.token(user)
		uid := userID(t, user)
		accs := docsOf(t, model.CollAccounts, "AccountUser", user)
		prods := docsOf(t, model.CollProducts, "ProductCustomer", user)
		wantB, wantD := sum(accs, "AccountBalance", nil), sum(prods, "ProductAmount", isDebt)
		tb, td := e.totals(tok, uid, ids(accs), ids(prods))
		if !near(tb, wantB) || !near(td, wantD) || wantB == 0 || wantD == 0 {
			t.Fatalf("%s: totals %v/%v, want %v/%v", user, tb, td, wantB, wantD)
		}
		// One of each: the first account and product only.
		tb, td = e.totals(tok, uid, ids(accs[:1]), ids(prods[:1]))
		if !near(tb, sum(accs[:1], "AccountBalance", nil)) || !near(td, sum(prods[:1], "ProductAmount", isDebt)) {
			t.Fatalf("%s: partial totals %v/%v", user, tb, td)
		}
		// Empty and null lists are 0, as in the original.
		for _, none := range []any{[]string{}, nil} {
			if tb, td := e.totals(tok, uid, none, none); tb != 0 || td != 0 {
				t.Fatalf("%s: totals of %v = %v/%v, want 0", user, none, tb, td)
			}
		}
	}
}

func TestTotalsIgnoreOthersIDsAndNonDebtAndConvertCurrencies(t *testing.T) {
	e := newEnv(t, Config{}, nil)
	ctx := t.Context()
	tok := e.token("alice")
	uid := userID(t, "alice")
	alice := model.UserRef{UserName: "alice", UserId: mustOID(t, uid)}
	accs := docsOf(t, model.CollAccounts, "AccountUser", "alice")
	prods := docsOf(t, model.CollProducts, "ProductCustomer", "alice")
	bobAccs := docsOf(t, model.CollAccounts, "AccountUser", "bob")
	bobProds := docsOf(t, model.CollProducts, "ProductCustomer", "bob")

	// A euro account and a credit card for alice.
	eur := model.ExternalAccount{ID: bson.NewObjectID(), AccountId: "DE-1", AccountBank: "Rheinbank", AccountBalance: 1000,
		AccountCurrency: "EUR", AccountType: "Checking", AccountUser: alice}
	card := model.ExternalProduct{ID: bson.NewObjectID(), ProductId: "CC-1", ProductBank: "Green Bank", ProductType: "CreditCard",
		ProductAmount: 999, ProductCurrency: "USD", ProductCustomer: alice}
	if _, err := e.store.InsertNew(ctx, model.CollAccounts, []any{eur}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.InsertNew(ctx, model.CollProducts, []any{card}); err != nil {
		t.Fatal(err)
	}
	accIDs := append(append(ids(accs), ids(bobAccs)...), eur.ID.Hex(), eur.ID.Hex())
	prodIDs := append(append(ids(prods), ids(bobProds)...), card.ID.Hex())
	tb, td := e.totals(tok, uid, accIDs, prodIDs)
	// EUR at the seeded 1.08 US dollars; bob's ids and the card do not count.
	wantB := sum(accs, "AccountBalance", nil) + 1000*1.08
	wantD := sum(prods, "ProductAmount", isDebt)
	if !near(tb, wantB) || !near(td, wantD) {
		t.Fatalf("totals %v/%v, want %v/%v", tb, td, wantB, wantD)
	}
	// The same as the position over everything alice has.
	pos, err := e.hub.Position(ctx, alice, "USD")
	if err != nil {
		t.Fatal(err)
	}
	if !near(tb, pos.TotalBalance) || !near(td, pos.TotalDebt) {
		t.Fatalf("totals %v/%v, position %v/%v", tb, td, pos.TotalBalance, pos.TotalDebt)
	}
}

func TestForbiddenForAnotherUser(t *testing.T) {
	e := newEnv(t, Config{}, nil)
	tok := e.token("alice")
	bob := userID(t, "bob")
	for _, ident := range []string{"bob", bob, "nosuchuser"} {
		for _, path := range []string{
			"/fetch-external-accounts-for-user/?user_identifier=" + ident,
			"/fetch-external-products-for-user/?user_identifier=" + ident,
			"/fetch-external-accounts-for-user-and-institution/?institution_name=Green+Bank&user_identifier=" + ident,
			"/fetch-external-products-for-user-and-institution/?institution_name=Green+Bank&user_identifier=" + ident,
		} {
			e.want(e.do("GET", sec+path, tok, nil), 403, msgNotYourIdentifier)
		}
	}
	e.want(e.do("POST", sec+"/calculate-total-balance-for-user/", tok,
		map[string]any{"user_id": bob, "connected_external_accounts": ids(docsOf(t, model.CollAccounts, "AccountUser", "bob"))}), 403, msgNotYourUserID)
	e.want(e.do("POST", sec+"/calculate-total-debt-for-user/", tok,
		map[string]any{"user_id": bob, "connected_external_products": nil}), 403, msgNotYourUserID)
	for _, body := range []map[string]any{
		{"account_bank": "Green Bank", "user_name": "bob", "user_id": bob},
		{"account_bank": "Green Bank", "user_name": "alice", "user_id": bob},
		{"account_bank": "Green Bank", "user_name": "bob", "user_id": userID(t, "alice")},
	} {
		e.want(e.do("POST", sec+"/retrieve-external-account-for-user", tok, body), 403, msgNotYourUser)
	}
	e.want(e.do("POST", sec+"/retrieve-external-product-for-user", tok,
		map[string]any{"product_bank": "Green Bank", "user_name": "bob", "user_id": bob}), 403, msgNotYourUser)

	// Tokens that are wrong, or absent.
	e.want(e.do("POST", sec+"/validate-token", "not-a-token", nil), 403, msgTokenInvalid)
	e.want(e.do("GET", sec+"/fetch-external-accounts-for-user/?user_identifier=alice", "x"+tok, nil), 403, msgTokenInvalid)
	a := e.do("GET", sec+"/fetch-external-accounts-for-user/?user_identifier=alice", "", nil)
	e.want(a, 401, msgTokenMissing)
	if a.header.Get("WWW-Authenticate") == "" {
		t.Fatal("401 without WWW-Authenticate")
	}
	e.want(e.do("POST", sec+"/validate-token", "", nil, "Authorization", "Basic YWxpY2U6eA=="), 401, msgTokenMissing)
	// A bank grant is not an API token.
	if _, err := e.store.InsertNew(t.Context(), model.CollTokens, []any{model.Token{
		ID: bson.NewObjectID(), UserName: "alice", TokenType: model.TokenBank,
		BearerToken: e.box.Seal(tokenPurpose, "bank-grant"), TokenHash: e.box.Hash(tokenPurpose, "bank-grant"),
		TokenDates: model.TokenDates{CreationDate: e.clock.Now(), LastUseDate: e.clock.Now()},
	}}); err != nil {
		t.Fatal(err)
	}
	e.want(e.do("POST", sec+"/validate-token", "bank-grant", nil), 403, msgTokenInvalid)
}

func TestTokensExpireAndRecordTheirUse(t *testing.T) {
	e := newEnv(t, Config{TokenTTL: 2 * time.Hour}, nil)
	ctx := t.Context()
	tok := e.token("dmitri")
	lastUse := func() time.Time {
		var d model.Token
		if err := e.store.C(model.CollTokens).FindOne(ctx, bson.D{{Key: "UserName", Value: "dmitri"}}).Decode(&d); err != nil {
			t.Fatal(err)
		}
		return d.TokenDates.LastUseDate
	}
	e.clock.Add(30 * time.Minute)
	e.want(e.do("POST", sec+"/validate-token", tok, nil), 200)
	if got := lastUse(); !got.Equal(e.clock.Now()) {
		t.Fatalf("LastUseDate %v, want %v", got, e.clock.Now())
	}
	e.clock.Add(30 * time.Minute)
	e.want(e.do("GET", sec+"/fetch-external-accounts-for-user/?user_identifier=dmitri", tok, nil), 200)
	if got := lastUse(); !got.Equal(e.clock.Now()) {
		t.Fatalf("LastUseDate %v after a fetch, want %v", got, e.clock.Now())
	}
	// Halfway: get-authorization hands out the same token.
	if again := e.token("dmitri"); again != tok {
		t.Fatal("a valid token was replaced")
	}
	e.clock.Add(61 * time.Minute)
	e.want(e.do("POST", sec+"/validate-token", tok, nil), 403,
		"The bearer token has expired; get a new one from /api/v1/openfinance/public/get-authorization.")
	fresh := e.token("dmitri")
	if fresh == tok {
		t.Fatal("an expired token was handed out again")
	}
	e.want(e.do("POST", sec+"/validate-token", fresh, nil), 200)
	e.want(e.do("POST", sec+"/validate-token", tok, nil), 403, msgTokenInvalid)
	// Rotation rewrote dmitri's one API token document.
	n, err := e.store.C(model.CollTokens).CountDocuments(ctx, bson.D{{Key: "UserName", Value: "dmitri"}})
	if err != nil || n != 1 {
		t.Fatalf("dmitri has %d token documents (%v), want 1", n, err)
	}
}

func TestBackfillMakesImportedTokensUsable(t *testing.T) {
	e := newEnv(t, Config{}, nil)
	ctx := t.Context()
	now := e.clock.Now()
	plain := model.Token{ID: bson.NewObjectID(), UserName: "carmen", BearerToken: "plain-from-the-original",
		TokenDates: model.TokenDates{CreationDate: now, LastUseDate: now}}
	sealedNoHash := model.Token{ID: bson.NewObjectID(), UserName: "bob", BearerToken: e.box.Seal(tokenPurpose, "sealed-no-hash"),
		TokenDates: model.TokenDates{CreationDate: now, LastUseDate: now}, TokenType: "api"}
	if _, err := e.store.InsertNew(ctx, model.CollTokens, []any{plain, sealedNoHash}); err != nil {
		t.Fatal(err)
	}
	e.want(e.do("POST", sec+"/validate-token", "plain-from-the-original", nil), 403)
	n, err := e.api.BackfillTokens(ctx)
	if err != nil || n != 2 {
		t.Fatalf("backfill changed %d (%v), want 2", n, err)
	}
	var d model.Token
	if err := e.store.C(model.CollTokens).FindOne(ctx, bson.D{{Key: "_id", Value: plain.ID}}).Decode(&d); err != nil {
		t.Fatal(err)
	}
	if d.BearerToken == "plain-from-the-original" || d.TokenHash == "" {
		t.Fatalf("plain token left as %+v", d)
	}
	e.want(e.do("POST", sec+"/validate-token", "plain-from-the-original", nil), 200)
	e.want(e.do("POST", sec+"/validate-token", "sealed-no-hash", nil), 200)
	if n, _ := e.api.BackfillTokens(ctx); n != 0 {
		t.Fatalf("second backfill changed %d", n)
	}
}
