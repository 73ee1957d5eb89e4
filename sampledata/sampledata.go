// Package sampledata embeds openfinance's demo data and loads it.
//
// The files are mongoexport --jsonArray output (relaxed Extended JSON) named
// open_finance.<collection>.json, the same format `openfinance import` takes,
// and they are loaded through that same import path.
package sampledata

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
	"github.com/openfinance-tui/openfinance/core/transfer"
)

//go:embed data/*.json
var files embed.FS

// Files returns the embedded sample files, sorted by name.
func Files() ([]transfer.Source, error) {
	entries, err := fs.ReadDir(files, "data")
	if err != nil {
		return nil, err
	}
	var out []transfer.Source
	for _, e := range entries {
		data, err := files.ReadFile("data/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, transfer.Source{Name: e.Name(), Data: data})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Collections are the collections a reset empties: all of openfinance's.
func Collections() []string {
	return []string{
		model.CollTokens, model.CollAccounts, model.CollProducts, model.CollUsers, model.CollFXRates,
		model.CollTransactions, model.CollTxMonths, model.CollConsents, model.CollAudit, model.CollInsights,
	}
}

// Load imports the sample data. With reset, every openfinance collection is
// emptied first. Loading twice leaves the same documents.
func Load(ctx context.Context, s *store.Store, sealer transfer.Sealer, reset bool) ([]transfer.FileResult, error) {
	if reset {
		for _, c := range Collections() {
			if _, err := s.C(c).DeleteMany(ctx, struct{}{}); err != nil {
				return nil, fmt.Errorf("cannot empty %s: %w", c, err)
			}
		}
	}
	srcs, err := Files()
	if err != nil {
		return nil, fmt.Errorf("cannot read the embedded sample data: %w", err)
	}
	return transfer.Import(ctx, s, srcs, transfer.Options{Sealer: sealer})
}
