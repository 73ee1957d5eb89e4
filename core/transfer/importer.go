package transfer

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/insights/buckets"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/store"
)

// Sealer seals secrets before they are stored (core/secrets.Box).
type Sealer interface {
	Seal(purpose, plaintext string) string
	Hash(purpose, secret string) string
}

// Options tune an import.
type Options struct {
	// Collection overrides the collection named by the file name.
	Collection string
	// Sealer seals plain-text token values; required to import tokens.
	Sealer Sealer
}

// Source is one file to import.
type Source struct {
	Name string // for messages and, without Options.Collection, the collection
	Data []byte
}

// FileResult says what an import did with one file.
type FileResult struct {
	File       string `json:"file"`
	Collection string `json:"collection"`
	Documents  int    `json:"documents"`
	Inserted   int    `json:"inserted"`
	Replaced   int    `json:"replaced"`
	Unchanged  int    `json:"unchanged"`
	Decimals   int    `json:"decimals_converted"`
}

type prepared struct {
	res  FileResult
	docs []bson.D
}

// ReadFiles loads import files from disk.
func ReadFiles(paths []string) ([]Source, error) {
	var out []Source
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, err)
		}
		out = append(out, Source{Name: p, Data: data})
	}
	return out, nil
}

// prepare parses and validates every source without writing anything.
func prepare(srcs []Source, opts Options) ([]prepared, error) {
	var out []prepared
	for _, src := range srcs {
		coll := opts.Collection
		if coll == "" {
			coll = CollectionFromFileName(src.Name)
		}
		if coll == "" {
			return nil, &FileError{File: src.Name, Index: -1, Reason: "cannot tell the collection from the file name; name it <db>.<collection>.json or pass --collection"}
		}
		if !KnownCollection(coll) {
			return nil, &FileError{File: src.Name, Index: -1, Reason: fmt.Sprintf("unknown collection %q", coll)}
		}
		docs, err := Parse(src.Name, src.Data)
		if err != nil {
			return nil, err
		}
		p := prepared{res: FileResult{File: src.Name, Collection: coll, Documents: len(docs)}}
		seen := map[string]int{}
		for _, doc := range docs {
			d, n, err := normalize(doc.D)
			if err != nil {
				return nil, &FileError{File: src.Name, Index: doc.Index, Line: doc.Line, Reason: err.Error()}
			}
			p.res.Decimals += n
			if err := validate(coll, d); err != nil {
				return nil, &FileError{File: src.Name, Index: doc.Index, Line: doc.Line, Reason: err.Error()}
			}
			if coll == model.CollTokens {
				if d, err = sealTokens(d, opts.Sealer); err != nil {
					return nil, &FileError{File: src.Name, Index: doc.Index, Line: doc.Line, Reason: err.Error()}
				}
			}
			d = ensureID(coll, d)
			key := idKey(d)
			if first, dup := seen[key]; dup {
				return nil, &FileError{File: src.Name, Index: doc.Index, Line: doc.Line, Reason: fmt.Sprintf("repeats the _id of document %d", first+1)}
			}
			seen[key] = doc.Index
			p.docs = append(p.docs, d)
		}
		out = append(out, p)
	}
	return out, nil
}

// Import validates all sources, then upserts their documents by _id: new
// documents are bulk-inserted, stored ones replaced only where they differ,
// so importing the same files again changes nothing.
func Import(ctx context.Context, s *store.Store, srcs []Source, opts Options) ([]FileResult, error) {
	plan, err := prepare(srcs, opts)
	if err != nil {
		return nil, err
	}
	var out []FileResult
	for _, p := range plan {
		res, err := write(ctx, s, p)
		out = append(out, res)
		if err != nil {
			return out, fmt.Errorf("%s: %w", p.res.File, err)
		}
	}
	// Transactions that did not come through the sync are in no bucket
	// yet: rebuild their owners' buckets (one scan), or their insights
	// would not see them.
	if users := transactionOwners(plan); len(users) > 0 {
		if err := buckets.Rebuild(ctx, s, users); err != nil {
			return out, fmt.Errorf("the transactions are imported, but their buckets could not be rebuilt: %w", err)
		}
	}
	return out, nil
}

