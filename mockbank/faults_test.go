package mockbank_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// txPage is the path of page n of an account's transactions.
func txPage(t testing.TB, bank, account string, n int) string {
	switch info(t, bank).Style {
	case banks.StyleUKOB:
		return fmt.Sprintf("/open-banking/v3.1/aisp/accounts/%s/transactions?page=%d", account, n)
	case banks.StyleBerlinGroup:
		return fmt.Sprintf("/v1/accounts/%s/transactions?bookingStatus=both&page=%d", account, n)
	}
	return fmt.Sprintf("/accounts/%s/transactions?page=%d", account, n)
}

func TestFailPageFault(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		tok := h.link(bank, "alice")
		if err := h.srv.SetFaults(bank, mockbank.Faults{FailPage: 3}); err != nil {
			t.Fatal(err)
		}
		defer h.srv.SetFaults(bank, mockbank.Faults{})
		ds, _ := h.srv.Dataset(bank, "alice")
		acc := ds.Accounts[0]
		if n := ds.CountTransactions(acc.ID); n <= 200 {
			t.Fatalf("the account has only %d transactions: no page 3", n)
		}
		for n, want := range map[int]int{1: 200, 2: 200, 3: 500, 4: 200} {
			if r := h.get(bank, txPage(t, bank, acc.ID, n), tok); r.status != want {
				t.Fatalf("page %d: %d, want %d", n, r.status, want)
			}
		}
	})
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		tok := h.link(bank, "bob")
		_ = h.srv.SetFaults(bank, mockbank.Faults{RateLimit: 2, RetryAfter: 3})
		defer h.srv.SetFaults(bank, mockbank.Faults{})
		path := accountsPath(t, bank)
		for i := range 2 {
			if r := h.get(bank, path, tok); r.status != http.StatusOK {
				t.Fatalf("call %d within the limit: %d", i, r.status)
			}
		}
		r := h.get(bank, path, tok)
		code := "rate_limited"
		if info(t, bank).Style == banks.StyleBerlinGroup {
			code = "ACCESS_EXCEEDED"
		}
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "3" || !strings.Contains(string(r.body), code) {
			t.Fatalf("over the limit: %d Retry-After %q %s", r.status, r.header.Get("Retry-After"), r.body)
		}
		h.clk.Advance(time.Second)
		if r := h.get(bank, path, tok); r.status != http.StatusOK {
			t.Fatalf("the next second: %d", r.status)
		}
	})
}

func TestMalformedBodyFault(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		tok := h.link(bank, "carmen")
		_ = h.srv.SetFaults(bank, mockbank.Faults{MalformedRate: 1})
		defer h.srv.SetFaults(bank, mockbank.Faults{})
		r := h.get(bank, accountsPath(t, bank), tok)
		var v any
		if r.status != http.StatusOK || json.Unmarshal(r.body, &v) == nil {
			t.Fatalf("malformed fault: %d %s", r.status, r.body)
		}
	})
}

func TestErrorRateFault(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		tok := h.link(bank, "dmitri")
		_ = h.srv.SetFaults(bank, mockbank.Faults{ErrorRate: 1})
		defer h.srv.SetFaults(bank, mockbank.Faults{})
		for range 5 {
			r := h.get(bank, accountsPath(t, bank), tok)
			if r.status != http.StatusInternalServerError && r.status != http.StatusServiceUnavailable {
				t.Fatalf("error fault: %d", r.status)
			}
		}
		// Authorization is not a resource call: linking still works.
		h.link(bank, "alice")
	})
}

func TestTokenTTLFault(t *testing.T) {
	h := newHarness(t, func(o *mockbank.Options) {
		o.Faults = map[string]mockbank.Faults{"albion-bank": {TokenTTL: 5 * time.Second}}
	})
	id := h.createConsent("albion-bank")
	p := newPKCE()
	r := h.exchange("albion-bank", h.code("albion-bank", id, "alice", p), p.verifier)
	tok := h.tokensOf("albion-bank", r)
	if r.json(t)["expires_in"] != 5.0 {
		t.Fatalf("expires_in %v", r.json(t)["expires_in"])
	}
	h.clk.Advance(6 * time.Second)
	if r := h.get("albion-bank", accountsPath(t, "albion-bank"), tok); r.status != http.StatusUnauthorized {
		t.Fatalf("after the short TTL: %d", r.status)
	}
}

func TestLatencyFaultStillAnswers(t *testing.T) {
	h := newHarness(t, func(o *mockbank.Options) {
		o.Faults = map[string]mockbank.Faults{"green-bank": {Latency: time.Millisecond}}
	})
	tok := h.link("green-bank", "alice")
	if r := h.get("green-bank", "/accounts", tok); r.status != http.StatusOK {
		t.Fatalf("with latency: %d", r.status)
	}
	if h.srv.Faults("green-bank").Latency != time.Millisecond {
		t.Fatal("the fault is not reported")
	}
}

func TestStatsCountRequestsByKind(t *testing.T) {
	h := newHarness(t)
	const bank = "mongodb-bank"
	tok := h.link(bank, "alice")
	h.get(bank, "/accounts", tok)
	h.get(bank, "/products", tok)
	h.do(http.MethodGet, h.srv.BaseURL(bank)+"/.well-known/oauth-authorization-server", nil, nil, false)
	h.tokenCall(bank, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.refresh}})
	got := h.srv.Stats(bank)
	want := mockbank.Stats{Authorization: 1, Token: 2, Consent: 1, Data: 2, Other: 1}
	if got != want {
		t.Fatalf("stats %+v, want %+v", got, want)
	}
	if other := h.srv.Stats("green-bank"); other != (mockbank.Stats{}) {
		t.Fatalf("another bank counted requests: %+v", other)
	}
}

func TestParseFaults(t *testing.T) {
	got, err := mockbank.ParseFaults("green-bank:latency=200ms,error_rate=0.2; Rheinbank:fail_page=3,rate_limit=5,retry_after=2;" +
		"green-bank:malformed_rate=0.1,token_ttl=5s")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]mockbank.Faults{
		"green-bank": {Latency: 200 * time.Millisecond, ErrorRate: 0.2, MalformedRate: 0.1, TokenTTL: 5 * time.Second},
		"rhein-bank": {FailPage: 3, RateLimit: 5, RetryAfter: 2},
	}
	if len(got) != len(want) || got["green-bank"] != want["green-bank"] || got["rhein-bank"] != want["rhein-bank"] {
		t.Fatalf("got %+v", got)
	}
	again, err := mockbank.ParseFaults("green-bank:" + got["green-bank"].String())
	if err != nil || again["green-bank"] != got["green-bank"] {
		t.Fatalf("round trip: %+v %v", again, err)
	}
	if none, err := mockbank.ParseFaults("  "); err != nil || none != nil {
		t.Fatalf("empty: %v %v", none, err)
	}
	for _, bad := range []string{"nobank:latency=1s", "green-bank", "green-bank:latency", "green-bank:latency=fast",
		"green-bank:error_rate=2", "green-bank:error_rate=NaN", "green-bank:colour=red", "green-bank:fail_page=-1"} {
		if _, err := mockbank.ParseFaults(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	if _, err := mockbank.New(mockbank.Options{Faults: map[string]mockbank.Faults{"nobank": {}}}); err == nil {
		t.Fatal("faults for an unknown bank were accepted")
	}
}
