// Package datadir finds and locks openfinance's data directory.
//
// The directory holds the embedded database, the secret key file and the
// state of the emulated banks. Only one process may use it at a time: the
// embedded SQLite files and the banks' state files are not safe for two
// writers, so a second process gets a clear error instead of a corrupted store.
package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/adrg/xdg"
)

// EnvDataDir overrides the default data directory.
const EnvDataDir = "OPENFINANCE_DATA_DIR"

// ErrLocked is returned when another process holds the data directory.
var ErrLocked = errors.New("data directory is in use by another openfinance process")

// Default returns the data directory: $OPENFINANCE_DATA_DIR, else
// $XDG_DATA_HOME/openfinance.
func Default() string {
	if d := os.Getenv(EnvDataDir); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "openfinance")
	}
	return filepath.Join(xdg.DataHome, "openfinance")
}

// Dir is a locked data directory.
type Dir struct {
	Path     string
	lock     *os.File
	attached bool // held by another process (see Attach)
}

// Open creates path (0700) if needed and takes its lock.
func Open(path string) (*Dir, error) {
	if path == "" {
		path = Default()
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cannot resolve data directory %q: %w", path, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create data directory %s: %w", abs, err)
	}
	lockPath := filepath.Join(abs, "openfinance.lock")
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open lock file %s: %w", lockPath, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := readPID(f)
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s, pid %s): stop it, or pass --data-dir to use another directory", ErrLocked, abs, holder)
		}
		return nil, fmt.Errorf("cannot lock data directory %s: %w", abs, err)
	}
	// The pid is only a hint for the error message above; the flock is the lock.
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &Dir{Path: abs, lock: f}, nil
}

// Sub returns a sub-directory of the data directory, created with mode 0700.
func (d *Dir) Sub(name string) (string, error) {
	p := filepath.Join(d.Path, name)
	if err := os.MkdirAll(p, 0o700); err != nil {
		return "", fmt.Errorf("cannot create %s: %w", p, err)
	}
	return p, nil
}

// Close releases the lock.
func (d *Dir) Close() error {
	if d == nil || d.lock == nil {
		return nil
	}
	d.removeRuntime()
	_ = syscall.Flock(int(d.lock.Fd()), syscall.LOCK_UN)
	err := d.lock.Close()
	d.lock = nil
	return err
}

func readPID(f *os.File) string {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	s := strings.TrimSpace(string(buf[:n]))
	if s == "" {
		return "unknown"
	}
	return s
}
