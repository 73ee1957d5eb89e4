package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBanksJSONListsEveryBank(t *testing.T) {
	code, out, errs := run(t, t.TempDir(), "banks", "--json")
	if code != 0 {
		t.Fatalf("banks --json: %d %s", code, errs)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 4 {
		t.Fatalf("banks --json: %v\n%s", err, out)
	}
	for _, b := range list {
		var keys []string
		for k := range b {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"api_style", "color", "currency", "description", "id", "name"}) {
			t.Fatalf("keys %v", keys)
		}
	}
	code, out, _ = run(t, t.TempDir(), "banks")
	if code != 0 || !strings.Contains(out, "Rheinbank") || !strings.Contains(out, "Berlin Group") {
		t.Fatalf("banks: %d\n%s", code, out)
	}
}

func TestMockbankServeRunsOnItsOwn(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		// No data directory is given: serve must not need one.
		code := Run(ctx, []string{"mockbank", "serve", "--addr", "127.0.0.1:0", "--fault", "green-bank:fail_page=3", "--customers", "2"},
			IO{In: strings.NewReader(""), Out: pw, Err: io.Discard}, Options{Getenv: func(string) string { return "" }})
		pw.Close()
		done <- code
	}()
	sc := bufio.NewScanner(pr)
	var urls []string
	for len(urls) < 4 && sc.Scan() {
		f := strings.Fields(sc.Text())
		urls = append(urls, f[len(f)-1])
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if len(urls) != 4 {
		t.Fatalf("base URLs: %v", urls)
	}
	for _, u := range urls {
		resp, err := http.Get(u + "/.well-known/oauth-authorization-server")
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Issuer  string   `json:"issuer"`
			Methods []string `json:"code_challenge_methods_supported"`
		}
		err = json.NewDecoder(resp.Body).Decode(&m)
		resp.Body.Close()
		if err != nil || m.Issuer != u || !slices.Equal(m.Methods, []string{"S256"}) {
			t.Fatalf("%s: %+v %v", u, m, err)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit code %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
	for _, bad := range [][]string{
		{"mockbank", "serve", "--fault", "nobank:latency=1s"},
		{"mockbank", "serve", "--customers", "-3"},
	} {
		if code, _, _ := run(t, t.TempDir(), bad...); code != 2 {
			t.Errorf("%v: exit code %d, want 2", bad, code)
		}
	}
}
