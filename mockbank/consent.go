package mockbank

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/authz"
)

// Consent limits.
const (
	maxConsentLife  = 365 * 24 * time.Hour
	defaultLife     = 90 * 24 * time.Hour
	clockTolerance  = 5 * time.Minute
	maxPermissions  = 32
	maxConsentIDLen = 128
)

// knownPermissions are the permissions a consent may carry.
func knownPermissions() []string {
	return []string{
		banks.PermAccountsBasic, banks.PermAccountsDetail, banks.PermBalances, banks.PermProducts,
		banks.PermTransactionsBasic, banks.PermTransactionsDetail, banks.PermTransactionsCredit, banks.PermTransactionsDebit,
	}
}

// badRequest is a consent request the bank refuses, with the reason.
type badRequest string

func (e badRequest) Error() string { return string(e) }

func badf(format string, a ...any) error { return badRequest(fmt.Sprintf(format, a...)) }

// newConsent validates the terms every style shares and returns the consent
// to create. A zero expiry means the default lifetime; slack is how far
// past 365 days an expiry may lie (a date-only expiry ends a day later).
func newConsent(perms []string, expires time.Time, from, to *time.Time, now time.Time, slack time.Duration) (authz.Consent, error) {
	if len(perms) == 0 {
		return authz.Consent{}, badf("the consent asks for no permission")
	}
	if len(perms) > maxPermissions {
		return authz.Consent{}, badf("the consent lists more than %d permissions", maxPermissions)
	}
	var clean []string
	for _, p := range perms {
		if !slices.Contains(knownPermissions(), p) {
			return authz.Consent{}, badf("unknown permission %q", p)
		}
		if !slices.Contains(clean, p) {
			clean = append(clean, p)
		}
	}
	if expires.IsZero() {
		expires = now.Add(defaultLife)
	}
	switch {
	case !expires.After(now):
		return authz.Consent{}, badf("the expiry %s is in the past", expires.Format(time.RFC3339))
	case expires.Sub(now) > maxConsentLife+clockTolerance+slack:
		return authz.Consent{}, badf("the expiry %s is more than 365 days ahead", expires.Format(time.RFC3339))
	case from != nil && to != nil && from.After(*to):
		return authz.Consent{}, badf("the transaction window starts after it ends")
	}
	return authz.Consent{ClientID: ClientID, Permissions: clean, Expires: expires.UTC(), From: utcPtr(from), To: utcPtr(to)}, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// optTime parses an optional RFC 3339 field.
func optTime(name, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, badf("%s %q is not an RFC 3339 date-time", name, s)
	}
	return &t, nil
}

// readJSON decodes a request body holding exactly one JSON value.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		if tooLarge(err) {
			return err
		}
		return badf("the body is not the JSON this endpoint takes: %v", err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		if tooLarge(err) {
			return err
		}
		return badf("the body holds more than one JSON value")
	}
	return nil
}

// consentCall checks client authentication for a consent endpoint and
// answers the failure itself.
func (b *bank) consentCall(w http.ResponseWriter, r *http.Request) bool {
	if !clientAuth(r) {
		b.fail(w, http.StatusUnauthorized, codeInvalidClient, "client authentication failed (HTTP Basic with the registered client)")
		return false
	}
	return true
}

// consentBody reads and parses a consent creation body with parse, and
// answers any failure itself.
func (b *bank) consentBody(w http.ResponseWriter, r *http.Request, v any) bool {
	err := readJSON(r, v)
	switch {
	case err == nil:
		return true
	case tooLarge(err):
		b.fail(w, http.StatusRequestEntityTooLarge, codeInvalidRequest, fmt.Sprintf("the request body is larger than %d bytes", MaxRequestBody))
	default:
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, err.Error())
	}
	return false
}

// createConsent stores a validated consent, answering failures itself.
func (b *bank) createConsent(w http.ResponseWriter, c authz.Consent, err error, prefix string) (authz.Consent, bool) {
	var br badRequest
	switch {
	case errors.As(err, &br):
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, br.Error())
		return authz.Consent{}, false
	case err != nil:
		b.fail(w, http.StatusBadRequest, codeInvalidRequest, err.Error())
		return authz.Consent{}, false
	}
	stored, err := b.store.Create(prefix, c)
	var ae *authz.Error
	if errors.As(err, &ae) {
		b.fail(w, http.StatusServiceUnavailable, codeUnavailable, ae.Description)
		return authz.Consent{}, false
	}
	if err != nil {
		b.s.opts.Logger.Error("cannot store a consent", "bank", b.info.ID, "err", err)
		b.fail(w, http.StatusInternalServerError, codeServerError, "the bank cannot store the consent")
		return authz.Consent{}, false
	}
	b.s.opts.Logger.Info("consent created", "bank", b.info.ID, "consent", stored.ID, "permissions", stored.Permissions)
	return stored, true
}

// lookupConsent finds the consent named in the path, answering 404 itself.
func (b *bank) lookupConsent(w http.ResponseWriter, r *http.Request) (authz.Consent, bool) {
	id := r.PathValue("id")
	if id == "" || len(id) > maxConsentIDLen {
		b.fail(w, http.StatusNotFound, codeNotFound, "no such consent")
		return authz.Consent{}, false
	}
	c, ok := b.store.Get(id)
	if !ok || !authz.Equal(c.ClientID, ClientID) {
		b.fail(w, http.StatusNotFound, codeNotFound, "no such consent")
		return authz.Consent{}, false
	}
	return c, true
}

// deleteConsent revokes the consent named in the path (by the client).
func (b *bank) deleteConsent(w http.ResponseWriter, r *http.Request) {
	if !b.consentCall(w, r) {
		return
	}
	c, ok := b.lookupConsent(w, r)
	if !ok {
		return
	}
	if _, err := b.store.Revoke(c.ID, authz.ByTPP); err != nil {
		b.s.opts.Logger.Error("cannot store a revocation", "bank", b.info.ID, "err", err)
		b.fail(w, http.StatusInternalServerError, codeServerError, "the bank cannot store the revocation")
		return
	}
	b.s.opts.Logger.Info("consent revoked", "bank", b.info.ID, "consent", c.ID)
	w.WriteHeader(http.StatusNoContent)
}

// rfc3339 formats a time for the original and UK styles.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optRFC3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return rfc3339(*t)
}
