package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLinkSyncRevokeEraseFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, dir, "seed"); code != 0 {
		t.Fatalf("seed: %s", errs)
	}
	code, out, errs := run(t, dir, "link", "--user", "alice", "--bank", "Albion Bank", "--yes", "--json")
	if code != 0 {
		t.Fatalf("link: exit %d: %s", code, errs)
	}
	var lr struct {
		Status string `json:"status"`
		Sync   []struct {
			State        string `json:"state"`
			Transactions int    `json:"transactions"`
		} `json:"sync"`
	}
	if err := json.Unmarshal([]byte(out), &lr); err != nil || lr.Status != "Authorised" || len(lr.Sync) != 1 ||
		lr.Sync[0].State != "ok" || lr.Sync[0].Transactions == 0 {
		t.Fatalf("link --json: %v\n%s", err, out)
	}
	if !strings.Contains(errs, "Albion Bank asks you to share") {
		t.Fatalf("link did not say what is shared: %s", errs)
	}
	// The consent made by one process is valid in the next (bank state is
	// kept in the data directory).
	code, out, errs = run(t, dir, "sync", "--user", "alice", "--json")
	if code != 0 || !strings.Contains(out, `"state": "ok"`) {
		t.Fatalf("sync: exit %d %s %s", code, out, errs)
	}
	var txs []map[string]any
	_, out, _ = run(t, dir, "transactions", "--user", "alice", "--bank", "albion-bank", "--limit", "3", "--json")
	if err := json.Unmarshal([]byte(out), &txs); err != nil || len(txs) != 3 || txs[0]["TransactionBank"] != "Albion Bank" {
		t.Fatalf("transactions: %v %s", err, out)
	}
	var cs []map[string]any
	_, out, _ = run(t, dir, "consents", "--user", "alice", "--json")
	if err := json.Unmarshal([]byte(out), &cs); err != nil || len(cs) != 1 || cs[0]["Status"] != "Authorised" {
		t.Fatalf("consents: %v %s", err, out)
	}
	code, _, errs = run(t, dir, "revoke", "--user", "alice", "--bank", "albion-bank")
	if code != 2 || !strings.Contains(errs, "pass --yes") || !strings.Contains(errs, "transactions") {
		t.Fatalf("revoke without --yes off a terminal: exit %d %s", code, errs)
	}
	code, out, errs = run(t, dir, "revoke", "--user", "alice", "--bank", "albion-bank", "--yes", "--json")
	if code != 0 || !strings.Contains(out, `"consents_revoked": 1`) {
		t.Fatalf("revoke: exit %d %s %s", code, out, errs)
	}
	_, out, _ = run(t, dir, "audit", "--user", "alice", "--json")
	for _, action := range []string{"consent.granted", "sync.finished", "consent.revoked"} {
		if !strings.Contains(out, action) {
			t.Fatalf("audit has no %s: %s", action, out)
		}
	}
	if code, _, errs = run(t, dir, "erase", "--user", "alice"); code != 2 || !strings.Contains(errs, "pass --yes") {
		t.Fatalf("erase without --yes: exit %d %s", code, errs)
	}
	if code, _, errs = run(t, dir, "erase", "--user", "alice", "--yes"); code != 0 {
		t.Fatalf("erase: exit %d %s", code, errs)
	}
	code, out, _ = run(t, dir, "transactions", "--user", "alice", "--json")
	if code != 2 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("transactions after erase: exit %d %q", code, out)
	}
}

func TestLinkingCommandsRefuseBadInput(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, "seed")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"link", "--user", "bob", "--bank", "green-bank"}, "pass --yes"},
		{[]string{"link", "--user", "bob", "--yes"}, "--bank is required"},
		{[]string{"link", "--user", "bob", "--bank", "nobank", "--yes"}, "unknown bank"},
		{[]string{"link", "--user", "bob", "--bank", "rhein-bank", "--yes", "--permissions", "ReadEverything"}, "does not offer the permission"},
		{[]string{"link", "--user", "bob", "--bank", "green-bank", "--bank-user", "bob", "--bank-password", "nope"}, "did not accept the user name or password"},
		{[]string{"link", "--user", "bob", "--bank", "green-bank", "--yes", "--days", "400"}, "between 1 and 365"},
		{[]string{"sync", "--user", "bob", "--bank", "albion-bank"}, "has not linked Albion Bank"},
		{[]string{"transactions", "--user", "bob", "--month", "March"}, "YYYY-MM"},
		{[]string{"revoke", "--user", "bob", "--bank", "green-bank", "--yes"}, "no consent at Green Bank"},
	} {
		code, _, errs := run(t, dir, c.args...)
		if code != 2 || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errs, c.msg)
		}
	}
}
