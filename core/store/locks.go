package store

import "sync"

// keyedLocks are mutexes by name, created on first use.
type keyedLocks struct {
	mu sync.Mutex
	m  map[string]*sync.Mutex
}

// Lock serializes, within this process, the work that callers name alike
// (for example building one user's derived documents): writers racing to
// create the same documents make the embedded engine answer duplicate keys
// and, under enough contention, stall. It returns the unlock function.
func (s *Store) Lock(name string) func() {
	s.locks.mu.Lock()
	if s.locks.m == nil {
		s.locks.m = map[string]*sync.Mutex{}
	}
	l := s.locks.m[name]
	if l == nil {
		l = &sync.Mutex{}
		s.locks.m[name] = l
	}
	s.locks.mu.Unlock()
	l.Lock()
	return l.Unlock
}
