package sync_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
)

// fakeBank is a small original-style bank (API.md) for the engine's
// properties: pages of transactions, a page that fails, tokens that stop
// working, pending transactions that get booked. It counts data calls.
// The full emulated banks (mockbank) are exercised by the hub's tests.
type fakeBank struct {
	srv *httptest.Server

	mu          gosync.Mutex
	accounts    int
	txPerAcct   int
	pageSize    int
	failPage    int  // transaction page answering 500 (0 = none)
	rejectToken bool // every data call answers 401
	refreshOK   bool
	booked      bool // pending transactions have been booked
	bookedLater bool // ... a day after they were pending (the newest moves into March)
	dropPending bool // pending transactions are no longer listed (cancelled)
	dataCalls   int
	tokenCalls  int
	onData      func(n int) // called (lock held) before answering data call n
}

func newFakeBank(t *testing.T) *fakeBank {
	fb := &fakeBank{accounts: 2, txPerAcct: 45, pageSize: 10, refreshOK: true}
	mux := http.NewServeMux()
	fb.srv = httptest.NewServer(mux)
	t.Cleanup(fb.srv.Close)
	base := fb.srv.URL + "/fake-bank"
	mux.HandleFunc("/fake-bank/.well-known/oauth-authorization-server", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{
			"issuer": base, "authorization_endpoint": base + "/oauth/authorize", "token_endpoint": base + "/oauth/token",
			"revocation_endpoint": base + "/oauth/revoke", "code_challenge_methods_supported": []string{"S256"},
			"authorization_response_iss_parameter_supported": true, "openfinance_consent_endpoint": base + "/consents",
		})
	})
	mux.HandleFunc("/fake-bank/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		fb.mu.Lock()
		fb.tokenCalls++
		ok := fb.refreshOK
		fb.mu.Unlock()
		if !ok || r.FormValue("grant_type") != "refresh_token" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
			return
		}
		writeJSON(w, map[string]any{"access_token": "refreshed", "token_type": "Bearer", "expires_in": 600})
	})
	mux.HandleFunc("/fake-bank/", fb.data)
	return fb
}

func (fb *fakeBank) bank() banks.Bank {
	return banks.Bank{ID: "fake-bank", Name: "Fake Bank", Style: banks.StyleOriginal, Currency: "USD",
		BaseURL: fb.srv.URL + "/fake-bank", ClientID: "openfinance", ClientSecret: "secret",
		RedirectURI: "http://127.0.0.1/openfinance/callback", Permissions: banks.DefaultPermissions()}
}

func (fb *fakeBank) calls() int {
	fb.mu.Lock()
	defer fb.mu.Unlock()
	return fb.dataCalls
}

func (fb *fakeBank) set(f func(fb *fakeBank)) {
	fb.mu.Lock()
	defer fb.mu.Unlock()
	f(fb)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (fb *fakeBank) data(w http.ResponseWriter, r *http.Request) {
	fb.mu.Lock()
	fb.dataCalls++
	if fb.onData != nil {
		fb.onData(fb.dataCalls) // with the lock held: it may change the bank
	}
	reject, failPage, accounts, perAcct, size, booked := fb.rejectToken, fb.failPage, fb.accounts, fb.txPerAcct, fb.pageSize, fb.booked
	later, drop := fb.bookedLater, fb.dropPending
	fb.mu.Unlock()
	if reject || !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_token"}`))
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	path := strings.TrimPrefix(r.URL.Path, "/fake-bank/")
	switch {
	case path == "accounts":
		var list []map[string]any
		for i := 0; i < accounts; i++ {
			list = append(list, map[string]any{"AccountId": fmt.Sprintf("FK-%d", i), "AccountBank": "Fake Bank", "AccountStatus": "Active",
				"AccountType": "Checking", "AccountBalance": 100.25 * float64(i+1), "AccountCurrency": "USD",
				"AccountDate": map[string]any{"OpeningDate": "2020-01-01T00:00:00Z"}, "FakeAccountNarrative": "plain"})
		}
		writeJSON(w, map[string]any{"Accounts": list, "Page": 1, "TotalPages": 1})
	case path == "products":
		writeJSON(w, map[string]any{"Products": []map[string]any{{"ProductId": "FK-LN", "ProductType": "Loan", "ProductAmount": 5000,
			"ProductCurrency": "USD", "ProductInterestRate": 7.5, "RepaymentPeriod": 24, "ProductDate": map[string]any{"OpeningDate": "2025-01-01T00:00:00Z"}}},
			"Page": 1, "TotalPages": 1})
	case strings.HasSuffix(path, "/transactions"):
		acct := strings.TrimSuffix(strings.TrimPrefix(path, "accounts/"), "/transactions")
		if page == failPage {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		total := (perAcct + size - 1) / size
		var txs []map[string]any
		day := time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC)
		for i := (page - 1) * size; i < min(page*size, perAcct); i++ {
			status, when := "Booked", day.AddDate(0, 0, -i)
			if i < 2 && !booked { // the two newest are pending until booked
				status = "Pending"
				if drop {
					continue
				}
			}
			if i < 2 && booked && later {
				when = when.AddDate(0, 0, 1)
			}
			txs = append(txs, map[string]any{"TransactionId": fmt.Sprintf("%s-T%03d", acct, i),
				"BookingDate": when.Format(time.RFC3339), "Amount": -float64(i%7+1) * 3.5, "Currency": "USD",
				"Merchant": fmt.Sprintf("Shop %d", i%5), "Category": "Shopping", "Status": status, "GreenCarbonKg": 0.5})
		}
		writeJSON(w, map[string]any{"Transactions": txs, "Page": page, "TotalPages": total})
	default:
		http.NotFound(w, r)
	}
}
