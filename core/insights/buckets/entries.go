package buckets

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
)

// Entries are packed like the cells (see model.MonthCells): one string, a
// ";"-separated row per transaction of space-separated fields
//
//	id cell amountBase doc booked amount currency description
//
// with the bank's id, the currency and the description query-escaped (so
// no field holds a space, a ";", a quote, a backslash or a control
// character), the cell an index into the document's Cells, doc the
// transaction document's _id in hex, booked the booking time in Unix
// milliseconds and the amounts the shortest decimals that read back the
// same float64:
//
//	"T-1 0 -12.5 6650d5...e1 1741824000000 -11.47 EUR Coffee+%26+cake"
//
// Buckets written before entries carried their row hold the first three
// fields only; they still read (their entries are not Complete).
//
// Encoding stays on strconv and a byte slice: the sync writes a bucket at
// every account's end, and the ingest budget has little room.
const (
	oldFields  = 3
	fullFields = 8
)

// appendEntry packs one entry (see above) onto dst.
func appendEntry(dst []byte, id string, cell int, e Entry) []byte {
	dst = appendEscaped(dst, id)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(cell), 10)
	dst = append(dst, ' ')
	dst = strconv.AppendFloat(dst, e.Amount, 'g', -1, 64)
	if !e.Complete() {
		return dst // read from an old bucket: its row was never known
	}
	dst = append(dst, ' ')
	dst = hex.AppendEncode(dst, e.Doc[:])
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, e.Booked, 10)
	dst = append(dst, ' ')
	dst = strconv.AppendFloat(dst, e.Native, 'g', -1, 64)
	dst = append(dst, ' ')
	dst = appendEscaped(dst, e.Currency)
	dst = append(dst, ' ')
	return appendEscaped(dst, e.Description)
}

// appendEscaped appends s query-escaped as url.QueryEscape does (letters,
// digits and "-_.~" kept, space as "+", every other byte as %XX), without
// the allocation QueryEscape makes for a string that needs escaping.
func appendEscaped(dst []byte, s string) []byte {
	const upperhex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', upperhex[c>>4], upperhex[c&15])
		}
	}
	return dst
}

// eachEntry unpacks a bucket document's entries, calling f for each with
// the bank's id.
func eachEntry(d model.TransactionMonth, f func(id string, e Entry)) error {
	rest := d.Entries
	for i := 1; rest != ""; i++ {
		var row string
		row, rest, _ = strings.Cut(rest, ";")
		var fs [fullFields]string
		n := 0
		for n < fullFields {
			var field string
			var more bool
			field, row, more = strings.Cut(row, " ")
			fs[n] = field
			n++
			if !more {
				break
			}
		}
		switch {
		case row != "":
			return damaged(d, fmt.Sprintf("entry %d has more than %d fields", i, fullFields))
		case n != oldFields && n != fullFields:
			return damaged(d, fmt.Sprintf("entry %d has %d fields", i, n))
		}
		id, err := model.Unescape(fs[0])
		c, err2 := strconv.Atoi(fs[1])
		amt, err3 := strconv.ParseFloat(fs[2], 64)
		if err != nil || err2 != nil || err3 != nil {
			return damaged(d, fmt.Sprintf("entry %d is not id, cell and amount", i))
		}
		if c < 0 || c >= len(d.Cells) {
			return damaged(d, fmt.Sprintf("entry %d points at cell %d of %d", i, c, len(d.Cells)))
		}
		mc := d.Cells[c]
		e := Entry{Key: Key{Category: mc.Category, Direction: mc.Direction, Merchant: mc.Merchant, Status: mc.Status}, Amount: amt}
		if n == fullFields {
			if err := fullEntry(&e, fs[3:]); err != nil {
				return damaged(d, fmt.Sprintf("entry %d: %v", i, err))
			}
		}
		f(id, e)
	}
	return nil
}

// fullEntry reads the row fields of an entry (doc, booked, amount,
// currency, description).
func fullEntry(e *Entry, fs []string) error {
	doc, ok := parseHexID(fs[0])
	if !ok {
		return fmt.Errorf("%q is not a document id", fs[0])
	}
	booked, err := strconv.ParseInt(fs[1], 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a booking time", fs[1])
	}
	native, err := strconv.ParseFloat(fs[2], 64)
	if err != nil {
		return fmt.Errorf("%q is not an amount", fs[2])
	}
	cur, err := model.Unescape(fs[3])
	if err != nil {
		return err
	}
	desc, err := model.Unescape(fs[4])
	if err != nil {
		return err
	}
	e.Doc, e.Booked, e.Native, e.Currency, e.Description = doc, booked, native, cur, desc
	return nil
}

// parseHexID reads an ObjectID in hex without the copies
// bson.ObjectIDFromHex makes; the zero id is refused (it marks an
// incomplete entry).
func parseHexID(s string) (bson.ObjectID, bool) {
	var id bson.ObjectID
	if len(s) != 2*len(id) {
		return id, false
	}
	for i := range id {
		hi, ok1 := unhex(s[2*i])
		lo, ok2 := unhex(s[2*i+1])
		if !ok1 || !ok2 {
			return id, false
		}
		id[i] = hi<<4 | lo
	}
	return id, !id.IsZero()
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
