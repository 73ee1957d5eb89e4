package mockbank_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// eachBank runs f for every bank against one harness.
func eachBank(t *testing.T, f func(t *testing.T, h *harness, bank string)) {
	h := newHarness(t)
	for _, bank := range bankIDs() {
		t.Run(bank, func(t *testing.T) {
			hh := *h
			hh.t = t
			f(t, &hh, bank)
		})
	}
}

func wantOAuthError(t *testing.T, r response, status int, code string) {
	t.Helper()
	if r.status != status || r.json(t)["error"] != code {
		t.Fatalf("answer %d %s, want %d %s", r.status, r.body, status, code)
	}
}

func TestReusedCodeIsRefusedAndRevokesItsTokens(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		id := h.createConsent(bank)
		p := newPKCE()
		code := h.code(bank, id, "alice", p)
		tok := h.tokensOf(bank, h.exchange(bank, code, p.verifier))
		if r := h.get(bank, accountsPath(t, bank), tok); r.status != http.StatusOK {
			t.Fatalf("first token does not work: %d %s", r.status, r.body)
		}
		wantOAuthError(t, h.exchange(bank, code, p.verifier), http.StatusBadRequest, "invalid_grant")
		if r := h.get(bank, accountsPath(t, bank), tok); r.status != http.StatusUnauthorized {
			t.Fatalf("token issued from a replayed code still works: %d", r.status)
		}
		wantOAuthError(t, h.tokenCall(bank, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.refresh}}),
			http.StatusBadRequest, "invalid_grant")
	})
}

func TestExpiredCodeIsRefused(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		id := h.createConsent(bank)
		p := newPKCE()
		code := h.code(bank, id, "bob", p)
		h.clk.Advance(61 * time.Second)
		wantOAuthError(t, h.exchange(bank, code, p.verifier), http.StatusBadRequest, "invalid_grant")
	})
}

func TestWrongVerifierIsRefused(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		id := h.createConsent(bank)
		p := newPKCE()
		code := h.code(bank, id, "carmen", p)
		wantOAuthError(t, h.exchange(bank, code, newPKCE().verifier), http.StatusBadRequest, "invalid_grant")
		// The failed attempt consumed the code: guessing again is pointless.
		wantOAuthError(t, h.exchange(bank, code, p.verifier), http.StatusBadRequest, "invalid_grant")
	})
}

func TestMissingVerifierIsRefused(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		id := h.createConsent(bank)
		code := h.code(bank, id, "dmitri", newPKCE())
		wantOAuthError(t, h.exchange(bank, code, ""), http.StatusBadRequest, "invalid_request")
	})
}

func TestPlainPKCEIsRefused(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		id := h.createConsent(bank)
		p := newPKCE()
		for _, method := range []string{"plain", ""} {
			form := h.authForm(bank, id, p, "alice", true)
			form.Set("code_challenge", p.verifier) // plain: the challenge is the verifier
			if method == "" {
				form.Del("code_challenge_method")
			} else {
				form.Set("code_challenge_method", method)
			}
			for _, r := range []response{
				h.do(http.MethodGet, h.srv.BaseURL(bank)+"/oauth/authorize?"+form.Encode(), nil, nil, false),
				h.postAuthorize(bank, form),
			} {
				q := h.callback(bank, r, "state-"+id)
				if q.Get("error") != "invalid_request" || q.Get("code") != "" {
					t.Fatalf("method %q: callback %v", method, q)
				}
			}
		}
		if got := h.srv.ConsentStatus(bank, id); got != "AwaitingAuthorisation" {
			t.Fatalf("consent is %s after refused requests", got)
		}
	})
}

