package restapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// DocJSON renders a stored document the way the original service did
// (Python's json.dumps with its MyJSONEncoder over pymongo documents), not as
// Extended JSON: ObjectIds become their hex string, dates an ISO-8601 string
// of the naive UTC datetime pymongo returns ("2019-03-14T00:00:00", with
// ".ffffff" only when there are fractional seconds), numbers plain numbers.
// Field order is kept.
func DocJSON(d bson.D) (json.RawMessage, error) {
	var b bytes.Buffer
	if err := writeDoc(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// DocsJSON renders documents as a JSON array (never null).
func DocsJSON(docs []bson.D) (json.RawMessage, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, d := range docs {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeDoc(&b, d); err != nil {
			return nil, err
		}
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}

// PyISOTime formats t as Python's datetime.isoformat() does for the naive
// UTC datetimes pymongo decodes.
func PyISOTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02T15:04:05")
	}
	return t.Format("2006-01-02T15:04:05.000000")
}

func writeDoc(b *bytes.Buffer, d bson.D) error {
	b.WriteByte('{')
	for i, e := range d {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, e.Key)
		b.WriteByte(':')
		if err := writeValue(b, e.Value); err != nil {
			return fmt.Errorf("field %s: %w", e.Key, err)
		}
	}
	b.WriteByte('}')
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	js, _ := json.Marshal(s) // a string always marshals
	b.Write(js)
}

func writeFloat(b *bytes.Buffer, f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		b.WriteString("null") // JSON has no NaN or Infinity
		return
	}
	js, _ := json.Marshal(f)
	b.Write(js)
}

func writeValue(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil, bson.Null, bson.Undefined:
		b.WriteString("null")
	case bson.D:
		return writeDoc(b, x)
	case bson.M:
		return writeDoc(b, mToD(x))
	case bson.A:
		return writeArray(b, []any(x))
	case []any:
		return writeArray(b, x)
	case string:
		writeString(b, x)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int32:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		writeFloat(b, x)
	case bson.Decimal128:
		f, err := strconv.ParseFloat(x.String(), 64)
		if err != nil {
			writeString(b, x.String())
			return nil
		}
		writeFloat(b, f)
	case bson.ObjectID:
		writeString(b, x.Hex())
	case bson.DateTime:
		writeString(b, PyISOTime(x.Time()))
	case time.Time:
		writeString(b, PyISOTime(x))
	case bson.Timestamp:
		writeString(b, PyISOTime(time.Unix(int64(x.T), 0)))
	case bson.Binary:
		writeString(b, base64.StdEncoding.EncodeToString(x.Data))
	case bson.Regex:
		writeString(b, x.Pattern)
	case bson.Symbol:
		writeString(b, string(x))
	case bson.JavaScript:
		writeString(b, string(x))
	default:
		// Anything else (MinKey, DBPointer, ...) has no place in these
		// collections; render it as its string form rather than failing
		// the whole listing.
		writeString(b, fmt.Sprint(x))
	}
	return nil
}

func writeArray(b *bytes.Buffer, a []any) error {
	b.WriteByte('[')
	for i, v := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeValue(b, v); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
	}
	b.WriteByte(']')
	return nil
}

// mToD gives an unordered map a stable (sorted) order.
func mToD(m bson.M) bson.D {
	d := make(bson.D, 0, len(m))
	for k, v := range m {
		d = append(d, bson.E{Key: k, Value: v})
	}
	slices.SortFunc(d, func(a, b bson.E) int { return strings.Compare(a.Key, b.Key) })
	return d
}
