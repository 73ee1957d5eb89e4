package mockbank

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/mockbank/authz"
)

// Berlin Group consent limits.
const (
	maxBerlinAccounts = 100
	maxFrequency      = 100
	defaultFrequency  = 4
)

// bgConsentRequest is the body of POST /v1/consents.
type bgConsentRequest struct {
	Access                   json.RawMessage `json:"access"`
	RecurringIndicator       *bool           `json:"recurringIndicator"`
	ValidUntil               string          `json:"validUntil"`
	FrequencyPerDay          *int            `json:"frequencyPerDay"`
	CombinedServiceIndicator *bool           `json:"combinedServiceIndicator"`
	TransactionsFrom         string          `json:"transactionsFrom"`
}

// bgTerms is what a Berlin Group consent keeps to echo back.
type bgTerms struct {
	Access          json.RawMessage `json:"access"`
	Recurring       bool            `json:"recurringIndicator"`
	FrequencyPerDay int             `json:"frequencyPerDay"`
	Combined        bool            `json:"combinedServiceIndicator"`
}

// bgAccountRef names an account in an access list.
type bgAccountRef struct {
	IBAN string `json:"iban"`
}

// parse turns the request into a consent: access keys into permissions,
// validUntil (a date, valid through its end) into the expiry.
func (q bgConsentRequest) parse(now time.Time) (authz.Consent, error) {
	if len(bytes.TrimSpace(q.Access)) == 0 || bytes.Equal(bytes.TrimSpace(q.Access), []byte("null")) {
		return authz.Consent{}, badf("access is required")
	}
	var access map[string]json.RawMessage
	if err := json.Unmarshal(q.Access, &access); err != nil {
		return authz.Consent{}, badf("access must be an object")
	}
	var perms, ibans []string
	grants := map[string][]string{
		"accounts": {banks.PermAccountsDetail}, "balances": {banks.PermBalances},
		"transactions": {banks.PermTransactionsDetail}, "loans": {banks.PermProducts},
	}
	for key, raw := range access {
		switch key {
		case "accounts", "balances", "transactions", "loans":
			var refs []bgAccountRef
			if err := json.Unmarshal(raw, &refs); err != nil || refs == nil {
				return authz.Consent{}, badf("access.%s must be a list of accounts (empty for all)", key)
			}
			for _, r := range refs {
				if r.IBAN == "" || len(r.IBAN) > 34 {
					return authz.Consent{}, badf("access.%s names an account without a valid iban", key)
				}
				ibans = append(ibans, r.IBAN)
			}
			perms = append(perms, grants[key]...)
		case "availableAccounts", "allPsd2":
			var v string
			if err := json.Unmarshal(raw, &v); err != nil || (v != "allAccounts" && v != "allAccountsWithOwnerName") {
				return authz.Consent{}, badf("access.%s must be allAccounts", key)
			}
			perms = append(perms, banks.PermAccountsDetail)
			if key == "allPsd2" {
				perms = append(perms, banks.PermBalances, banks.PermTransactionsDetail)
			}
		default:
			return authz.Consent{}, badf("access.%s is not supported", key)
		}
	}
	if len(ibans) > maxBerlinAccounts {
		return authz.Consent{}, badf("access names more than %d accounts", maxBerlinAccounts)
	}
	if q.ValidUntil == "" {
		return authz.Consent{}, badf("validUntil is required (YYYY-MM-DD)")
	}
	until, err := time.Parse(time.DateOnly, q.ValidUntil)
	if err != nil {
		return authz.Consent{}, badf("validUntil %q is not a date (YYYY-MM-DD)", q.ValidUntil)
	}
	expires := until.AddDate(0, 0, 1)
	freq := defaultFrequency
	if q.FrequencyPerDay != nil {
		freq = *q.FrequencyPerDay
	}
	if freq < 1 || freq > maxFrequency {
		return authz.Consent{}, badf("frequencyPerDay must be between 1 and %d", maxFrequency)
	}
	var from *time.Time
	if q.TransactionsFrom != "" {
		f, err := time.Parse(time.DateOnly, q.TransactionsFrom)
		if err != nil {
			return authz.Consent{}, badf("transactionsFrom %q is not a date (YYYY-MM-DD)", q.TransactionsFrom)
		}
		from = &f
	}
	c, err := newConsent(perms, expires, from, nil, now, 24*time.Hour)
	if err != nil {
		return authz.Consent{}, err
	}
	canonical, _ := json.Marshal(access)
	terms, _ := json.Marshal(bgTerms{Access: canonical, Recurring: q.RecurringIndicator != nil && *q.RecurringIndicator,
		FrequencyPerDay: freq, Combined: q.CombinedServiceIndicator != nil && *q.CombinedServiceIndicator})
	c.Terms, c.Accounts = terms, ibans
	return c, nil
}
