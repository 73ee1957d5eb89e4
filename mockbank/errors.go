package mockbank

import (
	"net/http"
	"strconv"

	"github.com/openfinance-tui/openfinance/core/banks"
)

// Error codes of resource and consent answers. The Berlin Group style
// renders them as tppMessages codes; the others as RFC 6749/6750 errors.
const (
	codeInvalidToken   = "invalid_token"
	codeConsentInvalid = "consent_invalid"
	codeConsentExpired = "consent_expired"
	codeInsufficient   = "insufficient_permissions"
	codeNotFound       = "not_found"
	codeInvalidRequest = "invalid_request"
	codeInvalidClient  = "invalid_client"
	codeRateLimited    = "rate_limited"
	codeServerError    = "server_error"
	codeUnavailable    = "temporarily_unavailable"
)

// berlinCode is the NextGenPSD2 code of an error code.
func berlinCode(code string) string {
	switch code {
	case codeInvalidToken, codeInvalidClient:
		return "TOKEN_INVALID"
	case codeConsentInvalid:
		return "CONSENT_INVALID"
	case codeConsentExpired:
		return "CONSENT_EXPIRED"
	case codeInsufficient:
		return "SERVICE_BLOCKED"
	case codeNotFound:
		return "RESOURCE_UNKNOWN"
	case codeInvalidRequest:
		return "FORMAT_ERROR"
	case codeRateLimited:
		return "ACCESS_EXCEEDED"
	case codeUnavailable:
		return "SERVICE_UNAVAILABLE"
	}
	return "INTERNAL_SERVER_ERROR"
}

// fail answers an error in the bank's style.
func (b *bank) fail(w http.ResponseWriter, status int, code, desc string) {
	h := w.Header()
	switch status {
	case http.StatusUnauthorized:
		if code == codeInvalidClient {
			h.Set("WWW-Authenticate", `Basic realm="`+b.info.ID+`"`)
		} else {
			h.Set("WWW-Authenticate", `Bearer realm="`+b.info.ID+`", error="invalid_token"`)
		}
	case http.StatusForbidden:
		h.Set("WWW-Authenticate", `Bearer realm="`+b.info.ID+`", error="insufficient_scope"`)
	}
	if b.info.Style == banks.StyleBerlinGroup {
		writeJSON(w, status, map[string]any{"tppMessages": []map[string]string{
			{"category": "ERROR", "code": berlinCode(code), "text": desc},
		}})
		return
	}
	switch code {
	case codeConsentInvalid, codeConsentExpired:
		code = codeInvalidToken
	}
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// throttle answers a 429 with Retry-After.
func (b *bank) throttle(w http.ResponseWriter, retry int) {
	w.Header().Set("Retry-After", strconv.Itoa(retry))
	b.fail(w, http.StatusTooManyRequests, codeRateLimited, "too many requests for this token; retry after "+strconv.Itoa(retry)+" s")
}
