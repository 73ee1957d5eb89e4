package mockbank_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank"
)

func TestConsentExpiresByTheBanksClock(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		id := h.createConsent(bank)
		p := newPKCE()
		tok := h.tokensOf(bank, h.exchange(bank, h.code(bank, id, "alice", p), p.verifier))
		h.clk.Advance(91 * 24 * time.Hour)
		r := h.get(bank, accountsPath(t, bank), tok)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("expired consent: %d %s", r.status, r.body)
		}
		if info(t, bank).Style == banks.StyleBerlinGroup && !strings.Contains(string(r.body), "CONSENT_EXPIRED") {
			t.Fatalf("Berlin Group expiry code: %s", r.body)
		}
		if got := h.srv.ConsentStatus(bank, id); got != "Expired" {
			t.Fatalf("status %s", got)
		}
		wantOAuthError(t, h.tokenCall(bank, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.refresh}}),
			http.StatusBadRequest, "invalid_grant")
		// The consent resource says so too.
		c := h.do(http.MethodGet, h.srv.BaseURL(bank)+consentPath(t, bank)+"/"+id, nil, nil, true)
		if c.status != http.StatusOK || !strings.Contains(strings.ToLower(string(c.body)), "expired") {
			t.Fatalf("consent resource: %d %s", c.status, c.body)
		}
	})
}

func TestDeleteConsentKillsItsTokens(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		tok := h.link(bank, "bob")
		u := h.srv.BaseURL(bank) + consentPath(t, bank) + "/" + tok.consent
		if r := h.do(http.MethodDelete, u, nil, nil, false); r.status != http.StatusUnauthorized {
			t.Fatalf("DELETE without client auth: %d", r.status)
		}
		if r := h.do(http.MethodDelete, u, nil, nil, true); r.status != http.StatusNoContent {
			t.Fatalf("DELETE: %d %s", r.status, r.body)
		}
		if r := h.get(bank, accountsPath(t, bank), tok); r.status != http.StatusUnauthorized {
			t.Fatalf("token of a revoked consent: %d %s", r.status, r.body)
		}
		wantOAuthError(t, h.tokenCall(bank, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.refresh}}),
			http.StatusBadRequest, "invalid_grant")
		c := h.do(http.MethodGet, u, nil, nil, true)
		want := "Revoked"
		if info(t, bank).Style == banks.StyleBerlinGroup {
			want = "terminatedByTpp"
		}
		if !strings.Contains(string(c.body), want) {
			t.Fatalf("consent after DELETE: %s", c.body)
		}
		if r := h.do(http.MethodDelete, h.srv.BaseURL(bank)+consentPath(t, bank)+"/no-such-consent", nil, nil, true); r.status != http.StatusNotFound {
			t.Fatalf("DELETE of an unknown consent: %d", r.status)
		}
	})
}

func TestConsentRequestsAreValidated(t *testing.T) {
	h := newHarness(t)
	now := h.clk.Now()
	for _, bank := range bankIDs() {
		bad := []string{
			consentBody(t, bank, banks.DefaultPermissions(), now.Add(-24*time.Hour)),
			consentBody(t, bank, banks.DefaultPermissions(), now.Add(400*24*time.Hour)),
			"{", "[]", `{"Permissions": 5}`, "{} {}",
		}
		if info(t, bank).Style != banks.StyleBerlinGroup {
			bad = append(bad, consentBody(t, bank, []string{"ReadEverything"}, now.Add(time.Hour)),
				consentBody(t, bank, nil, now.Add(time.Hour)))
		} else {
			bad = append(bad, `{"access": {"accounts": "all"}, "validUntil": "2027-01-01"}`,
				`{"access": {"cards": []}, "validUntil": "2027-01-01"}`, `{"access": {"accounts": []}}`)
		}
		for _, body := range bad {
			if r := h.postConsent(bank, body); r.status != http.StatusBadRequest {
				t.Errorf("%s: consent %s: %d %s", bank, body, r.status, r.body)
			}
		}
		huge := `{"x": "` + strings.Repeat("a", mockbank.MaxRequestBody) + `"}`
		if r := h.postConsent(bank, huge); r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: a %d-byte body: %d", bank, len(huge), r.status)
		}
	}
}

