package transfer

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/store"
)

// Export writes a collection as mongoexport --jsonArray does (relaxed
// Extended JSON, one document per line), sorted by _id so two exports of the
// same data are byte-identical. Token values stay sealed.
func Export(ctx context.Context, s *store.Store, coll string, w io.Writer) (int, error) {
	cur, err := s.C(coll).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return 0, fmt.Errorf("cannot read %s: %w", coll, err)
	}
	defer cur.Close(ctx)
	bw := bufio.NewWriter(w)
	n := 0
	if _, err := bw.WriteString("["); err != nil {
		return 0, err
	}
	for cur.Next(ctx) {
		js, err := bson.MarshalExtJSON(cur.Current, false, false)
		if err != nil {
			return n, fmt.Errorf("cannot encode a document of %s: %w", coll, err)
		}
		sep := ",\n"
		if n == 0 {
			sep = "\n"
		}
		if _, err := bw.WriteString(sep); err != nil {
			return n, err
		}
		if _, err := bw.Write(js); err != nil {
			return n, err
		}
		n++
	}
	if err := cur.Err(); err != nil {
		return n, fmt.Errorf("cannot read %s: %w", coll, err)
	}
	if _, err := bw.WriteString("\n]\n"); err != nil {
		return n, err
	}
	return n, bw.Flush()
}
