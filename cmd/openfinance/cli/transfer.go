package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/openfinance-tui/openfinance/core/app"
	"github.com/openfinance-tui/openfinance/core/transfer"
	"github.com/openfinance-tui/openfinance/sampledata"
)

func (e *env) seedCmd() *cobra.Command {
	var reset bool
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Load the demo users, accounts and products",
		Long: "seed loads the embedded demo data (mongoexport files of the open_finance collections).\n" +
			"It is idempotent: running it twice leaves the same documents.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.localOnly(); err != nil {
				return err
			}
			return e.withApp(cmd, func(ctx context.Context, a *app.App) error {
				res, err := sampledata.Load(ctx, a.Store, a.Secrets, reset)
				report(e, res)
				if err != nil {
					return fmt.Errorf("seeding stopped: %w (run it again: it is safe to repeat)", err)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&reset, "reset", false, "empty every openfinance collection first")
	return cmd
}

func (e *env) importCmd() *cobra.Command {
	var coll string
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import mongoexport files (JSON array or one document per line)",
		Long: "import reads files written by mongoexport (relaxed or canonical Extended JSON).\n" +
			"The collection comes from --collection or the file name <db>.<collection>.json.\n" +
			"Every file is checked before anything is written; documents are upserted by _id,\n" +
			"so importing the same file again changes nothing.",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return bad("import needs at least one file")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := e.localOnly(); err != nil {
				return err
			}
			srcs, err := transfer.ReadFiles(args)
			if err != nil {
				return badInput{err}
			}
			return e.withApp(cmd, func(ctx context.Context, a *app.App) error {
				res, err := transfer.Import(ctx, a.Store, srcs, transfer.Options{Collection: coll, Sealer: a.Secrets})
				report(e, res)
				return err
			})
		},
	}
	cmd.Flags().StringVarP(&coll, "collection", "c", "", "target collection (default: from the file name)")
	return cmd
}

func report(e *env, res []transfer.FileResult) {
	for _, r := range res {
		fmt.Fprintf(e.Err, "%s → %s: %d documents (%d new, %d updated, %d unchanged)",
			filepath.Base(r.File), r.Collection, r.Documents, r.Inserted, r.Replaced, r.Unchanged)
		if r.Decimals > 0 {
			fmt.Fprintf(e.Err, "; %d decimals stored as doubles", r.Decimals)
		}
		fmt.Fprintln(e.Err)
	}
}

func (e *env) exportCmd() *cobra.Command {
	var coll, out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export a collection as mongoexport --jsonArray does",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.localOnly(); err != nil {
				return err
			}
			if coll == "" {
				return bad("--collection is required")
			}
			if !transfer.KnownCollection(coll) {
				return bad("unknown collection %q", coll)
			}
			return e.withApp(cmd, func(ctx context.Context, a *app.App) error {
				var buf bytes.Buffer
				n, err := transfer.Export(ctx, a.Store, coll, &buf)
				if err != nil {
					return err
				}
				if out == "" || out == "-" {
					_, err = e.Out.Write(buf.Bytes())
					return err
				}
				// Write whole or not at all: a half-written export is worse than none.
				tmp := out + ".tmp"
				if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
					return fmt.Errorf("cannot write %s: %w", out, err)
				}
				if err := os.Rename(tmp, out); err != nil {
					return fmt.Errorf("cannot write %s: %w", out, err)
				}
				fmt.Fprintf(e.Err, "%s: %d documents → %s\n", coll, n, out)
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&coll, "collection", "c", "", "collection to export")
	cmd.Flags().StringVarP(&out, "out", "o", "", "output file (default stdout)")
	return cmd
}
