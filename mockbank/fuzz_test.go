package mockbank_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// fuzzBanks is a server for fuzzing: requests go straight to its handler
// (no sockets), with tokens and a waiting consent made beforehand. It is
// rebuilt every so often so the state the fuzzer creates stays small.
type fuzzBanks struct {
	mu    sync.Mutex
	calls int
	h     *harness
	toks  map[string]tokens
	wait  map[string]string // a consent waiting for authorisation, per bank
	accts map[string]string // alice's first account, per bank
}

func newFuzzBanks(tb testing.TB) *fuzzBanks {
	fb := &fuzzBanks{}
	fb.reset(tb)
	return fb
}

// reset builds a fresh server; tb is the current test (a fuzz target may
// not use its *testing.F).
func (fb *fuzzBanks) reset(tb testing.TB) {
	h := newMemHarness(tb)
	fb.h, fb.calls = h, 0
	fb.toks, fb.wait, fb.accts = map[string]tokens{}, map[string]string{}, map[string]string{}
	for _, bank := range bankIDs() {
		fb.toks[bank] = h.link(bank, "alice")
		fb.wait[bank] = h.createConsent(bank)
		ds, err := h.srv.Dataset(bank, "alice")
		if err != nil {
			tb.Fatal(err)
		}
		fb.accts[bank] = ds.Accounts[0].ID
	}
}

// begin starts one fuzz input: every few thousand inputs the server is
// replaced by a fresh one.
func (fb *fuzzBanks) begin(t *testing.T) {
	fb.mu.Lock()
	defer fb.mu.Unlock()
	fb.calls++
	if fb.calls > 3000 {
		fb.reset(t)
	}
}

// serve sends one request to the handler and checks the answer is never a
// server error and, when it says JSON, is JSON.
func (fb *fuzzBanks) serve(t *testing.T, req *http.Request) *httptest.ResponseRecorder {
	fb.mu.Lock()
	srv := fb.h.srv
	fb.mu.Unlock()
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL, rec.Code, rec.Body)
	}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && rec.Body.Len() > 0 && !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("%s %s: invalid JSON %q", req.Method, req.URL, rec.Body)
	}
	return rec
}

func (fb *fuzzBanks) base(bank string) string { return fb.h.srv.BaseURL(bank) }

func pickBank(i uint8) string { ids := bankIDs(); return ids[int(i)%len(ids)] }

