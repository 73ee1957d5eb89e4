package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	// The SQLite driver FerretDB itself uses, to add the index below.
	_ "modernc.org/sqlite"

	"github.com/openfinance-tui/openfinance/core/model"
)

// Why this file exists. FerretDB v1.24.2 (SQLite) pushes a filter of
// exactly {_id: value} down to SQL as
//
//	WHERE _ferretdb_sjson->'$._id' = ?
//
// but it indexes _id as _ferretdb_sjson->"_id". SQLite only uses an index
// on an expression that is written the same way, so every "pushed down"
// _id lookup (FindOne by _id, ReplaceByID, an update or delete by _id)
// parsed the JSON of every row of the table: 15 ms per lookup at 10k
// transactions, growing with the collection and with every other user's
// data. An index on the very expression FerretDB queries by turns those
// lookups into index searches (EXPLAIN QUERY PLAN: SEARCH ... USING INDEX).
//
// The index is invisible to FerretDB (it is not in its metadata): it never
// lists or drops it, dropping the collection drops it with the table, and
// nothing depends on it for correctness — without it lookups are only
// slower. It is added when the store opens, for every collection that
// exists by then; Open creates openfinance's collections first so theirs
// always have it.

// idPathIndexSuffix names the added index after its table.
const idPathIndexSuffix = "__id_path"

// createCollections makes sure every collection of openfinance exists, so
// that its table (and so its _id path index) exists from the first open.
func (s *Store) createCollections(ctx context.Context) error {
	have, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("cannot list the collections: %w", err)
	}
	for _, c := range model.Collections() {
		if slices.Contains(have, c) {
			continue
		}
		if err := s.db.CreateCollection(ctx, c); err != nil && !strings.Contains(err.Error(), "already exists") {
			return fmt.Errorf("cannot create the collection %s: %w", c, err)
		}
	}
	return nil
}

// ensureIDPathIndexes adds the _id path index to every table of the
// embedded database file.
func ensureIDPathIndexes(ctx context.Context, dir, dbName string) error {
	path := filepath.Join(dir, dbName+".sqlite")
	// The same pragmas FerretDB opens the file with: WAL, and waiting for
	// its writers instead of failing.
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("cannot open %s: %w", path, err)
	}
	defer db.Close()
	tables, err := ferretTables(ctx, db)
	if err != nil {
		return fmt.Errorf("cannot list the tables of %s: %w", path, err)
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+idPathIndexSuffix, t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("cannot index _id in %s: %w", t, err)
		}
	}
	return nil
}

// ferretTables lists the tables FerretDB keeps collections in.
func ferretTables(ctx context.Context, db *sql.DB) ([]string, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_ferretdb_collections'`).Scan(&n)
	if err != nil || n == 0 {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// IDLookupIndexed reports whether an _id lookup in coll is an index search
// on the embedded engine (always true on MongoDB), for tests and the
// benchmark harness to check the access path they depend on.
func (s *Store) IDLookupIndexed(ctx context.Context, coll string) (bool, error) {
	if s.embedded == nil {
		return true, nil
	}
	path := filepath.Join(s.embeddedDir, s.db.Name()+".sqlite")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return false, err
	}
	defer db.Close()
	var table string
	if err := db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&table); err != nil {
		return false, fmt.Errorf("no table for %s: %w", coll, err)
	}
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), `"x"`)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return false, err
		}
		plan.WriteString(detail)
	}
	return strings.Contains(plan.String(), "USING INDEX "+table+idPathIndexSuffix), rows.Err()
}

// IndexIDPaths adds the _id path index to collections created since the
// store opened (Open indexes those that exist then): for a collection
// dropped and created again, or one a benchmark creates to compare with
// openfinance's own. Nothing on MongoDB.
func (s *Store) IndexIDPaths(ctx context.Context) error {
	if s.embedded == nil {
		return nil
	}
	return ensureIDPathIndexes(ctx, s.embeddedDir, s.db.Name())
}
