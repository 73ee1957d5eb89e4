package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad flags of the bench are refused with exit 2 and a sentence naming
// the problem, before anything starts.
func TestBenchFlagValidation(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep"), []byte("real data"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"bench", "--preset", "huge"}, `--preset must be one of small, medium, large, not "huge"`},
		{[]string{"bench", "--customers", "-1"}, "--customers must not be negative"},
		{[]string{"bench", "--accounts", "-2"}, "--accounts must not be negative"},
		{[]string{"bench", "--transactions", "-5"}, "--transactions must not be negative"},
		{[]string{"bench", "--months", "-1"}, "--months must not be negative"},
		{[]string{"bench", "--sessions", "-1"}, "--sessions must not be negative"},
		{[]string{"bench", "--sessions", "0"}, "--sessions must be between 1 and 1000"},
		{[]string{"bench", "--months", "500", "--customers", "1"}, "months of history must be between 1 and 120"},
		{[]string{"bench", "--accounts", "21", "--customers", "1"}, "accounts per customer must be between 1 and 20"},
		{[]string{"bench", "--data-dir", full}, "is not empty"},
		{[]string{"bench", "extra"}, ""},
	} {
		code, out, errs := run(t, t.TempDir(), c.args...)
		if code != 2 || !strings.Contains(errs, c.msg) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, code, out, errs, c.msg)
		}
	}
	if b, err := os.ReadFile(filepath.Join(full, "keep")); err != nil || string(b) != "real data" {
		t.Errorf("the non-empty data dir was touched: %q %v", b, err)
	}
}