// fuzzConsent fuzzes one bank's consent creation body.
func fuzzConsent(f *testing.F, bank string) {
	fb := newFuzzBanks(f)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	f.Add([]byte(consentBody(f, bank, banks.DefaultPermissions(), now.Add(24*time.Hour))))
	f.Add([]byte(consentBody(f, bank, []string{banks.PermTransactionsCredit}, now.Add(400*24*time.Hour))))
	f.Add([]byte(`{"Permissions":["ReadBalances"],"ExpirationDateTime":"2026-13-01T00:00:00Z","TransactionFromDateTime":"x"}`))
	f.Add([]byte(`{"Data":{"Permissions":null},"Risk":[]}`))
	f.Add([]byte(`{"access":{"accounts":[{"iban":"DE89370400440532013000"}],"allPsd2":"allAccounts"},"validUntil":"2027-02-30","frequencyPerDay":-1}`))
	f.Add([]byte(`{"access":{"transactions":[{}]},"validUntil":"2026-12-01","transactionsFrom":"2025-01-01"}`))
	f.Add([]byte("\x00\xff{"))
	f.Fuzz(func(t *testing.T, body []byte) {
		fb.begin(t)
		req, _ := http.NewRequest(http.MethodPost, fb.base(bank)+consentPath(t, bank), bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(mockbank.ClientID, mockbank.ClientSecret)
		rec := fb.serve(t, req)
		switch rec.Code {
		case http.StatusCreated:
			var m map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &m)
			if d, ok := m["Data"].(map[string]any); ok {
				m = d
			}
			id := str(m["ConsentId"]) + str(m["consentId"])
			get, _ := http.NewRequest(http.MethodGet, fb.base(bank)+consentPath(t, bank)+"/"+url.PathEscape(id), nil)
			get.SetBasicAuth(mockbank.ClientID, mockbank.ClientSecret)
			if r := fb.serve(t, get); r.Code != http.StatusOK {
				t.Fatalf("created consent %q cannot be read: %d", id, r.Code)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable:
		default:
			t.Fatalf("consent body %q: %d", body, rec.Code)
		}
	})
}

func FuzzConsentOriginal(f *testing.F)    { fuzzConsent(f, "green-bank") }
func FuzzConsentUKOB(f *testing.F)        { fuzzConsent(f, "albion-bank") }
func FuzzConsentBerlinGroup(f *testing.F) { fuzzConsent(f, "rhein-bank") }

func FuzzTokenForm(f *testing.F) {
	fb := newFuzzBanks(f)
	for i, bank := range bankIDs() {
		f.Add(uint8(i), "grant_type=refresh_token&refresh_token="+url.QueryEscape(fb.toks[bank].refresh), true)
		f.Add(uint8(i), "grant_type=authorization_code&code=abc&redirect_uri="+url.QueryEscape(mockbank.RedirectURI)+"&code_verifier="+strings.Repeat("a", 43), true)
	}
	f.Add(uint8(0), "grant_type=password&username=alice", true)
	f.Add(uint8(1), "grant_type=authorization_code&code=%zz&code=1", false)
	f.Add(uint8(2), strings.Repeat("a=b&", 100), true)
	f.Fuzz(func(t *testing.T, bankIdx uint8, form string, auth bool) {
		fb.begin(t)
		bank := pickBank(bankIdx)
		req, _ := http.NewRequest(http.MethodPost, fb.base(bank)+"/oauth/token", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if auth {
			req.SetBasicAuth(mockbank.ClientID, mockbank.ClientSecret)
		}
		rec := fb.serve(t, req)
		switch rec.Code {
		case http.StatusOK:
			if !auth || !strings.Contains(rec.Body.String(), "access_token") {
				t.Fatalf("token granted for %q: %s", form, rec.Body)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		case http.StatusUnauthorized:
			if auth {
				t.Fatalf("registered client refused: %s", rec.Body)
			}
		default:
			t.Fatalf("token form %q: %d", form, rec.Code)
		}
	})
}

func FuzzAuthorizeQuery(f *testing.F) {
	fb := newFuzzBanks(f)
	for i, bank := range bankIDs() {
		form := fb.h.authForm(bank, fb.wait[bank], newPKCE(), "alice", true)
		f.Add(uint8(i), form.Encode(), false)
		f.Add(uint8(i), form.Encode(), true)
		form.Set("code_challenge_method", "plain")
		f.Add(uint8(i), form.Encode(), true)
		form.Set("redirect_uri", mockbank.RedirectURI+"/../evil")
		f.Add(uint8(i), form.Encode(), false)
	}
	f.Add(uint8(0), "client_id=openfinance&client_id=x&%gg", true)
	f.Add(uint8(3), "state=%3Cscript%3E&consent_id=%00", false)
	f.Fuzz(func(t *testing.T, bankIdx uint8, query string, post bool) {
		fb.begin(t)
		bank := pickBank(bankIdx)
		var req *http.Request
		var err error
		if post {
			req, err = http.NewRequest(http.MethodPost, fb.base(bank)+"/oauth/authorize", strings.NewReader(query))
			if err == nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Accept", "application/json")
			}
		} else {
			req, err = http.NewRequest(http.MethodGet, fb.base(bank)+"/oauth/authorize?"+query, nil)
		}
		if err != nil {
			return // not a request a client could send
		}
		rec := fb.serve(t, req)
		switch rec.Code {
		case http.StatusFound:
			// The only place the bank ever sends a browser is the
			// registered redirect URI.
			if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, mockbank.RedirectURI+"?") {
				t.Fatalf("redirect to %q", loc)
			}
		case http.StatusOK, http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("authorize %q: %d", query, rec.Code)
		}
	})
}

// resourcePaths are each style's resources, with {id} for an account.
func resourcePaths(bank string) []string {
	switch bank {
	case "albion-bank":
		r := "/open-banking/v3.1/aisp/accounts"
		return []string{r, r + "/{id}", r + "/{id}/balances", r + "/{id}/product", r + "/{id}/transactions"}
	case "rhein-bank":
		return []string{"/v1/accounts", "/v1/accounts/{id}/balances", "/v1/accounts/{id}/transactions", "/v1/loans", "/v1/consents/{id}/status"}
	}
	return []string{"/accounts", "/products", "/accounts/{id}/transactions", "/consents/{id}"}
}

func FuzzResourceQuery(f *testing.F) {
	fb := newFuzzBanks(f)
	for i, bank := range bankIDs() {
		for j := range resourcePaths(bank) {
			f.Add(uint8(i), uint8(j), fb.accts[bank], "page=2&pageSize=50")
		}
		f.Add(uint8(i), uint8(2), fb.accts[bank], "bookingStatus=both&dateFrom=2026-01-01&dateTo=2026-02-30&page=0")
		f.Add(uint8(i), uint8(4), fb.accts[bank], "fromBookingDateTime=2026-01-01T00:00:00%2B01:00&page=999999999999")
	}
	f.Add(uint8(3), uint8(0), "", "withBalance=maybe")
	f.Add(uint8(0), uint8(2), "../../consents", "pageSize=501&page=1&page=2")
	f.Fuzz(func(t *testing.T, bankIdx, route uint8, id, query string) {
		fb.begin(t)
		bank := pickBank(bankIdx)
		paths := resourcePaths(bank)
		path := strings.ReplaceAll(paths[int(route)%len(paths)], "{id}", url.PathEscape(id))
		req, err := http.NewRequest(http.MethodGet, fb.base(bank)+path+"?"+query, nil)
		if err != nil {
			return
		}
		fb.mu.Lock()
		tok := fb.toks[bank]
		fb.mu.Unlock()
		req.Header.Set("Authorization", "Bearer "+tok.access)
		req.Header.Set("X-Request-ID", "fuzz")
		req.Header.Set("Consent-ID", tok.consent)
		rec := fb.serve(t, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusUnauthorized, http.StatusForbidden,
			http.StatusMethodNotAllowed, http.StatusMovedPermanently, http.StatusTemporaryRedirect:
		default:
			t.Fatalf("GET %s: %d %s", req.URL, rec.Code, rec.Body)
		}
	})
}
