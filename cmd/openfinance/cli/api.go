package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/hub"
	"github.com/openfinance-tui/openfinance/core/restapi"
)

// apiCmds is the original Open Finance REST API (issue 7).
func (e *env) apiCmds() []*cobra.Command {
	api := &cobra.Command{
		Use:   "api",
		Short: "The original Open Finance REST API",
		Long: "The REST API of MongoDB's Open Finance demo service (the one its web UI, leafy-bank-ui,\n" +
			"calls on port 8003), served over openfinance's store.",
		Args: noArgs,
	}
	api.AddCommand(e.apiServeCmd())
	return []*cobra.Command{api}
}

func (e *env) apiServeCmd() *cobra.Command {
	var (
		addr    string
		demo    bool
		origins []string
		rate    int
		ttl     time.Duration
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the REST API until interrupted",
		Long: "Serve the original service's routes under /api/v1/openfinance/ until interrupted.\n\n" +
			"get-authorization hands out a token only for demo users (with --demo also for users made\n" +
			"by create-user or imported), never for users who linked banks themselves. Tokens expire\n" +
			"after --token-ttl; every client gets --rate requests a minute; browsers may call the API\n" +
			"only from the --origins given.",
		Example: "  openfinance api serve --addr 127.0.0.1:8003 --demo --origins http://localhost:3000",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if e.opts.Identity != "" {
				return e.localOnly()
			}
			if rate < 0 {
				return bad("--rate must be 0 or more requests a minute, not %d", rate)
			}
			if ttl < time.Minute {
				return bad("--token-ttl must be at least 1m, not %s", ttl)
			}
			return e.serveHub(cmd, func(ctx context.Context, h *hub.Hub) error {
				srv, err := restapi.New(restapi.Config{
					Hub: h, Demo: demo, Origins: origins, RatePerMinute: rateOrOff(rate), TokenTTL: ttl,
				})
				if err != nil {
					return err
				}
				bctx, cancel := context.WithTimeout(ctx, stepTimeout)
				_, err = srv.BackfillTokens(bctx)
				cancel()
				if err != nil {
					return fmt.Errorf("cannot prepare the stored API tokens: %w", err)
				}
				ln, err := restapi.Listen(ctx, addr)
				if err != nil {
					return bad("%v", err)
				}
				fmt.Fprintf(e.Err, "openfinance API listening on http://%s (Ctrl+C to stop)\n", ln.Addr())
				err = srv.Serve(ctx, ln)
				fmt.Fprintln(e.Err, "openfinance API stopped")
				return err
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8003", "address to listen on (host:port)")
	f.BoolVar(&demo, "demo", false, "also hand out tokens for users made by create-user or imported")
	f.StringSliceVar(&origins, "origins", nil, "browser origins allowed by CORS, comma-separated (default none)")
	f.IntVar(&rate, "rate", 60, "requests a minute each client may make (0 = no limit)")
	f.DurationVar(&ttl, "token-ttl", 24*time.Hour, "how long an issued API token stays valid")
	return cmd
}

// rateOrOff maps the flag's 0 (no limit) onto the config's "off" value.
func rateOrOff(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
