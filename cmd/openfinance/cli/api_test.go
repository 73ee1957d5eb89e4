package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe to read while a command writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func TestAPIServeAnswersAndStopsOnInterrupt(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, dir, "seed"); code != 0 {
		t.Fatalf("seed: %d %s", code, errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedBuffer
	done := make(chan int, 1)
	go func() {
		getenv := func(k string) string {
			if k == "OPENFINANCE_DATA_DIR" {
				return dir
			}
			return ""
		}
		done <- Run(ctx, []string{"api", "serve", "--addr", "127.0.0.1:0", "--origins", "http://localhost:3000"},
			IO{In: strings.NewReader(""), Out: &out, Err: &errb}, Options{Getenv: getenv})
	}()
	re := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(time.Minute); base == "" && time.Now().Before(deadline); {
		select {
		case code := <-done:
			t.Fatalf("api serve exited %d early: %s", code, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
		if m := re.FindStringSubmatch(errb.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("no listening URL on stderr: %q", errb.String())
	}
	get := func(path string) map[string]any {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		return m
	}
	if m := get("/"); m["message"] != "Server is running" {
		t.Fatalf("GET / = %v", m)
	}
	if m := get("/api/v1/openfinance/public/get-authorization?user_identifier=alice"); m["UserName"] != "alice" || m["BearerToken"] == "" {
		t.Fatalf("get-authorization = %v", m)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("api serve exited %d after the interrupt: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "openfinance API stopped") || out.String() != "" {
		t.Fatalf("stdout %q, stderr %q", out.String(), errb.String())
	}
}

func TestAPIServeRefusesBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"api", "serve", "--rate", "-1"}, "--rate must be 0 or more"},
		{[]string{"api", "serve", "--token-ttl", "10s"}, "--token-ttl must be at least 1m"},
		{[]string{"api", "serve", "--addr", "127.0.0.1:notaport"}, "cannot listen on 127.0.0.1:notaport"},
	} {
		code, _, errs := run(t, dir, c.args...)
		if code != 2 || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errs, c.msg)
		}
	}
}