func TestRedirectURIWithExtraPathIsRefusedWithoutRedirect(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		id := h.createConsent(bank)
		for _, bad := range []string{
			mockbank.RedirectURI + "/evil", mockbank.RedirectURI + "?x=1", "http://127.0.0.1:9999/openfinance/callback",
			"https://evil.example/openfinance/callback", "",
		} {
			form := h.authForm(bank, id, newPKCE(), "alice", true)
			form.Set("redirect_uri", bad)
			get := h.do(http.MethodGet, h.srv.BaseURL(bank)+"/oauth/authorize?"+form.Encode(), nil, nil, false)
			post := h.postAuthorize(bank, form)
			for _, r := range []response{get, post} {
				if r.status != http.StatusBadRequest || r.header.Get("Location") != "" {
					t.Fatalf("redirect_uri %q: %d, Location %q", bad, r.status, r.header.Get("Location"))
				}
			}
			if !strings.Contains(get.header.Get("Content-Type"), "text/html") {
				t.Fatalf("redirect_uri %q: the error page is %s", bad, get.header.Get("Content-Type"))
			}
		}
		if got := h.srv.ConsentStatus(bank, id); got != "AwaitingAuthorisation" {
			t.Fatalf("consent is %s", got)
		}
	})
}

func TestExpiredAccessTokenIs401(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		tok := h.link(bank, "alice")
		h.clk.Advance(601 * time.Second)
		r := h.get(bank, accountsPath(t, bank), tok)
		if r.status != http.StatusUnauthorized || !strings.Contains(r.header.Get("WWW-Authenticate"), "invalid_token") {
			t.Fatalf("expired token: %d %s", r.status, r.body)
		}
	})
}

func TestRevokedAccessTokenIs401(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		tok := h.link(bank, "alice")
		r := h.do(http.MethodPost, h.srv.BaseURL(bank)+"/oauth/revoke", strings.NewReader("token="+url.QueryEscape(tok.access)),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, true)
		if r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		if r := h.get(bank, accountsPath(t, bank), tok); r.status != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d %s", r.status, r.body)
		}
		// Revoking the refresh token kills the access tokens made from it.
		h.do(http.MethodPost, h.srv.BaseURL(bank)+"/oauth/revoke", strings.NewReader("token="+url.QueryEscape(tok.refresh)),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, true)
		wantOAuthError(t, h.tokenCall(bank, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.refresh}}),
			http.StatusBadRequest, "invalid_grant")
	})
}

func TestTokenCannotReadAnotherCustomersAccount(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		alice := h.link(bank, "alice")
		bobData, err := h.srv.Dataset(bank, "bob")
		if err != nil {
			t.Fatal(err)
		}
		other := bobData.Accounts[0]
		var paths []string
		switch info(t, bank).Style {
		case banks.StyleUKOB:
			root := "/open-banking/v3.1/aisp/accounts/" + other.ID
			paths = []string{root, root + "/balances", root + "/product", root + "/transactions"}
		case banks.StyleBerlinGroup:
			paths = []string{"/v1/accounts/" + other.ID + "/balances", "/v1/accounts/" + other.ID + "/transactions?bookingStatus=both"}
		default:
			paths = []string{"/accounts/" + other.ID + "/transactions"}
		}
		for _, p := range paths {
			r := h.get(bank, p, alice)
			if r.status != http.StatusNotFound {
				t.Fatalf("%s: %d %s", p, r.status, r.body)
			}
			body := string(r.body)
			for _, leak := range []string{other.ID, other.Number, other.Holder, "Balance", "transactionId", "TransactionId"} {
				if strings.Contains(body, leak) {
					t.Fatalf("%s: the 404 leaks %q: %s", p, leak, body)
				}
			}
			// The same as an account that does not exist at all.
			missing := strings.Replace(p, other.ID, "NO-SUCH-ACCOUNT", 1)
			if r2 := h.get(bank, missing, alice); r2.status != r.status || string(r2.body) != body {
				t.Fatalf("another customer's account answers differently from a missing one: %s vs %s", body, r2.body)
			}
		}
		r := h.get(bank, accountsPath(t, bank), alice)
		if strings.Contains(string(r.body), other.ID) {
			t.Fatal("alice's account list shows bob's account")
		}
	})
}

