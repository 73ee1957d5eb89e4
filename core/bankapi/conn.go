package bankapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Policy bounds how the client talks to a bank. Zero fields take defaults.
type Policy struct {
	CallTimeout   time.Duration // deadline of each call; default 20 s
	Attempts      int           // tries for a 5xx, network error or malformed answer; default 4
	Backoff       time.Duration // first delay between tries, doubled each time; default 250 ms
	MaxBackoff    time.Duration // default 4 s
	MaxRetryAfter time.Duration // longest Retry-After honoured; longer waits fail the call; default 30 s
	MaxThrottled  int           // 429 answers waited out per call; default 8
	MaxBody       int64         // largest answer read; default 32 MiB
	// Transport carries the requests; nil = http.DefaultTransport.
	Transport http.RoundTripper
	// Sleep waits d or until ctx ends (tests replace it); nil = a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (p Policy) withDefaults() Policy {
	if p.CallTimeout <= 0 {
		p.CallTimeout = 20 * time.Second
	}
	if p.Attempts <= 0 {
		p.Attempts = 4
	}
	if p.Backoff <= 0 {
		p.Backoff = 250 * time.Millisecond
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 4 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 30 * time.Second
	}
	if p.MaxThrottled <= 0 {
		p.MaxThrottled = 8
	}
	if p.MaxBody <= 0 {
		p.MaxBody = 32 << 20
	}
	if p.Sleep == nil {
		p.Sleep = sleep
	}
	return p
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Conn makes the resource calls of one consent: bearer token, one refresh
// on a 401, Retry-After on a 429, backoff on 5xx and network errors, a
// deadline on each call. Once the bank refuses the refresh the Conn is dead
// and makes no further calls. A Conn is safe for concurrent use, but the
// sync engine uses one per bank, sequentially.
type Conn struct {
	c         *Client
	consentID string
	onRefresh func(context.Context, Tokens) error

	mu    sync.Mutex
	tok   Tokens
	dead  bool
	calls int
}

// Connect builds the Conn of a consent. onRefresh, if set, is called with
// the new tokens after every successful refresh (to store them).
func (c *Client) Connect(consentID string, t Tokens, onRefresh func(context.Context, Tokens) error) *Conn {
	return &Conn{c: c, consentID: consentID, tok: t, onRefresh: onRefresh}
}

// Calls returns how many HTTP requests the Conn sent (resource calls and
// refreshes).
func (k *Conn) Calls() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.calls
}

// Tokens returns the Conn's current tokens (after any refresh).
func (k *Conn) Tokens() Tokens {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.tok
}

// Bank is the bank the Conn talks to.
func (k *Conn) Bank() string { return k.c.Bank.Name }

// Call names one resource call for error messages and progress.
type Call struct {
	Resource string // accounts, balances, products, transactions
	Page     int    // 1-based page number, 0 if not paged
	URL      string // absolute, under the bank's base URL
}

// GetJSON performs a GET and decodes a 200 answer into out.
func (k *Conn) GetJSON(ctx context.Context, call Call, out any) error {
	p := k.c.Policy
	if !under(k.c.Bank.BaseURL, call.URL) {
		return &CallError{Bank: k.c.Bank.Name, Resource: call.Resource, Page: call.Page,
			Err: errors.New("the bank pointed outside its own address; refusing to follow")}
	}
	attempts, throttled, refreshed := 0, 0, false
	var last *CallError
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if attempts >= p.Attempts {
			last.Attempts = attempts
			return last
		}
		status, body, hdr, err := k.do(ctx, call.URL)
		if errors.Is(err, ErrReauth) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		switch {
		case err != nil:
			attempts++
			last = &CallError{Bank: k.c.Bank.Name, Resource: call.Resource, Page: call.Page, Err: err}
		case status == http.StatusOK:
			if derr := json.Unmarshal(body, out); derr != nil {
				attempts++
				last = &CallError{Bank: k.c.Bank.Name, Resource: call.Resource, Page: call.Page,
					Err: &DecodeError{Bank: k.c.Bank.Name, Resource: call.Resource, Err: derr}}
				break
			}
			return nil
		case status == http.StatusUnauthorized:
			if refreshed {
				k.kill()
				return ErrReauth
			}
			refreshed = true
			if err := k.refresh(ctx); err != nil {
				return err
			}
			continue // the retry after a refresh is not a failed attempt
		case status == http.StatusTooManyRequests:
			throttled++
			wait := retryAfter(hdr.Get("Retry-After"), p.Backoff)
			if throttled > p.MaxThrottled || wait > p.MaxRetryAfter {
				return &CallError{Bank: k.c.Bank.Name, Resource: call.Resource, Page: call.Page, Status: status,
					Err: fmt.Errorf("the bank keeps asking to slow down (Retry-After %s)", wait)}
			}
			if err := p.Sleep(ctx, wait); err != nil {
				return err
			}
			continue
		case status >= 500:
			attempts++
			last = &CallError{Bank: k.c.Bank.Name, Resource: call.Resource, Page: call.Page, Status: status}
		default:
			return &CallError{Bank: k.c.Bank.Name, Resource: call.Resource, Page: call.Page, Status: status,
				Err: bankMessage(body), Attempts: attempts + 1}
		}
		if attempts < p.Attempts {
			if err := p.Sleep(ctx, backoff(p, attempts)); err != nil {
				return err
			}
		}
	}
}