// transactionOwners lists the owners of the imported transactions.
func transactionOwners(plan []prepared) []model.UserRef {
	seen := map[model.UserRef]bool{}
	var out []model.UserRef
	for _, p := range plan {
		if p.res.Collection != model.CollTransactions {
			continue
		}
		for _, d := range p.docs {
			var doc struct {
				User model.UserRef `bson:"TransactionUser"`
			}
			b, err := bson.Marshal(d)
			if err != nil || bson.Unmarshal(b, &doc) != nil || (doc.User.UserName == "" && doc.User.UserId.IsZero()) {
				continue // validated: cannot happen
			}
			if !seen[doc.User] {
				seen[doc.User] = true
				out = append(out, doc.User)
			}
		}
	}
	return out
}

func write(ctx context.Context, s *store.Store, p prepared) (FileResult, error) {
	res := p.res
	anys := make([]any, len(p.docs))
	for i, d := range p.docs {
		anys[i] = d
	}
	wr, dups, err := s.InsertNewDups(ctx, res.Collection, anys)
	res.Inserted = wr.Inserted
	if err != nil {
		return res, err
	}
	if len(dups) == 0 {
		return res, nil
	}
	// Compare the already-stored documents and replace only the changed ones.
	stored := map[string]bson.Raw{}
	for start := 0; start < len(dups); start += 1000 {
		end := min(start+1000, len(dups))
		ids := bson.A{}
		for _, i := range dups[start:end] {
			ids = append(ids, idOf(p.docs[i]))
		}
		raws, err := store.FindAll[bson.Raw](ctx, s, res.Collection, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
		if err != nil {
			return res, err
		}
		for _, r := range raws {
			stored[r.Lookup("_id").String()] = r
		}
	}
	var changed []bson.D
	for _, i := range dups {
		d := p.docs[i]
		b, err := bson.Marshal(d)
		if err != nil {
			return res, fmt.Errorf("document %d: %w", i+1, err)
		}
		if old, ok := stored[bson.Raw(b).Lookup("_id").String()]; ok && bytes.Equal(old, b) {
			res.Unchanged++
			continue
		}
		changed = append(changed, d)
	}
	rr, err := store.ReplaceByID(ctx, s, res.Collection, changed, idOf)
	res.Replaced = rr.Replaced
	res.Inserted += rr.Inserted
	return res, err
}

func idOf(d bson.D) any {
	for _, e := range d {
		if e.Key == "_id" {
			return e.Value
		}
	}
	return nil
}

func idKey(d bson.D) string {
	b, _ := bson.Marshal(bson.D{{Key: "k", Value: idOf(d)}})
	return string(b)
}

// ensureID gives a document without _id a deterministic one derived from
// its content, so importing such a file twice does not duplicate it.
func ensureID(coll string, d bson.D) bson.D {
	if idOf(d) != nil {
		return d
	}
	js, _ := bson.MarshalExtJSON(d, true, false)
	return append(bson.D{{Key: "_id", Value: model.DeterministicID("import", coll, string(js))}}, d...)
}

// sealTokens seals plain-text token values: a token exported by the
// original system must not land in the store in plain text.
func sealTokens(d bson.D, sealer Sealer) (bson.D, error) {
	hasHash := false
	for _, e := range d {
		if e.Key == "TokenHash" {
			hasHash = true
		}
	}
	for i, e := range d {
		if e.Key != "BearerToken" && e.Key != "RefreshToken" {
			continue
		}
		v, ok := e.Value.(string)
		if !ok || v == "" || isSealed(v) {
			continue
		}
		if sealer == nil {
			return nil, fmt.Errorf("%s is in plain text and no key is available to seal it", e.Key)
		}
		purpose := model.CollTokens + "." + e.Key
		d[i].Value = sealer.Seal(purpose, v)
		if e.Key == "BearerToken" && !hasHash {
			d = append(d, bson.E{Key: "TokenHash", Value: sealer.Hash(purpose, v)})
		}
	}
	return d, nil
}

func isSealed(s string) bool { return len(s) > 7 && s[:7] == "enc:v1:" }
