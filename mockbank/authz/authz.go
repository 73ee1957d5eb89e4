// Package authz is one emulated bank's authorization state: consents and
// their life cycle, authorization codes bound to a PKCE challenge, and
// access and refresh tokens. It speaks no HTTP; package mockbank puts it on
// the wire.
//
// Only the SHA-256 of codes and tokens is kept, in memory and on disk (a
// JSON file written atomically), so a copy of the state file grants
// nothing. Every secret comparison is constant-time. A Store is safe for
// concurrent use.
package authz

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"
)

// Consent statuses (UK Open Banking words; the Berlin Group style maps them).
const (
	Awaiting   = "AwaitingAuthorisation"
	Authorised = "Authorised"
	Rejected   = "Rejected"
	Revoked    = "Revoked"
	Expired    = "Expired"
)

// Who revoked a consent.
const (
	ByTPP = "tpp" // the third party (DELETE on the consent)
	ByPSU = "psu" // the customer
)

// Lifetimes.
const (
	CodeTTL   = 60 * time.Second
	AccessTTL = 600 * time.Second
)

// Consent is a customer's permission for a client to read data.
type Consent struct {
	ID          string     `json:"id"`
	ClientID    string     `json:"client_id"`
	Status      string     `json:"status"`
	Permissions []string   `json:"permissions"`
	Expires     time.Time  `json:"expires"`
	From        *time.Time `json:"from,omitempty"`
	To          *time.Time `json:"to,omitempty"`
	Created     time.Time  `json:"created"`
	Updated     time.Time  `json:"updated"`
	LastAction  time.Time  `json:"last_action"`
	// Customer is the login that approved (or rejected) the consent.
	Customer  string `json:"customer,omitempty"`
	RevokedBy string `json:"revoked_by,omitempty"`
	// Accounts, when not empty, restricts the consent to these account
	// identifiers (Berlin Group consents that name IBANs).
	Accounts []string `json:"accounts,omitempty"`
	// Terms keeps the style-specific request (e.g. a Berlin Group access
	// object) to echo it back.
	Terms json.RawMessage `json:"terms,omitempty"`
}

// Has reports whether the consent carries a permission.
func (c Consent) Has(perm string) bool { return slices.Contains(c.Permissions, perm) }

// HasAny reports whether the consent carries one of perms.
func (c Consent) HasAny(perms ...string) bool {
	return slices.ContainsFunc(perms, c.Has)
}

// Covers reports whether the consent lets the client see an account.
func (c Consent) Covers(accountRefs ...string) bool {
	if len(c.Accounts) == 0 {
		return true
	}
	return slices.ContainsFunc(accountRefs, func(r string) bool { return r != "" && slices.Contains(c.Accounts, r) })
}

func (c Consent) clone() Consent {
	c.Permissions = slices.Clone(c.Permissions)
	c.Accounts = slices.Clone(c.Accounts)
	c.Terms = slices.Clone(c.Terms)
	if c.From != nil {
		f := *c.From
		c.From = &f
	}
	if c.To != nil {
		t := *c.To
		c.To = &t
	}
	return c
}

// Error is a refusal in OAuth terms: Code is an RFC 6749/6750 error code
// (invalid_request, invalid_grant, invalid_token, ...) or not_found.
type Error struct {
	Code        string
	Description string
}

func (e *Error) Error() string { return e.Code + ": " + e.Description }

// Error codes beyond RFC 6749.
const (
	NotFound     = "not_found"
	InvalidToken = "invalid_token"
	InvalidGrant = "invalid_grant"
	InvalidReq   = "invalid_request"
	BadStatus    = "consent_status"
	TooMany      = "temporarily_unavailable"
)

func fail(code, desc string) *Error { return &Error{Code: code, Description: desc} }

// Grant is what the token endpoint answers.
type Grant struct {
	Access    string
	Refresh   string // empty on a refresh (not rotated)
	ExpiresIn int    // seconds
	ConsentID string
}

// secret makes a random opaque string (256 bits).
func secret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewID makes a random identifier with a prefix (consent ids).
func NewID(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// hash is what the store keeps of a secret.
func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// S256 is the PKCE S256 transform of a verifier (RFC 7636 §4.2).
func S256(verifier string) string {
	h := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// ValidVerifier reports whether s is a well-formed PKCE code verifier
// (43 to 128 unreserved characters).
func ValidVerifier(s string) bool {
	return len(s) >= 43 && len(s) <= 128 && unreserved(s)
}

// ValidChallenge reports whether s can be an S256 challenge.
func ValidChallenge(s string) bool { return len(s) == 43 && unreserved(s) }

func unreserved(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
		if !ok {
			return false
		}
	}
	return true
}

// Equal compares two secrets in constant time.
func Equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
