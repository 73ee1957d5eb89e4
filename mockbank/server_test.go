package mockbank_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/bankapi"
	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

func TestConcurrentClients(t *testing.T) {
	h := newHarness(t)
	for _, bank := range bankIDs() {
		for _, user := range []string{"alice", "bob", "carmen", "demo"} {
			t.Run(bank+"/"+user, func(t *testing.T) {
				t.Parallel()
				hh := *h
				hh.t = t
				tok := hh.link(bank, user)
				ds, err := hh.srv.Dataset(bank, user)
				if err != nil {
					t.Fatal(err)
				}
				for range 3 {
					if r := hh.get(bank, accountsPath(t, bank), tok); r.status != http.StatusOK {
						t.Fatalf("accounts: %d", r.status)
					}
					if r := hh.get(bank, txPage(t, bank, ds.Accounts[0].ID, 1), tok); r.status != http.StatusOK {
						t.Fatalf("transactions: %d", r.status)
					}
				}
				_ = hh.srv.SetFaults(bank, mockbank.Faults{})
				_ = hh.srv.Stats(bank)
			})
		}
	}
}

func TestGeneratedCustomersCanLogIn(t *testing.T) {
	h := newHarness(t, func(o *mockbank.Options) {
		o.Size = mockbank.Size{Customers: 3, AccountsPerCustomer: 3, TxPerAccount: 150}
	})
	tok := h.link("albion-bank", "customer-00003")
	r := h.get("albion-bank", accountsPath(t, "albion-bank"), tok)
	ds, _ := h.srv.Dataset("albion-bank", "customer-00003")
	if r.status != http.StatusOK || len(ds.Accounts) != 3 || !strings.Contains(string(r.body), ds.Accounts[2].ID) {
		t.Fatalf("generated customer: %d %s", r.status, r.body)
	}
	id := h.createConsent("albion-bank")
	wantOAuthError(t, h.postAuthorize("albion-bank", h.authForm("albion-bank", id, newPKCE(), "customer-00004", true)),
		http.StatusUnauthorized, "login_failed")
	if h.srv.Size().Customers != 3 {
		t.Fatalf("size %+v", h.srv.Size())
	}
	if _, err := mockbank.New(mockbank.Options{Size: mockbank.Size{Customers: -1}}); err == nil {
		t.Fatal("a negative size was accepted")
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/nowhere", http.StatusNotFound},
		{http.MethodGet, "/green-bank/nowhere", http.StatusNotFound},
		{http.MethodGet, "/rhein-bank/accounts", http.StatusNotFound},
		{http.MethodPut, "/green-bank/oauth/token", http.StatusMethodNotAllowed},
		{http.MethodPost, "/albion-bank/open-banking/v3.1/aisp/accounts", http.StatusMethodNotAllowed},
	} {
		r := h.do(c.method, h.srv.URL()+c.path, nil, nil, false)
		if r.status != c.status {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, r.status, c.status)
		}
	}
}

func TestHandlerWithoutSetRootUsesTheRequestHost(t *testing.T) {
	srv, err := mockbank.New(mockbank.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/green-bank/.well-known/oauth-authorization-server")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || m["issuer"] != ts.URL+"/green-bank" {
		t.Fatalf("issuer %v (%v)", m["issuer"], err)
	}
}

func TestStartServesOnLoopbackAndCloses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := mockbank.Start(ctx, "127.0.0.1:0", mockbank.Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	d := srv.Directory()
	if len(d.All()) != 4 {
		t.Fatalf("directory: %+v", d.All())
	}
	b, err := d.Resolve("Rheinbank")
	if err != nil || b.ID != "rhein-bank" || b.BaseURL != srv.URL()+"/rhein-bank" || b.Style != banks.StyleBerlinGroup {
		t.Fatalf("resolve: %+v %v", b, err)
	}
	resp, err := http.Get(srv.URL() + "/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("index: %v %v", resp, err)
	}
	resp.Body.Close()
	if err := srv.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(srv.URL() + "/"); err == nil {
		t.Fatal("still serving after Close")
	}
}

// BenchmarkTransactionsPage measures one page of 100 transactions over
// real HTTP, the call a sync makes most.
func BenchmarkTransactionsPage(b *testing.B) {
	for _, bank := range bankIDs() {
		b.Run(bank, func(b *testing.B) {
			h := newHarness(b)
			tok := h.link(bank, "demo")
			ds, _ := h.srv.Dataset(bank, "demo")
			path := txPage(b, bank, ds.Accounts[0].ID, 2)
			for b.Loop() {
				if r := h.get(bank, path, tok); r.status != http.StatusOK {
					b.Fatalf("%d %s", r.status, r.body)
				}
			}
		})
	}
}

// BenchmarkMillionCustomerFirstPage is the first page of a generated
// customer's account in the million-transaction configuration (a cache
// miss: the history is generated).
func BenchmarkMillionCustomerFirstPage(b *testing.B) {
	h := newHarness(b, func(o *mockbank.Options) { o.Size = gen.MillionSize() })
	tok := h.link("green-bank", "customer-01234")
	ds, _ := h.srv.Dataset("green-bank", "customer-01234")
	path := txPage(b, "green-bank", ds.Accounts[1].ID, 1)
	for b.Loop() {
		if r := h.get("green-bank", path, tok); r.status != http.StatusOK {
			b.Fatalf("%d", r.status)
		}
	}
}

// The client normalises every category the banks write to itself,
// including Rheinbank's upper snake case codes.
func TestCategoriesAreTheClientsCommonList(t *testing.T) {
	for _, c := range gen.Categories() {
		berlin := strings.ToUpper(strings.ReplaceAll(c, " ", "_"))
		if bankapi.NormalizeCategory(c) != c || bankapi.NormalizeCategory(berlin) != c {
			t.Errorf("%q (%q) normalises to %q", c, berlin, bankapi.NormalizeCategory(berlin))
		}
	}
}
