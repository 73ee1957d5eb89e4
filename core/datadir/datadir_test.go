package datadir

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestSecondOpenIsRefusedUntilClosed(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) || !strings.Contains(err.Error(), "--data-dir") {
		t.Fatalf("second open: %v", err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d2, err := Open(dir)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	_ = d2.Close()
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm()&0o077 != 0 && fi.Mode().Perm() != 0o700 {
		// t.TempDir is created by the test framework; only new dirs are 0700.
		t.Logf("temp dir mode %v", fi.Mode().Perm())
	}
}

func TestDefaultFollowsEnvironment(t *testing.T) {
	t.Setenv(EnvDataDir, "/x/y")
	if Default() != "/x/y" {
		t.Fatal(Default())
	}
	t.Setenv(EnvDataDir, "")
	t.Setenv("XDG_DATA_HOME", "/data")
	if Default() != "/data/openfinance" {
		t.Fatal(Default())
	}
}
