package authz

import (
	"fmt"
	"sync"
	"time"
)

// Config configures a Store.
type Config struct {
	// Path is the state file; empty keeps everything in memory.
	Path string
	// Now is the bank's clock; nil = time.Now.
	Now func() time.Time
	// OnCorrupt is told when the state file cannot be read; the file is
	// moved aside and the store starts empty (links must be made again).
	OnCorrupt func(err error)
}

// Store is one bank's consents, codes and tokens.
type Store struct {
	mu      sync.Mutex
	path    string
	now     func() time.Time
	st      state
	pruneAt int
}

// MaxConsents bounds the consents a bank keeps, so that a client creating
// consents in a loop cannot exhaust memory.
const MaxConsents = 20000

// state is what is persisted. Codes and tokens are keyed by their hash.
type state struct {
	Version  int                 `json:"version"`
	Consents map[string]*Consent `json:"consents"`
	Codes    map[string]*code    `json:"codes"`
	Tokens   map[string]*token   `json:"tokens"`
}

type code struct {
	ConsentID   string    `json:"consent_id"`
	ClientID    string    `json:"client_id"`
	RedirectURI string    `json:"redirect_uri"`
	Challenge   string    `json:"challenge"`
	Expires     time.Time `json:"expires"`
	Used        bool      `json:"used"`
}

type token struct {
	Kind      string    `json:"kind"` // access | refresh
	ConsentID string    `json:"consent_id"`
	ClientID  string    `json:"client_id"`
	Code      string    `json:"code"`              // hash of the code the grant came from
	Refresh   string    `json:"refresh,omitempty"` // hash of the refresh token an access token came from
	Expires   time.Time `json:"expires,omitzero"`  // zero for refresh tokens (they live as long as the consent)
	Revoked   bool      `json:"revoked,omitempty"`
}

const (
	kindAccess  = "access"
	kindRefresh = "refresh"
)

// Open loads the store from cfg.Path (if any).
func Open(cfg Config) (*Store, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Store{path: cfg.Path, now: cfg.Now, st: emptyState(), pruneAt: minPruneAt}
	if s.path == "" {
		return s, nil
	}
	st, err := load(s.path)
	if err != nil {
		if moved, ok := moveAside(s.path); ok {
			if cfg.OnCorrupt != nil {
				cfg.OnCorrupt(fmt.Errorf("%w; it was moved to %s and the bank starts without links", err, moved))
			}
			return s, nil
		}
		return nil, err
	}
	s.st = st
	return s, nil
}

func emptyState() state {
	return state{Version: 1, Consents: map[string]*Consent{}, Codes: map[string]*code{}, Tokens: map[string]*token{}}
}

// Create stores a new consent waiting for authorisation and returns it
// with its id (prefix + random) and timestamps.
func (s *Store) Create(prefix string, c Consent) (Consent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC()
	if len(s.st.Consents) >= MaxConsents {
		s.prune()
		for id, w := range s.st.Consents {
			if w.Status == Awaiting && now.Sub(w.Created) > keepWaiting {
				delete(s.st.Consents, id)
			}
		}
		if len(s.st.Consents) >= MaxConsents {
			return Consent{}, fail(TooMany, "the bank holds too many consents; try again later")
		}
	}
	c = c.clone()
	c.ID = NewID(prefix)
	c.Status, c.Customer, c.RevokedBy = Awaiting, "", ""
	c.Created, c.Updated, c.LastAction = now, now, now
	s.st.Consents[c.ID] = &c
	if err := s.save(); err != nil {
		delete(s.st.Consents, c.ID)
		return Consent{}, err
	}
	return c.clone(), nil
}

// Get returns a consent with its current status (an Authorised or waiting
// consent past its expiry is Expired from then on).
func (s *Store) Get(id string) (Consent, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.Consents[id]
	if !ok {
		return Consent{}, false
	}
	s.expire(c)
	return c.clone(), true
}

// expire moves c to Expired if its time is up; s.mu is held.
func (s *Store) expire(c *Consent) {
	now := s.now().UTC()
	if (c.Status == Authorised || c.Status == Awaiting) && !now.Before(c.Expires) {
		c.Status, c.Updated = Expired, now
		s.killTokens(c.ID)
		_ = s.save() // the transition is recomputed from the clock if the write fails
	}
}

// Decide records the customer's answer to a waiting consent.
func (s *Store) Decide(id, customer string, approve bool) (Consent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.Consents[id]
	if !ok {
		return Consent{}, fail(NotFound, "no such consent")
	}
	s.expire(c)
	if c.Status != Awaiting {
		return c.clone(), fail(BadStatus, "the consent is "+c.Status+", not waiting for authorisation")
	}
	prev := *c
	now := s.now().UTC()
	c.Customer, c.Updated, c.LastAction = customer, now, now
	c.Status = Rejected
	if approve {
		c.Status = Authorised
	}
	if err := s.save(); err != nil {
		*c = prev
		return Consent{}, err
	}
	return c.clone(), nil
}

// Revoke ends a consent (by ByTPP or ByPSU) and kills its tokens. Revoking
// a consent that already ended changes nothing.
func (s *Store) Revoke(id, by string) (Consent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.Consents[id]
	if !ok {
		return Consent{}, fail(NotFound, "no such consent")
	}
	s.expire(c)
	if c.Status == Authorised || c.Status == Awaiting {
		now := s.now().UTC()
		c.Status, c.RevokedBy, c.Updated, c.LastAction = Revoked, by, now, now
	}
	s.killTokens(id)
	return c.clone(), s.save()
}

// Touch records a data access on the consent (Berlin Group lastActionDate).
func (s *Store) Touch(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.st.Consents[id]; ok {
		day := s.now().UTC().Truncate(24 * time.Hour)
		if c.LastAction.Before(day) {
			c.LastAction = s.now().UTC()
			_ = s.save()
		}
	}
}

// killTokens revokes every token of a consent; s.mu is held.
func (s *Store) killTokens(consentID string) {
	for _, t := range s.st.Tokens {
		if t.ConsentID == consentID {
			t.Revoked = true
		}
	}
}

// Counts reports how many consents, codes and live tokens the store holds
// (for tests and diagnostics).
func (s *Store) Counts() (consents, codes, tokens int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.st.Tokens {
		if !t.Revoked {
			tokens++
		}
	}
	return len(s.st.Consents), len(s.st.Codes), tokens
}
