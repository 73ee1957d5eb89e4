package restapi

import (
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/model"
)

func TestRetrieveNeedsAConsentAndAKnownBank(t *testing.T) {
	e := newEnv(t, Config{}, nil)
	tok := e.token("alice")
	uid := userID(t, "alice")
	e.want(e.do("POST", sec+"/retrieve-external-account-for-user", tok,
		map[string]any{"account_bank": "Nowhere Bank", "user_name": "alice", "user_id": uid}), 400,
		`Unknown bank "Nowhere Bank": known banks are green-bank, mongodb-bank, albion-bank, rhein-bank`)
	// alice was seeded, never linked: no consent, nothing is pulled or invented.
	before := e.count(model.CollAccounts)
	e.want(e.do("POST", sec+"/retrieve-external-account-for-user", tok,
		map[string]any{"account_bank": "Albion Bank", "user_name": "alice", "user_id": uid}), 409,
		"alice has no active consent at Albion Bank, so there is nothing to retrieve from it: link the bank first (openfinance link --user alice --bank albion-bank), then try again.")
	e.want(e.do("POST", sec+"/retrieve-external-product-for-user", tok,
		map[string]any{"product_bank": "green-bank", "user_name": "alice", "user_id": uid}), 409,
		"alice has no active consent at Green Bank, so there is nothing to retrieve from it: link the bank first (openfinance link --user alice --bank green-bank), then try again.")
	// An expired consent is no consent.
	if _, err := e.store.InsertNew(t.Context(), model.CollConsents, []any{model.Consent{
		ID: model.ConsentDocID(mustOID(t, uid), "green-bank", "c-1"), ConsentId: "c-1", BankId: "green-bank", Bank: "Green Bank",
		ConsentUser: model.UserRef{UserName: "alice", UserId: mustOID(t, uid)}, Status: model.ConsentAuthorised,
		CreatedAt: e.clock.Now().Add(-100 * 24 * time.Hour), ExpiresAt: e.clock.Now().Add(-time.Hour),
	}}); err != nil {
		t.Fatal(err)
	}
	e.want(e.do("POST", sec+"/retrieve-external-account-for-user", tok,
		map[string]any{"account_bank": "Green Bank", "user_name": "alice", "user_id": uid}), 409)
	if after := e.count(model.CollAccounts); after != before {
		t.Fatalf("accounts %d -> %d without a consent", before, after)
	}
}

func (e *env) count(coll string) int64 {
	e.t.Helper()
	n, err := e.store.C(coll).CountDocuments(e.t.Context(), map[string]any{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}
