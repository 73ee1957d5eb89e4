package sshserver_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	gossh "golang.org/x/crypto/ssh"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/tui/sshserver"
)

// BenchmarkSessionMemory measures the server's heap per open TUI session:
// 50 OpenSSH clients (separate processes, each on its own 120×40 pty, so
// only the server's memory is counted) stay connected to the real TUI,
// once as new users with nothing linked ("idle") and once as users who
// linked Green Bank (accounts, loans, 12 months of transactions). Issue 8's
// budget is 10 MB per idle session.
//
//	go test -run '^$' -bench SessionMemory ./tui/sshserver/
func BenchmarkSessionMemory(b *testing.B) {
	sshBin, err := exec.LookPath("ssh")
	if err != nil {
		b.Skip("no OpenSSH client")
	}
	n := 50
	if v, err := strconv.Atoi(os.Getenv("SSHSERVER_BENCH_SESSIONS")); err == nil && v > 0 {
		n = v
	}
	for _, linked := range []bool{false, true} {
		name := map[bool]string{false: "idle", true: "linked"}[linked]
		b.Run(name, func(b *testing.B) {
			for range b.N {
				measureSessions(b, sshBin, n, linked)
			}
		})
	}
}

// linkedUsers is how many users the linked run links.
const linkedUsers = 10

func measureSessions(b *testing.B, sshBin string, n int, linked bool) {
	e := startEnv(b, sshserver.Config{Model: realTUI, MaxSessions: 2 * n})
	defer e.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := e.hub.SeedIfEmpty(ctx); err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	dir := b.TempDir()
	// Linking costs a full scan of a growing collection on the embedded
	// engine (link i takes about i/4 s), so the linked run shares
	// linkedUsers users among its sessions: every session still loads and
	// holds its own copy of its user's data.
	users := n
	if linked {
		users = min(n, linkedUsers)
	}
	keys := make([]string, users)
	for i := range keys {
		k, path := writeClientKey(b, dir, i)
		keys[i] = path
		if !linked {
			continue
		}
		u, err := e.hub.EnsureSSHUser(ctx, hub.SSHIdentityOf(k.PublicKey().Marshal()))
		if err != nil {
			b.Fatal(err)
		}
		if code := cliCommand(e.app, e.hub)(ctx, []string{"link", "--bank", "green-bank", "--yes"},
			sshserver.IO{In: strings.NewReader(""), Out: devNull{}, Err: devNull{}}, u); code != 0 {
			b.Fatalf("link for user %d: exit %d", i, code)
		}
	}
	b.Logf("setup (linked=%v): %s", linked, time.Since(t0))
	t0 = time.Now()
	// The clients' screens live in this process: made before the first
	// reading (their buffers have a fixed size), they are not counted.
	screens := make([]*vt.Emulator, n)
	for i := range screens {
		screens[i] = vt.NewEmulator(benchSize())
	}
	before := heapInUse()
	host, port, _ := strings.Cut(e.addr, ":")
	want := "Net worth"
	if !linked {
		want = "openfinance"
	}
	// One after another, as people arrive: 50 first loads at once queue
	// behind each other on the embedded engine past the TUI's timeout.
	clients := make([]*sshClient, n)
	for i := range clients {
		clients[i] = startSSH(b, sshBin, host, port, keys[i%len(keys)], screens[i])
		clients[i].waitFor(b, want, i)
	}
	b.Logf("%d sessions up: %s", n, time.Since(t0))
	after := settledHeap()
	if p := os.Getenv("SSHSERVER_HEAP_PROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			_ = pprof.WriteHeapProfile(f)
			_ = f.Close()
		}
	}
	if got := e.srv.Sessions(); got != n {
		b.Fatalf("%d sessions open, want %d", got, n)
	}
	per := float64(after-before) / float64(n)
	b.ReportMetric(per/(1<<20), "MB/session")
	b.ReportMetric(float64(after-before)/(1<<20), fmt.Sprintf("MB/%d-sessions", n))
	for _, c := range clients {
		c.close()
	}
}

// settledHeap waits for the sessions' first loads (database scans still
// decoding documents) to finish: until two readings a second apart differ
// by less than 2% (for at most a minute); then it returns the least of
// five more readings, as work still in flight only adds to the heap.
func settledHeap() uint64 {
	prev := heapInUse()
	for range 60 {
		time.Sleep(time.Second)
		h := heapInUse()
		if d := float64(h) - float64(prev); d < 0.02*float64(prev) && -d < 0.02*float64(prev) {
			break
		}
		prev = h
	}
	least := prev
	for range 5 {
		time.Sleep(time.Second)
		least = min(least, heapInUse())
	}
	return least
}

func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

type devNull struct{}

func (devNull) Write(p []byte) (int, error) { return len(p), nil }

func writeClientKey(tb testing.TB, dir string, i int) (gossh.Signer, string) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	k, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		tb.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		tb.Fatal(err)
	}
	path := fmt.Sprintf("%s/key%d", dir, i)
	writeFile(tb, path, string(pem.EncodeToMemory(block)))
	return k, path
}

// benchSize is the clients' terminal: 120×40, or with
// SSHSERVER_BENCH_MAX_PTY set the largest size the server keeps (300×100).
func benchSize() (cols, rows int) {
	if os.Getenv("SSHSERVER_BENCH_MAX_PTY") != "" {
		return 300, 100
	}
	return 120, 40
}

// sshClient is an OpenSSH client on its own pty.
type sshClient struct {
	cmd    *exec.Cmd
	exited chan error
	bytes  int
	raw    []byte
	ptmx   *os.File
	mu     sync.Mutex
	emu    *vt.Emulator
}

func startSSH(tb testing.TB, bin, host, port, key string, screen *vt.Emulator) *sshClient {
	cmd := exec.Command(bin, "-tt", "-p", port, "-i", key, "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", host)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	cols, rows := benchSize()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: uint16(rows), Cols: uint16(cols)})
	if err != nil {
		tb.Fatal(err)
	}
	c := &sshClient{cmd: cmd, ptmx: ptmx, emu: screen, exited: make(chan error, 1)}
	go func() { c.exited <- cmd.Wait() }()
	go func() { // the terminal's answers to the program's queries
		buf := make([]byte, 4096)
		for {
			n, err := c.emu.Read(buf)
			if err != nil {
				return
			}
			_, _ = ptmx.Write(buf[:n])
		}
	}()
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := ptmx.Read(buf)
			if err != nil {
				return
			}
			c.mu.Lock()
			c.bytes += n
			if len(c.raw) < 8192 {
				c.raw = append(c.raw, buf[:n]...)
			}
			_, _ = c.emu.Write(buf[:n])
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *sshClient) waitFor(tb testing.TB, text string, i int) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		c.mu.Lock()
		s := c.emu.String()
		c.mu.Unlock()
		if strings.Contains(s, text) {
			return
		}
		if time.Now().After(deadline) {
			state := "running"
			select {
			case err := <-c.exited:
				state = fmt.Sprintf("exited: %v", err)
			default:
			}
			c.mu.Lock()
			n, raw := c.bytes, string(c.raw)
			c.mu.Unlock()
			tb.Fatalf("client %d (%s, %d bytes received) never showed %q:\n%s\nraw: %q", i, state, n, text, s, raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *sshClient) close() {
	_ = c.cmd.Process.Kill()
	<-c.exited
	_ = c.ptmx.Close()
	_ = c.emu.InputPipe().(interface{ Close() error }).Close()
}
