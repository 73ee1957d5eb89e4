package mockbank

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/authz"
	"github.com/openfinance-tui/openfinance/mockbank/gen"
)

// permsAccounts are the permissions that open account lists.
func permsAccounts() []string { return []string{banks.PermAccountsBasic, banks.PermAccountsDetail} }

// permsTx are the permissions that open transactions.
func permsTx() []string {
	return []string{banks.PermTransactionsBasic, banks.PermTransactionsDetail, banks.PermTransactionsCredit, banks.PermTransactionsDebit}
}

// access is a resource call that passed the gate: whose consent, which
// customer.
type access struct {
	c    authz.Consent
	cust *gen.Customer
}

// gate checks a resource call: headers (Berlin Group), bearer token,
// consent, rate limit, injected errors and the permission the resource
// needs (any of needs). It answers the error itself and returns false.
func (b *bank) gate(w http.ResponseWriter, r *http.Request, needs ...string) (*access, bool) {
	berlin := b.info.Style == banks.StyleBerlinGroup
	if berlin && (r.Header.Get("X-Request-ID") == "" || r.Header.Get("Consent-ID") == "") {
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, "the headers X-Request-ID and Consent-ID are required")
		return nil, false
	}
	tok, ok := bearer(r)
	if !ok {
		b.fail(w, http.StatusUnauthorized, codeInvalidToken, "a bearer access token is required")
		return nil, false
	}
	c, err := b.store.Authenticate(tok)
	if err != nil {
		code, desc := codeInvalidToken, errDescription(err)
		if e, ok := err.(*authz.Error); ok && e.Code == authz.Expired {
			code = codeConsentExpired
		} else if berlin && strings.HasPrefix(desc, "the consent") {
			code = codeConsentInvalid
		}
		b.fail(w, http.StatusUnauthorized, code, desc)
		return nil, false
	}
	if berlin && !authz.Equal(r.Header.Get("Consent-ID"), c.ID) {
		b.fail(w, http.StatusUnauthorized, codeConsentInvalid, "the Consent-ID header is not the consent of this token")
		return nil, false
	}
	if over, retry := b.throttled(authz.TokenKey(tok)); over {
		b.throttle(w, retry)
		return nil, false
	}
	if len(needs) > 0 && !c.HasAny(needs...) {
		b.fail(w, http.StatusForbidden, codeInsufficient, "the consent does not allow this: it needs "+strings.Join(needs, " or "))
		return nil, false
	}
	if b.roll(b.faults().ErrorRate) {
		status, code := http.StatusInternalServerError, codeServerError
		if b.roll(0.5) {
			status, code = http.StatusServiceUnavailable, codeUnavailable
		}
		b.fail(w, status, code, "the bank has a problem; try again later")
		return nil, false
	}
	cust, err := b.customer(c.Customer)
	if err != nil {
		b.fail(w, http.StatusNotFound, codeNotFound, "the customer of this consent no longer exists")
		return nil, false
	}
	b.store.Touch(c.ID)
	return &access{c: c, cust: cust}, true
}

func errDescription(err error) string {
	if e, ok := err.(*authz.Error); ok {
		return e.Description
	}
	return err.Error()
}

// bearer reads "Authorization: Bearer <token>".
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", false
	}
	return tok, true
}

// reply answers resource data, truncated when the malformed fault hits.
func (b *bank) reply(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		b.fail(w, http.StatusInternalServerError, codeServerError, "the bank could not encode its answer")
		return
	}
	if b.roll(b.faults().MalformedRate) {
		data = data[:len(data)/2]
	}
	writeBody(w, status, data)
}

// account finds a deposit account of the consenting customer that the
// consent covers; anything else is not found (never "forbidden", which
// would tell that the account exists).
func (a *access) account(id string) (gen.Account, bool) {
	acc, ok := a.cust.Account(id)
	if !ok || !a.c.Covers(acc.ID, acc.Number) {
		return gen.Account{}, false
	}
	return acc, true
}

// accounts lists the deposit accounts the consent covers.
func (a *access) accounts() []gen.Account {
	var out []gen.Account
	for _, acc := range a.cust.Accounts {
		if a.c.Covers(acc.ID, acc.Number) {
			out = append(out, acc)
		}
	}
	return out
}

// products lists the customer's loans and mortgages (a consent restricted
// to named accounts covers none).
func (a *access) products() []gen.Product {
	if len(a.c.Accounts) > 0 {
		var out []gen.Product
		for _, p := range a.cust.Products {
			if a.c.Covers(p.ID) {
				out = append(out, p)
			}
		}
		return out
	}
	return a.cust.Products
}

// txView is what a consent lets the client see of transactions.
type txView struct {
	in, out bool // directions
	detail  bool // merchant and description
}

func (a *access) txView() txView {
	c := a.c
	v := txView{in: true, out: true, detail: c.Has(banks.PermTransactionsDetail)}
	if c.HasAny(banks.PermTransactionsCredit, banks.PermTransactionsDebit) {
		v.in, v.out = c.Has(banks.PermTransactionsCredit), c.Has(banks.PermTransactionsDebit)
	}
	return v
}

// filter keeps the transactions inside the consent's window and the
// asked window (either bound may be zero) and the directions allowed.
func (a *access) filter(all []gen.Transaction, from, to time.Time) []gen.Transaction {
	v := a.txView()
	if a.c.From != nil && (from.IsZero() || a.c.From.After(from)) {
		from = *a.c.From
	}
	if a.c.To != nil && (to.IsZero() || a.c.To.Before(to)) {
		to = *a.c.To
	}
	out := make([]gen.Transaction, 0, len(all))
	for _, t := range all {
		if (!from.IsZero() && t.Booking.Before(from)) || (!to.IsZero() && t.Booking.After(to)) {
			continue
		}
		if (t.Amount > 0 && !v.in) || (t.Amount <= 0 && !v.out) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// page parses a 1-based page number (absent = 1).
func page(r *http.Request) (int, bool) {
	v := r.URL.Query()["page"]
	if len(v) == 0 {
		return 1, true
	}
	if len(v) > 1 {
		return 0, false
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, false
	}
	return n, true
}

// pages is the page count of n items (at least 1).
func pages(n, size int) int { return max(1, (n+size-1)/size) }

// slice is page p of items.
func slice[T any](items []T, p, size int) []T {
	lo := (p - 1) * size
	if lo >= len(items) {
		return nil
	}
	return items[lo:min(lo+size, len(items))]
}

// failPage answers the fail_page fault; it reports whether it did.
func (b *bank) failPage(w http.ResponseWriter, p int) bool {
	if fp := b.faults().FailPage; fp > 0 && p == fp {
		b.fail(w, http.StatusInternalServerError, codeServerError, "the bank failed to read page "+strconv.Itoa(p))
		return true
	}
	return false
}

// dateTimeParam parses an optional ISO 8601 date-time or date query
// parameter; ok is false when present but unreadable.
func dateTimeParam(r *http.Request, name string, endOfDay bool) (time.Time, bool) {
	vs := r.URL.Query()[name]
	if len(vs) == 0 || vs[0] == "" {
		return time.Time{}, len(vs) <= 1
	}
	if len(vs) > 1 {
		return time.Time{}, false
	}
	return parseWhen(vs[0], endOfDay)
}

// parseWhen reads RFC 3339, a local date-time without offset (UTC), or a
// date (its start, or its end when endOfDay).
func parseWhen(s string, endOfDay bool) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, false
	}
	if endOfDay {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, true
}
