package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/mockbank"
)

// withHub runs fn with an opened App, the emulated banks started in-process
// (their consents and tokens kept in the data directory, so a link made by
// one command is still valid for the next), and a Hub over both; fn's
// context has a deadline. Embedded in a server (Options.Hub set), the
// server's hub is used.
func (e *env) withHub(cmd *cobra.Command, fn func(ctx context.Context, h *hub.Hub) error) error {
	return e.openHub(cmd, stepTimeout, fn)
}

// serveHub is withHub for commands that run until interrupted.
func (e *env) serveHub(cmd *cobra.Command, fn func(ctx context.Context, h *hub.Hub) error) error {
	return e.openHub(cmd, 0, fn)
}

func (e *env) openHub(cmd *cobra.Command, timeout time.Duration, fn func(ctx context.Context, h *hub.Hub) error) error {
	if e.opts.Hub != nil {
		ctx, cancel := cmd.Context(), context.CancelFunc(func() {})
		if timeout > 0 {
			ctx, cancel = context.WithTimeout(ctx, timeout)
		}
		defer cancel()
		return fn(ctx, e.opts.Hub)
	}
	return e.openApp(cmd, timeout, func(ctx context.Context, a *app.App) error {
		h, stop, err := StartHub(ctx, a, e.opts.Getenv)
		if err != nil {
			return err
		}
		defer stop()
		return fn(ctx, h)
	})
}

// StartHub starts the emulated banks for an opened App and builds the Hub.
// stop shuts the banks down. getenv reads OPENFINANCE_MOCKBANK_FAULTS.
func StartHub(ctx context.Context, a *app.App, getenv func(string) string) (h *hub.Hub, stop func(), err error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if a.Attached() && a.Runtime.BanksURL != "" {
		// The process holding the data directory serves the banks (and
		// owns their state files): use them.
		return hub.New(a, remoteBanks(a.Runtime.BanksURL), hub.Options{}), func() {}, nil
	}
	stateDir, err := a.Dir.Sub("banks")
	if err != nil {
		return nil, nil, err
	}
	faults, err := mockbank.ParseFaults(getenv("OPENFINANCE_MOCKBANK_FAULTS"))
	if err != nil {
		return nil, nil, badInput{fmt.Errorf("OPENFINANCE_MOCKBANK_FAULTS: %w", err)}
	}
	srv, err := mockbank.Start(ctx, "127.0.0.1:0", mockbank.Options{
		StateDir: stateDir,
		Faults:   faults,
		Logger:   a.Log.WithPrefix("mockbank"),
	})
	if err != nil {
		return nil, nil, err
	}
	stop = func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Close(cctx)
	}
	a.PublishBanks(srv.URL())
	return hub.New(a, srv.Directory(), hub.Options{}), stop, nil
}

// remoteBanks is the directory of emulated banks served by another process
// at root.
func remoteBanks(root string) *banks.Directory {
	var bs []banks.Bank
	for _, i := range mockbank.Catalog() {
		bs = append(bs, i.DirectoryEntry(strings.TrimSuffix(root, "/")+"/"+i.ID))
	}
	d, _ := banks.NewDirectory(bs) // the catalog's ids and names are unique
	return d
}

// bankFlag normalises a --bank value for messages.
func bankFlag(s string) string { return strings.TrimSpace(s) }

// bankName turns a --bank value (a bank id such as green-bank, or its name
// in any case) into the name stored in AccountBank/ProductBank; names the
// emulated banks do not know (imported from another system) pass unchanged.
func bankName(s string) string {
	s = bankFlag(s)
	for _, i := range mockbank.Catalog() {
		if strings.EqualFold(s, i.ID) || strings.EqualFold(s, i.Name) {
			return i.Name
		}
	}
	return s
}
