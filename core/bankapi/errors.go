// Package bankapi is openfinance's client side of the banks' wire contract
// (mockbank/API.md): an OAuth2 client (RFC 8414 discovery, PKCE S256,
// client_secret_basic, state and iss checked on the callback), the bank's
// login and approval form, and one adapter per API style that turns the
// bank's JSON into the unified documents of core/model.
//
// Nothing here touches the database: the sync engine (core/sync) and the
// hub decide what to store. Token values pass through this package but are
// never logged or put in an error message.
package bankapi

import (
	"errors"
	"fmt"
	"net/http"
)

// ErrReauth means the bank no longer accepts the app's tokens (the refresh
// token was refused): the consent needs renewing before any further call.
var ErrReauth = errors.New("the bank no longer accepts this link; it needs a new consent (link the bank again)")

// ErrAccessDenied is returned when the user rejected the consent at the bank.
var ErrAccessDenied = errors.New("the consent was rejected at the bank")

// ErrStateMismatch is returned when a callback does not carry the state (or
// issuer) of the authorization request it claims to answer: it may be forged
// and its code is never exchanged.
var ErrStateMismatch = errors.New("the bank's answer does not match this link request (state or issuer differ); start again")

// LoginError is the bank refusing the user name, password or one-time code.
// The consent stays waiting, so the same link may be retried.
type LoginError struct {
	Bank   string // bank name
	Detail string // the bank's own words, if any
}

func (e *LoginError) Error() string {
	return fmt.Sprintf("%s did not accept the user name or password", e.Bank)
}

// AuthError is an OAuth error answer from the bank (RFC 6749 error codes).
type AuthError struct {
	Bank        string
	Code        string
	Description string
}

func (e *AuthError) Error() string {
	if e.Description != "" {
		return fmt.Sprintf("%s refused the request (%s): %s", e.Bank, e.Code, e.Description)
	}
	return fmt.Sprintf("%s refused the request (%s)", e.Bank, e.Code)
}

// CallError is a resource call that failed after every allowed attempt.
type CallError struct {
	Bank     string
	Resource string // accounts, balances, products, transactions, consent, ...
	Page     int    // 0 when the resource is not paged
	Status   int    // last HTTP status, 0 for network errors
	Attempts int
	Err      error
}

func (e *CallError) Error() string {
	what := e.Resource
	if e.Page > 0 {
		what = fmt.Sprintf("%s (page %d)", e.Resource, e.Page)
	}
	var cause string
	switch {
	case e.Status != 0 && e.Err != nil:
		cause = fmt.Sprintf("the bank answered %d %s: %v", e.Status, http.StatusText(e.Status), e.Err)
	case e.Status != 0:
		cause = fmt.Sprintf("the bank answered %d %s", e.Status, http.StatusText(e.Status))
	case e.Err != nil:
		cause = e.Err.Error()
	default:
		cause = "unknown error"
	}
	if e.Attempts > 1 {
		cause += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return fmt.Sprintf("%s: cannot read %s: %s", e.Bank, what, cause)
}

func (e *CallError) Unwrap() error { return e.Err }

// DecodeError is a bank answer that is not the JSON the contract promises.
type DecodeError struct {
	Bank     string
	Resource string
	Err      error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s sent malformed data for %s: %v", e.Bank, e.Resource, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Transient reports whether err is worth retrying later (a network error,
// a 5xx, a malformed answer) as opposed to one that needs the user.
func Transient(err error) bool {
	var ce *CallError
	if errors.As(err, &ce) {
		return ce.Status == 0 || ce.Status >= 500 || ce.Status == http.StatusTooManyRequests
	}
	var de *DecodeError
	return errors.As(err, &de)
}
