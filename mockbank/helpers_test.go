package mockbank_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
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

// clock is the banks' injectable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness serves the banks over real HTTP on loopback.
type harness struct {
	t   testing.TB
	srv *mockbank.Server
	clk *clock
	hc  *http.Client
}

func newHarness(t testing.TB, mods ...func(*mockbank.Options)) *harness {
	t.Helper()
	clk := newClock()
	opts := mockbank.Options{Now: clk.Now}
	for _, m := range mods {
		m(&opts)
	}
	srv, err := mockbank.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	srv.SetRoot(ts.URL)
	return &harness{t: t, srv: srv, clk: clk, hc: &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// newMemHarness is a harness whose client calls the handler directly (no
// listener, nothing to clean up): for fuzz targets.
func newMemHarness(t testing.TB) *harness {
	clk := newClock()
	srv, err := mockbank.New(mockbank.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetRoot("http://banks.test")
	return &harness{t: t, srv: srv, clk: clk, hc: &http.Client{
		Transport:     handlerTransport{srv.Handler()},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// handlerTransport answers requests with a handler in-process.
type handlerTransport struct{ h http.Handler }

func (ht handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	ht.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

func info(t testing.TB, bank string) mockbank.Info {
	for _, i := range mockbank.Catalog() {
		if i.ID == bank {
			return i
		}
	}
	t.Fatalf("no bank %s", bank)
	return mockbank.Info{}
}

func bankIDs() []string {
	var out []string
	for _, i := range mockbank.Catalog() {
		out = append(out, i.ID)
	}
	return out
}

// response is a read answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v\n%s", r.status, err, r.body)
	}
	return m
}

func (h *harness) do(method, u string, body io.Reader, hdr map[string]string, basic bool) response {
	h.t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if basic {
		req.SetBasicAuth(mockbank.ClientID, mockbank.ClientSecret)
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// consentPath is each style's consent collection, as API.md writes it.
func consentPath(t testing.TB, bank string) string {
	switch info(t, bank).Style {
	case banks.StyleUKOB:
		return "/open-banking/v3.1/aisp/account-access-consents"
	case banks.StyleBerlinGroup:
		return "/v1/consents"
	}
	return "/consents"
}

// consentBody is a consent request in the bank's style.
func consentBody(t testing.TB, bank string, perms []string, expires time.Time) string {
	var v any
	switch info(t, bank).Style {
	case banks.StyleUKOB:
		v = map[string]any{"Data": map[string]any{"Permissions": perms, "ExpirationDateTime": expires.Format(time.RFC3339)}, "Risk": map[string]any{}}
	case banks.StyleBerlinGroup:
		access := map[string]any{}
		for _, p := range perms {
			switch p {
			case banks.PermAccountsDetail, banks.PermAccountsBasic:
				access["accounts"] = []any{}
			case banks.PermBalances:
				access["balances"] = []any{}
			case banks.PermProducts:
				access["loans"] = []any{}
			default:
				access["transactions"] = []any{}
			}
		}
		v = map[string]any{"access": access, "recurringIndicator": true, "validUntil": expires.Format(time.DateOnly),
			"frequencyPerDay": 4, "combinedServiceIndicator": false}
	default:
		v = map[string]any{"Permissions": perms, "ExpirationDateTime": expires.Format(time.RFC3339)}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (h *harness) postConsent(bank, body string) response {
	return h.do(http.MethodPost, h.srv.BaseURL(bank)+consentPath(h.t, bank), strings.NewReader(body),
		map[string]string{"Content-Type": "application/json", "X-Request-ID": "11111111-2222-3333-4444-555555555555"}, true)
}

// createConsent creates a consent and returns its id.
func (h *harness) createConsent(bank string, perms ...string) string {
	h.t.Helper()
	if len(perms) == 0 {
		perms = banks.DefaultPermissions()
	}
	r := h.postConsent(bank, consentBody(h.t, bank, perms, h.clk.Now().Add(90*24*time.Hour)))
	if r.status != http.StatusCreated {
		h.t.Fatalf("%s: create consent: %d %s", bank, r.status, r.body)
	}
	m := r.json(h.t)
	if d, ok := m["Data"].(map[string]any); ok {
		m = d
	}
	for _, k := range []string{"ConsentId", "consentId"} {
		if id, ok := m[k].(string); ok && id != "" {
			return id
		}
	}
	h.t.Fatalf("%s: no consent id in %s", bank, r.body)
	return ""
}

type pkce struct{ verifier, challenge string }

func newPKCE() pkce {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(v))
	return pkce{verifier: v, challenge: base64.RawURLEncoding.EncodeToString(sum[:])}
}

// authForm is a complete login-and-decision form.
func (h *harness) authForm(bank, consentID string, p pkce, user string, approve bool) url.Values {
	i := info(h.t, bank)
	v := url.Values{
		"response_type": {"code"}, "client_id": {mockbank.ClientID}, "redirect_uri": {mockbank.RedirectURI},
		"scope": {"accounts"}, "state": {"state-" + consentID}, "code_challenge": {p.challenge},
		"code_challenge_method": {"S256"}, "consent_id": {consentID},
		"username": {user}, "password": {i.Password}, "action": {"approve"},
	}
	if i.NeedsOTP {
		v.Set("otp", i.OTP)
	}
	if !approve {
		v.Set("action", "reject")
	}
	return v
}

func (h *harness) postAuthorize(bank string, form url.Values) response {
	return h.do(http.MethodPost, h.srv.BaseURL(bank)+"/oauth/authorize", strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}, false)
}

// callback reads the redirect of an authorization answer.
func (h *harness) callback(bank string, r response, wantState string) url.Values {
	h.t.Helper()
	if r.status != http.StatusFound {
		h.t.Fatalf("%s: authorize answered %d, not a redirect: %s", bank, r.status, r.body)
	}
	u, err := url.Parse(r.header.Get("Location"))
	if err != nil || u.Scheme+"://"+u.Host+u.Path != mockbank.RedirectURI {
		h.t.Fatalf("%s: redirect to %q, not the registered URI", bank, r.header.Get("Location"))
	}
	q := u.Query()
	if q.Get("state") != wantState || q.Get("iss") != h.srv.BaseURL(bank) {
		h.t.Fatalf("%s: callback state/iss wrong: %v", bank, q)
	}
	return q
}

// code approves a consent as user and returns the authorization code.
func (h *harness) code(bank, consentID, user string, p pkce) string {
	h.t.Helper()
	q := h.callback(bank, h.postAuthorize(bank, h.authForm(bank, consentID, p, user, true)), "state-"+consentID)
	if q.Get("code") == "" {
		h.t.Fatalf("%s: no code in callback %v", bank, q)
	}
	return q.Get("code")
}

func (h *harness) tokenCall(bank string, form url.Values) response {
	return h.do(http.MethodPost, h.srv.BaseURL(bank)+"/oauth/token", strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, true)
}

func (h *harness) exchange(bank, code, verifier string) response {
	return h.tokenCall(bank, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {mockbank.RedirectURI}, "code_verifier": {verifier}})
}

type tokens struct{ access, refresh, consent string }

func (h *harness) tokensOf(bank string, r response) tokens {
	h.t.Helper()
	if r.status != http.StatusOK {
		h.t.Fatalf("%s: token endpoint answered %d: %s", bank, r.status, r.body)
	}
	m := r.json(h.t)
	tok := tokens{consent: str(m["consent_id"])}
	tok.access, tok.refresh = str(m["access_token"]), str(m["refresh_token"])
	if tok.access == "" || m["token_type"] != "Bearer" {
		h.t.Fatalf("%s: bad token answer %s", bank, r.body)
	}
	return tok
}

// link runs the whole flow: consent, login and approval, code exchange.
func (h *harness) link(bank, user string, perms ...string) tokens {
	h.t.Helper()
	id := h.createConsent(bank, perms...)
	p := newPKCE()
	tok := h.tokensOf(bank, h.exchange(bank, h.code(bank, id, user, p), p.verifier))
	if tok.consent != id || tok.refresh == "" {
		h.t.Fatalf("%s: token answer for consent %s: %+v", bank, id, tok)
	}
	return tok
}

// get reads a resource (path under the bank's base URL, or absolute).
func (h *harness) get(bank, path string, tok tokens) response {
	u := path
	if !strings.HasPrefix(path, "http") {
		u = h.srv.BaseURL(bank) + path
	}
	return h.do(http.MethodGet, u, nil, map[string]string{"Authorization": "Bearer " + tok.access,
		"X-Request-ID": "99999999-2222-3333-4444-555555555555", "Consent-ID": tok.consent}, false)
}

// dataPath is where a style keeps its accounts.
func accountsPath(t testing.TB, bank string) string {
	switch info(t, bank).Style {
	case banks.StyleUKOB:
		return "/open-banking/v3.1/aisp/accounts"
	case banks.StyleBerlinGroup:
		return "/v1/accounts"
	}
	return "/accounts"
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
