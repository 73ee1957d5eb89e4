package authz

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// maxStateFile bounds what load reads (a state file is small).
const maxStateFile = 64 << 20

// Retention of finished things before they are dropped from the state.
const (
	keepCodes    = time.Hour
	keepTokens   = time.Hour
	keepConsents = 30 * 24 * time.Hour
	// Pruning walks the whole state, so it runs when the state has doubled
	// since the last time (amortised constant cost per change).
	minPruneAt = 64
	// keepWaiting is how long a consent nobody authorised is kept once
	// the bank holds too many.
	keepWaiting = time.Hour
)

func load(path string) (state, error) {
	st := emptyState()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("cannot read the bank state %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return st, fmt.Errorf("cannot read the bank state %s: %w", path, err)
	}
	if info.Size() > maxStateFile {
		return st, fmt.Errorf("the bank state %s is larger than %d bytes", path, maxStateFile)
	}
	if err := json.NewDecoder(f).Decode(&st); err != nil {
		return emptyState(), fmt.Errorf("the bank state %s is not valid JSON: %w", path, err)
	}
	if st.Consents == nil {
		st.Consents = map[string]*Consent{}
	}
	if st.Codes == nil {
		st.Codes = map[string]*code{}
	}
	if st.Tokens == nil {
		st.Tokens = map[string]*token{}
	}
	for id, c := range st.Consents {
		if c == nil || c.ID != id {
			delete(st.Consents, id)
		}
	}
	for h, c := range st.Codes {
		if c == nil {
			delete(st.Codes, h)
		}
	}
	for h, t := range st.Tokens {
		if t == nil {
			delete(st.Tokens, h)
		}
	}
	return st, nil
}

// moveAside renames an unreadable state file so the bank can start afresh
// without destroying it.
func moveAside(path string) (string, bool) {
	if _, err := os.Stat(path); err != nil {
		return "", false
	}
	to := fmt.Sprintf("%s.corrupt-%d", path, time.Now().UnixNano())
	if err := os.Rename(path, to); err != nil {
		return "", false
	}
	return to, true
}

// save prunes finished entries and writes the state atomically (a
// temporary file renamed over the old one); s.mu is held.
func (s *Store) save() error {
	if n := s.size(); n >= s.pruneAt {
		s.prune()
		s.pruneAt = max(minPruneAt, 2*s.size())
	}
	if s.path == "" {
		return nil
	}
	data, err := json.Marshal(s.st)
	if err != nil {
		return fmt.Errorf("cannot encode the bank state: %w", err)
	}
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the bank state directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(s.path)+"-*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write the bank state: %w", err)
	}
	name := tmp.Name()
	_, werr := tmp.Write(data)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("cannot write the bank state: %w", err)
	}
	if err := os.Rename(name, s.path); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("cannot write the bank state: %w", err)
	}
	return nil
}

// size is how many entries the state holds; s.mu is held.
func (s *Store) size() int { return len(s.st.Consents) + len(s.st.Codes) + len(s.st.Tokens) }

// prune drops codes, tokens and consents that can no longer matter; s.mu
// is held. Used codes are kept a while so a replay still revokes tokens.
func (s *Store) prune() {
	now := s.now().UTC()
	for h, c := range s.st.Codes {
		if now.Sub(c.Expires) > keepCodes {
			delete(s.st.Codes, h)
		}
	}
	for h, t := range s.st.Tokens {
		dead := t.Revoked || (t.Kind == kindAccess && now.After(t.Expires))
		if t.Kind == kindAccess && dead && now.Sub(t.Expires) > keepTokens {
			delete(s.st.Tokens, h)
		}
		if t.Kind == kindRefresh && t.Revoked {
			if _, live := s.st.Consents[t.ConsentID]; !live {
				delete(s.st.Tokens, h)
			}
		}
	}
	for id, c := range s.st.Consents {
		last, ended := c.Updated, c.Status == Rejected || c.Status == Revoked || c.Status == Expired
		if !now.Before(c.Expires) {
			ended = true
			last = maxTime(last, c.Expires)
		}
		if ended && now.Sub(last) > keepConsents {
			delete(s.st.Consents, id)
		}
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
