package restapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/log/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/secrets"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/storetest"
	"github.com/openfinance-tui/openfinance/mockbank"
	"github.com/openfinance-tui/openfinance/sampledata"
)

// clock is a settable clock for the hub (tests move it past expiries).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// env is one API over a seeded embedded store, served over real HTTP.
type env struct {
	t     *testing.T
	store *store.Store
	box   *secrets.Box
	hub   *hub.Hub
	api   *Server
	http  *httptest.Server
	clock *clock
	logs  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// newEnv seeds the sample data into a fresh store and serves the API.
// dir may be nil (no banks) and cfg's Hub is filled in.
func newEnv(t *testing.T, cfg Config, dir *banks.Directory) *env {
	t.Helper()
	s := storetest.Open(t)
	box, err := secrets.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	a := &app.App{Store: s, Secrets: box, Log: log.NewWithOptions(logs, log.Options{Level: log.DebugLevel})}
	// Real time (ms, as BSON stores it): the emulated banks run on it too.
	ck := &clock{t: time.Now().UTC().Truncate(time.Millisecond)}
	if dir == nil {
		dir = catalogDirectory(t)
	}
	h := hub.New(a, dir, hub.Options{Now: ck.Now})
	if _, err := sampledata.Load(storetest.Ctx(t), s, box, false); err != nil {
		t.Fatalf("seed: %v", err)
	}
	cfg.Hub = h
	api, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(api)
	t.Cleanup(hs.Close)
	return &env{t: t, store: s, box: box, hub: h, api: api, http: hs, clock: ck, logs: logs}
}

// catalogDirectory is the emulated banks' directory with nobody behind
// the URLs: enough for routes that only name banks.
func catalogDirectory(t *testing.T) *banks.Directory {
	var bs []banks.Bank
	for _, i := range mockbank.Catalog() {
		bs = append(bs, i.DirectoryEntry("http://127.0.0.1:9/"+i.ID))
	}
	d, err := banks.NewDirectory(bs)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// answer is a decoded HTTP answer.
type answer struct {
	status int
	header http.Header
	raw    []byte
	json   any
}

func (a answer) obj() map[string]any {
	m, _ := a.json.(map[string]any)
	return m
}

// do sends one request; body is marshalled unless it is a string.
func (e *env) do(method, path, token string, body any, hdr ...string) answer {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, e.http.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 {
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			e.t.Errorf("%s %s: Content-Type %q, want application/json", method, path, ct)
		}
		if err := json.Unmarshal(raw, &a.json); err != nil {
			e.t.Fatalf("%s %s: answer is not JSON: %v\n%s", method, path, err, raw)
		}
	}
	return a
}

// want fails unless the answer has the status and, when detail is given,
// exactly {"detail": detail}.
func (e *env) want(a answer, status int, detail ...string) {
	e.t.Helper()
	if a.status != status {
		e.t.Fatalf("status %d, want %d: %s", a.status, status, a.raw)
	}
	if len(detail) > 0 {
		js, _ := json.Marshal(map[string]string{"detail": detail[0]})
		if !bytes.Equal(bytes.TrimSpace(a.raw), js) {
			e.t.Fatalf("body %s, want %s", a.raw, js)
		}
	}
}

// token gets a token for a user through get-authorization.
func (e *env) token(user string) string {
	e.t.Helper()
	a := e.do("GET", "/api/v1/openfinance/public/get-authorization?user_identifier="+user, "", nil)
	e.want(a, 200)
	tok, _ := a.obj()["BearerToken"].(string)
	if tok == "" {
		e.t.Fatalf("no token for %s: %s", user, a.raw)
	}
	return tok
}

// sample reads one of the embedded sample files as plain JSON (relaxed
// Extended JSON), independently of the store and its decoders.
func sample(t *testing.T, coll string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "sampledata", "data", sampledata.FileName(coll)))
	if err != nil {
		t.Fatal(err)
	}
	var docs []map[string]any
	if err := json.Unmarshal(data, &docs); err != nil {
		t.Fatal(err)
	}
	return docs
}

// oid reads {"$oid": hex} of relaxed Extended JSON.
func oid(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["$oid"].(string)
	return s
}

// userID is a sample user's _id hex.
func userID(t *testing.T, name string) string {
	t.Helper()
	for _, u := range sample(t, "users") {
		if u["UserName"] == name {
			return oid(u["_id"])
		}
	}
	t.Fatalf("no sample user %s", name)
	return ""
}

// docsOf lists a sample user's accounts or products.
func docsOf(t *testing.T, coll, ownerField, user string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, d := range sample(t, coll) {
		if o, _ := d[ownerField].(map[string]any); o["UserName"] == user {
			out = append(out, d)
		}
	}
	return out
}

func ids(docs []map[string]any) []string {
	out := []string{}
	for _, d := range docs {
		out = append(out, oid(d["_id"]))
	}
	return out
}

// sum adds a numeric field over documents (filter may be nil).
func sum(docs []map[string]any, field string, filter func(map[string]any) bool) float64 {
	s := 0.0
	for _, d := range docs {
		if filter == nil || filter(d) {
			v, _ := d[field].(float64)
			s += v
		}
	}
	return s
}

func isDebt(d map[string]any) bool {
	return d["ProductType"] == "Loan" || d["ProductType"] == "Mortgage"
}

func near(a, b float64) bool { return (a-b)*(a-b) < 1e-6 }

// mustOID parses a hex id for direct store writes in tests.
func mustOID(t *testing.T, s string) bson.ObjectID {
	t.Helper()
	id, err := bson.ObjectIDFromHex(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