func TestMissingPermissionIs403(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		tok := h.link(bank, "alice", banks.PermAccountsDetail)
		ds, _ := h.srv.Dataset(bank, "alice")
		acc := ds.Accounts[0].ID
		var paths []string
		switch info(t, bank).Style {
		case banks.StyleUKOB:
			root := "/open-banking/v3.1/aisp/accounts/" + acc
			paths = []string{root + "/balances", root + "/product", root + "/transactions"}
		case banks.StyleBerlinGroup:
			paths = []string{"/v1/accounts/" + acc + "/balances", "/v1/accounts/" + acc + "/transactions?bookingStatus=both",
				"/v1/loans", "/v1/accounts?withBalance=true"}
		default:
			paths = []string{"/products", "/accounts/" + acc + "/transactions"}
		}
		for _, p := range paths {
			if r := h.get(bank, p, tok); r.status != http.StatusForbidden {
				t.Fatalf("%s without permission: %d %s", p, r.status, r.body)
			}
		}
		if r := h.get(bank, accountsPath(t, bank), tok); r.status != http.StatusOK {
			t.Fatalf("accounts with permission: %d %s", r.status, r.body)
		}
	})
}

func TestBalancesNeedReadBalances(t *testing.T) {
	h := newHarness(t)
	tok := h.link("green-bank", "alice", banks.PermAccountsDetail)
	r := h.get("green-bank", "/accounts", tok)
	for _, a := range list(r.json(t)["Accounts"]) {
		if _, ok := obj(a)["AccountBalance"]; ok {
			t.Fatalf("a balance without ReadBalances: %s", r.body)
		}
	}
}

func TestRejectedConsent(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		id := h.createConsent(bank)
		p := newPKCE()
		q := h.callback(bank, h.postAuthorize(bank, h.authForm(bank, id, p, "alice", false)), "state-"+id)
		if q.Get("error") != "access_denied" || q.Get("code") != "" {
			t.Fatalf("reject: callback %v", q)
		}
		if got := h.srv.ConsentStatus(bank, id); got != "Rejected" {
			t.Fatalf("consent is %s", got)
		}
		// A rejected consent cannot be authorised afterwards.
		q = h.callback(bank, h.postAuthorize(bank, h.authForm(bank, id, p, "alice", true)), "state-"+id)
		if q.Get("code") != "" || q.Get("error") != "invalid_request" {
			t.Fatalf("approve after reject: %v", q)
		}
	})
}

func TestWrongPasswordKeepsConsentWaiting(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		id := h.createConsent(bank)
		p := newPKCE()
		for _, mod := range []func(url.Values){
			func(v url.Values) { v.Set("password", "wrong") },
			func(v url.Values) { v.Set("username", "mallory") },
			func(v url.Values) { v.Set("otp", "000000") },
		} {
			form := h.authForm(bank, id, p, "alice", true)
			mod(form)
			if !info(t, bank).NeedsOTP && form.Get("password") == info(t, bank).Password && form.Get("username") == "alice" {
				continue // this bank asks no one-time code
			}
			r := h.postAuthorize(bank, form)
			wantOAuthError(t, r, http.StatusUnauthorized, "login_failed")
		}
		if got := h.srv.ConsentStatus(bank, id); got != "AwaitingAuthorisation" {
			t.Fatalf("consent is %s", got)
		}
		h.tokensOf(bank, h.exchange(bank, h.code(bank, id, "alice", p), p.verifier))
	})
}