func TestTransactionWindowAndDirections(t *testing.T) {
	h := newHarness(t)
	const bank = "green-bank"
	from := h.clk.Now().AddDate(0, -2, 0)
	body, _ := json.Marshal(map[string]any{"Permissions": []string{banks.PermAccountsBasic, banks.PermTransactionsCredit},
		"ExpirationDateTime": h.clk.Now().Add(time.Hour).Format(time.RFC3339), "TransactionFromDateTime": from.Format(time.RFC3339)})
	r := h.postConsent(bank, string(body))
	id := str(r.json(t)["ConsentId"])
	p := newPKCE()
	tok := h.tokensOf(bank, h.exchange(bank, h.code(bank, id, "alice", p), p.verifier))
	ds, _ := h.srv.Dataset(bank, "alice")
	acc := ds.Accounts[0].ID
	want := 0
	for _, x := range ds.Transactions(acc) {
		if x.Amount > 0 && !x.Booking.Before(from) {
			want++
		}
	}
	r = h.get(bank, "/accounts/"+acc+"/transactions?pageSize=500", tok)
	txs := list(r.json(t)["Transactions"])
	if r.status != http.StatusOK || len(txs) != want || want == 0 {
		t.Fatalf("%d transactions, want %d: %d", len(txs), want, r.status)
	}
	for _, x := range txs {
		m := obj(x)
		booked, _ := time.Parse(time.RFC3339, str(m["BookingDate"]))
		if m["Amount"].(float64) <= 0 || booked.Before(from) || m["Merchant"] != nil || m["Description"] != nil {
			t.Fatalf("outside the consent: %v", m)
		}
	}
	// Accounts without ReadAccountsDetail carry no narrative.
	r = h.get(bank, "/accounts", tok)
	if strings.Contains(string(r.body), "Narrative") {
		t.Fatalf("basic account list: %s", r.body)
	}
}

func TestBerlinGroupHeadersAndConsentID(t *testing.T) {
	h := newHarness(t)
	const bank = "rhein-bank"
	tok := h.link(bank, "alice")
	other := h.link(bank, "bob")
	u := h.srv.BaseURL(bank) + "/v1/accounts"
	r := h.do(http.MethodGet, u, nil, map[string]string{"Authorization": "Bearer " + tok.access}, false)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "FORMAT_ERROR") {
		t.Fatalf("no Consent-ID/X-Request-ID: %d %s", r.status, r.body)
	}
	r = h.do(http.MethodGet, u, nil, map[string]string{"Authorization": "Bearer " + tok.access, "X-Request-ID": "1",
		"Consent-ID": other.consent}, false)
	if r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), "CONSENT_INVALID") {
		t.Fatalf("another consent's id: %d %s", r.status, r.body)
	}
	r = h.get(bank, "/v1/accounts/"+"x"+"/transactions?bookingStatus=sometimes", tok)
	if r.status != http.StatusNotFound {
		t.Fatalf("unknown account first: %d", r.status)
	}
	ds, _ := h.srv.Dataset(bank, "alice")
	r = h.get(bank, "/v1/accounts/"+ds.Accounts[0].ID+"/transactions?bookingStatus=sometimes", tok)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "FORMAT_ERROR") {
		t.Fatalf("bad bookingStatus: %d %s", r.status, r.body)
	}
	r = h.get(bank, "/v1/consents/"+tok.consent+"/status", tok)
	if r.status != http.StatusUnauthorized {
		t.Fatalf("consent status without client auth: %d", r.status)
	}
	r = h.do(http.MethodGet, h.srv.BaseURL(bank)+"/v1/consents/"+tok.consent+"/status", nil, nil, true)
	if r.status != http.StatusOK || r.json(t)["consentStatus"] != "valid" {
		t.Fatalf("consent status: %d %s", r.status, r.body)
	}
}

func TestBerlinGroupConsentForNamedAccounts(t *testing.T) {
	h := newHarness(t)
	const bank = "rhein-bank"
	ds, _ := h.srv.Dataset(bank, "carmen")
	named := ds.Accounts[1]
	body, _ := json.Marshal(map[string]any{"access": map[string]any{"accounts": []any{map[string]string{"iban": named.Number}},
		"transactions": []any{map[string]string{"iban": named.Number}}}, "validUntil": h.clk.Now().AddDate(0, 1, 0).Format(time.DateOnly),
		"recurringIndicator": true, "frequencyPerDay": 4})
	r := h.postConsent(bank, string(body))
	if r.status != http.StatusCreated {
		t.Fatalf("consent: %d %s", r.status, r.body)
	}
	id := str(r.json(t)["consentId"])
	p := newPKCE()
	tok := h.tokensOf(bank, h.exchange(bank, h.code(bank, id, "carmen", p), p.verifier))
	r = h.get(bank, "/v1/accounts", tok)
	accs := list(r.json(t)["accounts"])
	if len(accs) != 1 || obj(accs[0])["iban"] != named.Number {
		t.Fatalf("accounts of a consent naming one IBAN: %s", r.body)
	}
	if r := h.get(bank, "/v1/accounts/"+ds.Accounts[0].ID+"/transactions?bookingStatus=both", tok); r.status != http.StatusNotFound {
		t.Fatalf("an account outside the consent: %d", r.status)
	}
}

