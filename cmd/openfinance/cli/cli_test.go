package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/openfinance-tui/openfinance/core/datadir"
)

// run executes one command line in-process against dataDir.
func run(t *testing.T, dataDir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	getenv := func(k string) string {
		if k == "OPENFINANCE_DATA_DIR" {
			return dataDir
		}
		return ""
	}
	code = Run(ctx, args, IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Options{Getenv: getenv})
	return code, out.String(), errb.String()
}

func TestSeedPositionAndExitCodes(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, dir, "seed"); code != 0 {
		t.Fatalf("seed: %d %s", code, errs)
	}
	code, out, _ := run(t, dir, "position", "--user", "alice", "--json")
	if code != 0 {
		t.Fatalf("position: %d", code)
	}
	var p struct {
		User         string  `json:"user"`
		TotalBalance float64 `json:"total_balance"`
		TotalDebt    float64 `json:"total_debt"`
		ByBank       []struct {
			Bank string `json:"bank"`
		} `json:"by_bank"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("position --json is not JSON: %v\n%s", err, out)
	}
	// alice in mockbank/demo: 4210.55 + 18250.00 + 1375.20; 12400 + 286000.
	if p.User != "alice" || p.TotalBalance != 23835.75 || p.TotalDebt != 298400 || len(p.ByBank) != 2 {
		t.Fatalf("position: %+v", p)
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"position", "--user", "nosuchuser"}, 2, "unknown user nosuchuser"},
		{[]string{"position"}, 2, "--user is required"},
		{[]string{"position", "--user", "alice", "--currency", "dollars"}, 2, "three-letter"},
		{[]string{"accounts", "--bogus"}, 2, "unknown flag"},
		{[]string{"nosuchcommand"}, 2, "unknown command"},
		{[]string{"export"}, 2, "--collection is required"},
		{[]string{"import", "/nonexistent/open_finance.tokens.json"}, 2, "cannot read"},
	} {
		code, _, errs := run(t, dir, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.msg)
		}
		if strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic") {
			t.Errorf("%v: stack trace on stderr", c.args)
		}
	}
}

func TestUsersJSONIsExtendedJSON(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, "seed")
	_, out, _ := run(t, dir, "users", "--json")
	var users []map[string]any
	if err := json.Unmarshal([]byte(out), &users); err != nil || len(users) < 4 {
		t.Fatalf("users --json: %v %s", err, out)
	}
	if _, ok := users[0]["_id"].(map[string]any)["$oid"]; !ok || users[0]["UserName"] == nil {
		t.Fatalf("not relaxed Extended JSON with the stored field names: %v", users[0])
	}
}

func TestIdentityMayNotNameAnotherUser(t *testing.T) {
	e := &env{opts: Options{Identity: "alice"}}
	if _, err := e.user(context.Background(), nil, "bob"); err == nil || exitCode(err) != 2 {
		t.Fatalf("naming another user: %v", err)
	}
}

func TestSecondProcessOnTheDataDirGetsAClearError(t *testing.T) {
	dir := t.TempDir()
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	code, _, errs := run(t, dir, "users")
	if code != 1 || !strings.Contains(errs, "in use by another openfinance process") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}