func (k *Conn) do(ctx context.Context, u string) (int, []byte, http.Header, error) {
	k.mu.Lock()
	if k.dead {
		k.mu.Unlock()
		return 0, nil, nil, ErrReauth
	}
	access := k.tok.Access
	k.calls++
	k.mu.Unlock()
	cctx, cancel := context.WithTimeout(ctx, k.c.Policy.CallTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Request-ID", newRequestID())
	if k.consentID != "" {
		req.Header.Set("Consent-ID", k.consentID)
	}
	resp, err := k.c.http.Do(req)
	if err != nil {
		return 0, nil, nil, netErr(err)
	}
	body, err := readBody(resp, k.c.Policy.MaxBody)
	if err != nil {
		return resp.StatusCode, nil, resp.Header, err
	}
	return resp.StatusCode, body, resp.Header, nil
}

// refresh makes the one refresh a 401 allows. A refusal kills the Conn.
func (k *Conn) refresh(ctx context.Context) error {
	k.mu.Lock()
	rt := k.tok.Refresh
	k.calls++
	k.mu.Unlock()
	t, err := k.c.Refresh(ctx, rt)
	if errors.Is(err, ErrReauth) {
		k.kill()
		return ErrReauth
	}
	if err != nil {
		return err
	}
	k.mu.Lock()
	if t.ConsentID == "" {
		t.ConsentID = k.tok.ConsentID
	}
	if len(t.Scopes) == 0 {
		t.Scopes = k.tok.Scopes
	}
	k.tok = t
	k.mu.Unlock()
	if k.onRefresh != nil {
		if err := k.onRefresh(ctx, t); err != nil {
			return fmt.Errorf("cannot store the refreshed token: %w", err)
		}
	}
	return nil
}

func (k *Conn) kill() {
	k.mu.Lock()
	k.dead = true
	k.mu.Unlock()
}

func backoff(p Policy, attempt int) time.Duration {
	d := p.Backoff
	for i := 1; i < attempt && d < p.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, p.MaxBackoff)
}

// retryAfter reads a Retry-After header (seconds or an HTTP date).
func retryAfter(v string, def time.Duration) time.Duration {
	if v == "" {
		return def
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
		return 0
	}
	return def
}

// bankMessage pulls the human part out of an error body in any of the
// styles' shapes (RFC 6749, Berlin Group tppMessages).
func bankMessage(body []byte) error {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		TPP         []struct {
			Code string `json:"code"`
			Text string `json:"text"`
		} `json:"tppMessages"`
	}
	if json.Unmarshal(body, &e) != nil {
		return nil
	}
	switch {
	case e.Description != "":
		return errors.New(e.Description)
	case e.Error != "":
		return errors.New(e.Error)
	case len(e.TPP) > 0 && e.TPP[0].Text != "":
		return errors.New(e.TPP[0].Text)
	case len(e.TPP) > 0:
		return errors.New(e.TPP[0].Code)
	}
	return nil
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
