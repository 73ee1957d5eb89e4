package datadir

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// runtimeFile names the file in which the process holding the lock says how
// to reach what it runs, so that a second process can attach to it instead
// of being turned away.
const runtimeFile = "runtime.json"

// Runtime is what the lock holder publishes: its pid, the loopback URI of
// its embedded database (empty when it uses an external MongoDB) and the
// root URL of its emulated banks (empty when it runs none).
type Runtime struct {
	PID      int    `json:"pid"`
	MongoURI string `json:"mongodb_uri,omitempty"`
	BanksURL string `json:"banks_url,omitempty"`
}

// WriteRuntime publishes rt (atomically, mode 0600). Only the lock holder
// may call it.
func (d *Dir) WriteRuntime(rt Runtime) error {
	if d == nil || d.lock == nil {
		return errors.New("only the process holding the data directory publishes its runtime")
	}
	rt.PID = os.Getpid()
	data, err := json.Marshal(rt)
	if err != nil {
		return err
	}
	p := filepath.Join(d.Path, runtimeFile)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("cannot write %s: %w", p, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("cannot write %s: %w", p, err)
	}
	return nil
}

// Attach returns the data directory held by another process, unlocked, and
// what that process published. It waits briefly for a holder that has just
// started and not yet published, then gives up with ErrLocked's message.
func Attach(path string, wait time.Duration) (*Dir, Runtime, error) {
	if path == "" {
		path = Default()
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, Runtime{}, fmt.Errorf("cannot resolve data directory %q: %w", path, err)
	}
	deadline := time.Now().Add(wait)
	for {
		data, err := os.ReadFile(filepath.Join(abs, runtimeFile))
		if err == nil {
			var rt Runtime
			if jerr := json.Unmarshal(data, &rt); jerr == nil && rt.PID > 0 {
				return &Dir{Path: abs, attached: true}, rt, nil
			}
		}
		if time.Now().After(deadline) {
			return nil, Runtime{}, fmt.Errorf("%w (%s) and it publishes no address to share it: stop it, or pass --data-dir to use another directory", ErrLocked, abs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Attached reports whether the directory belongs to another process that
// this one only talks to.
func (d *Dir) Attached() bool { return d != nil && d.attached }

func (d *Dir) removeRuntime() {
	_ = os.Remove(filepath.Join(d.Path, runtimeFile))
}
