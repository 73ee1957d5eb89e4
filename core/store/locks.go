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

// writeLock serializes this process's bulk writes to the embedded engine.
// SQLite has one writer at a time; FerretDB gives each client connection
// its own SQLite connection, and a writer that finds the database locked
// sleeps in SQLite's busy handler (1, 2, 5, 10 ... up to 100 ms a try)
// however soon the lock is free. Measured on a sync of four banks at once,
// the bulk writes took half as long again as the same writes one after
// the other; queued here they follow each other at once. Nothing on
// MongoDB.
func (s *Store) writeLock() func() {
	if s.embedded == nil {
		return func() {}
	}
	s.writeMu.Lock()
	return s.writeMu.Unlock
}