func TestAuthorizeErrorsRedirectWithStateAndIssuer(t *testing.T) {
	h := newHarness(t)
	const bank = "albion-bank"
	id := h.createConsent(bank)
	p := newPKCE()
	for name, mod := range map[string]func(url.Values){
		"unknown consent":   func(v url.Values) { v.Set("consent_id", "nope") },
		"bad response type": func(v url.Values) { v.Set("response_type", "token") },
		"short challenge":   func(v url.Values) { v.Set("code_challenge", "abc") },
		"bad scope":         func(v url.Values) { v.Set("scope", "admin") },
		"bad action":        func(v url.Values) { v.Set("action", "maybe") },
	} {
		form := h.authForm(bank, id, p, "alice", true)
		mod(form)
		q := h.callback(bank, h.postAuthorize(bank, form), "state-"+id)
		if q.Get("error") == "" || q.Get("code") != "" {
			t.Errorf("%s: callback %v", name, q)
		}
	}
	form := h.authForm(bank, id, p, "alice", true)
	form.Del("state")
	r := h.postAuthorize(bank, form)
	if loc, _ := url.Parse(r.header.Get("Location")); r.status != http.StatusFound || loc.Query().Get("error") != "invalid_request" {
		t.Fatalf("missing state: %d %v", r.status, r.header)
	}
	form = h.authForm(bank, id, p, "alice", true)
	form.Set("client_id", "someone-else")
	if r := h.postAuthorize(bank, form); r.status != http.StatusBadRequest || r.header.Get("Location") != "" {
		t.Fatalf("unknown client: %d %v", r.status, r.header)
	}
}

func TestLoginPageShowsTheConsent(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		id := h.createConsent(bank)
		form := h.authForm(bank, id, newPKCE(), "", true)
		r := h.do(http.MethodGet, h.srv.BaseURL(bank)+"/oauth/authorize?"+form.Encode(), nil, nil, false)
		page := string(r.body)
		i := info(t, bank)
		if r.status != http.StatusOK || !strings.Contains(page, i.Name) || !strings.Contains(page, i.Color) ||
			!strings.Contains(page, banks.Describe(banks.PermBalances)) || !strings.Contains(page, `value="approve"`) ||
			!strings.Contains(page, `name="consent_id" value="`+id+`"`) || strings.Contains(page, `name="otp"`) != i.NeedsOTP {
			t.Fatalf("login page: %d\n%s", r.status, page)
		}
		if r.header.Get("X-Frame-Options") != "DENY" {
			t.Fatal("the login page may be framed")
		}
	})
}

func TestTokenEndpointNeedsClientAuthentication(t *testing.T) {
	h := newHarness(t)
	for _, bank := range bankIDs() {
		r := h.do(http.MethodPost, h.srv.BaseURL(bank)+"/oauth/token", strings.NewReader("grant_type=refresh_token&refresh_token=x"),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, false)
		wantOAuthError(t, r, http.StatusUnauthorized, "invalid_client")
		r = h.postConsent(bank, consentBody(t, bank, banks.DefaultPermissions(), h.clk.Now().Add(time.Hour)))
		if r.status != http.StatusCreated {
			t.Fatalf("%s: consent with client auth: %d %s", bank, r.status, r.body)
		}
		r = h.do(http.MethodPost, h.srv.BaseURL(bank)+consentPath(t, bank), strings.NewReader("{}"), nil, false)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("%s: consent without client auth: %d", bank, r.status)
		}
	}
}

func TestRefreshFlow(t *testing.T) {
	eachBank(t, func(t *testing.T, h *harness, bank string) {
		tok := h.link(bank, "alice")
		h.clk.Advance(601 * time.Second)
		if r := h.get(bank, accountsPath(t, bank), tok); r.status != http.StatusUnauthorized {
			t.Fatalf("expired: %d", r.status)
		}
		r := h.tokenCall(bank, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.refresh}})
		fresh := h.tokensOf(bank, r)
		if fresh.access == tok.access || fresh.consent != tok.consent || r.json(t)["expires_in"] != 600.0 {
			t.Fatalf("refresh answer %s", r.body)
		}
		fresh.refresh = tok.refresh
		if r := h.get(bank, accountsPath(t, bank), fresh); r.status != http.StatusOK {
			t.Fatalf("refreshed token: %d %s", r.status, r.body)
		}
	})
}
