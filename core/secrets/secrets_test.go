package secrets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	t.Setenv(EnvKey, "")
	dir := t.TempDir()
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", fi, err)
	}
	s := b.Seal("tokens.BearerToken", "canary-123")
	if strings.Contains(s, "canary") || !IsSealed(s) {
		t.Fatalf("sealed value leaks: %s", s)
	}
	if s2 := b.Seal("tokens.BearerToken", "canary-123"); s2 != s {
		t.Fatal("sealing is not deterministic: re-imports would not be idempotent")
	}
	if got, err := b.Open("tokens.BearerToken", s); err != nil || got != "canary-123" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := b.Open("tokens.RefreshToken", s); err == nil {
		t.Fatal("a value sealed for one field opened as another")
	}
	b2, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := b2.Open("tokens.BearerToken", s); got != "canary-123" {
		t.Fatal("the key file was not reused")
	}
	other, _ := Load(t.TempDir())
	if _, err := other.Open("tokens.BearerToken", s); err == nil {
		t.Fatal("opened with another key")
	}
}

func TestKeyFromEnvAndBadKeys(t *testing.T) {
	t.Setenv(EnvKey, strings.Repeat("ab", 32))
	if _, err := Load(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvKey, "short")
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), EnvKey) {
		t.Fatalf("bad env key: %v", err)
	}
	t.Setenv(EnvKey, "")
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "secret.key"), []byte(strings.Repeat("ab", 32)), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key file accepted: %v", err)
	}
}