func TestMetadataDocument(t *testing.T) {
	h := newHarness(t)
	for _, bank := range bankIDs() {
		r := h.do(http.MethodGet, h.srv.BaseURL(bank)+"/.well-known/oauth-authorization-server", nil, nil, false)
		var m struct {
			Issuer        string   `json:"issuer"`
			Authorize     string   `json:"authorization_endpoint"`
			Token         string   `json:"token_endpoint"`
			Revoke        string   `json:"revocation_endpoint"`
			Methods       []string `json:"code_challenge_methods_supported"`
			Auth          []string `json:"token_endpoint_auth_methods_supported"`
			Grants        []string `json:"grant_types_supported"`
			Iss           bool     `json:"authorization_response_iss_parameter_supported"`
			Consent       string   `json:"openfinance_consent_endpoint"`
			Fields        []string `json:"openfinance_login_fields"`
			ResponseTypes []string `json:"response_types_supported"`
		}
		if err := json.Unmarshal(r.body, &m); err != nil || r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", bank, r.status, r.body)
		}
		base := h.srv.BaseURL(bank)
		if m.Issuer != base || m.Authorize != base+"/oauth/authorize" || m.Token != base+"/oauth/token" ||
			m.Revoke != base+"/oauth/revoke" || len(m.Methods) != 1 || m.Methods[0] != "S256" || !m.Iss ||
			m.Consent != base+consentPath(t, bank) || len(m.Auth) != 1 || m.Auth[0] != "client_secret_basic" ||
			len(m.Grants) != 2 || len(m.ResponseTypes) != 1 || (len(m.Fields) == 3) != info(t, bank).NeedsOTP {
			t.Errorf("%s: metadata %+v", bank, m)
		}
	}
	r := h.do(http.MethodGet, h.srv.URL()+"/", nil, nil, false)
	if r.status != http.StatusOK || len(list(r.json(t)["banks"])) != len(bankIDs()) {
		t.Fatalf("index: %d %s", r.status, r.body)
	}
}

func TestStatePersistsAcrossServers(t *testing.T) {
	dir := t.TempDir()
	withState := func(o *mockbank.Options) { o.StateDir = dir }
	first := newHarness(t, withState)
	toks := map[string]tokens{}
	for _, bank := range bankIDs() {
		toks[bank] = first.link(bank, "alice")
	}
	// A second process on the same state, on another address.
	second := newHarness(t, withState)
	if second.srv.URL() == first.srv.URL() {
		t.Fatal("the two servers share an address")
	}
	for bank, tok := range toks {
		if r := second.get(bank, accountsPath(t, bank), tok); r.status != http.StatusOK {
			t.Fatalf("%s: token from the first server: %d %s", bank, r.status, r.body)
		}
		second.tokensOf(bank, second.tokenCall(bank, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.refresh}}))
	}
	// Nothing secret is on disk: the files hold hashes only.
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != len(bankIDs()) {
		t.Fatalf("state files: %v", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for bank, tok := range toks {
			if strings.Contains(string(data), tok.access) || strings.Contains(string(data), tok.refresh) {
				t.Fatalf("%s: a raw token of %s is in the state file", f, bank)
			}
		}
	}
	// Revoking through one server is seen by the next.
	bank := "green-bank"
	second.do(http.MethodDelete, second.srv.BaseURL(bank)+"/consents/"+toks[bank].consent, nil, nil, true)
	third := newHarness(t, withState)
	if r := third.get(bank, "/accounts", toks[bank]); r.status != http.StatusUnauthorized {
		t.Fatalf("revoked consent after restart: %d", r.status)
	}
}

func TestCorruptStateFileIsMovedAside(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "green-bank.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(o *mockbank.Options) { o.StateDir = dir })
	h.link("green-bank", "alice")
	moved, _ := filepath.Glob(filepath.Join(dir, "green-bank.json.corrupt-*"))
	if len(moved) != 1 {
		t.Fatalf("the unreadable state was not kept aside: %v", moved)
	}
}
