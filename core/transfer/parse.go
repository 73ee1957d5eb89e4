// Package transfer imports and exports collections in the format mongoexport
// writes: a JSON array (--jsonArray) or one document per line, in relaxed or
// canonical Extended JSON.
//
// An import validates every document of every file before it writes
// anything, so a malformed file is refused whole with its name, the document
// and line, and the reason, and leaves the store as it was.
package transfer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Doc is one parsed document and where it was in its file.
type Doc struct {
	Index int // 0-based position in the file
	Line  int // 1-based line where it starts
	D     bson.D
}

// FileError locates a problem in an import file.
type FileError struct {
	File   string
	Index  int // document index, -1 if the file as a whole is at fault
	Line   int
	Reason string
}

func (e *FileError) Error() string {
	if e.Index < 0 {
		if e.Line > 0 {
			return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, e.Reason)
		}
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("%s: document %d (line %d): %s", e.File, e.Index+1, e.Line, e.Reason)
}

// CollectionFromFileName returns C for a file named <db>.<C>.json (the name
// mongoexport users give), or "" when the name does not say.
func CollectionFromFileName(path string) string {
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	parts := strings.Split(base, ".")
	if len(parts) < 2 {
		return ""
	}
	return parts[len(parts)-1]
}

// Parse reads a whole file: a JSON array of documents or one document per
// line (blank lines allowed).
func Parse(name string, data []byte) ([]Doc, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return nil, &FileError{File: name, Index: -1, Reason: "the file is empty"}
	}
	if trimmed[0] == '[' {
		return parseArray(name, data)
	}
	return parseLines(name, data)
}

func parseArray(name string, data []byte) ([]Doc, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return nil, &FileError{File: name, Index: -1, Line: 1, Reason: "not a JSON array: " + err.Error()}
	}
	var docs []Doc
	for i := 0; ; i++ {
		if !dec.More() {
			break
		}
		start := int(dec.InputOffset())
		line := lineAt(data, start)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, &FileError{File: name, Index: i, Line: line, Reason: jsonReason(err)}
		}
		d, err := decodeDoc(raw)
		if err != nil {
			return nil, &FileError{File: name, Index: i, Line: line, Reason: err.Error()}
		}
		docs = append(docs, Doc{Index: i, Line: line, D: d})
	}
	if _, err := dec.Token(); err != nil {
		return nil, &FileError{File: name, Index: -1, Line: lineAt(data, int(dec.InputOffset())), Reason: "the array is not closed: " + jsonReason(err)}
	}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		return nil, &FileError{File: name, Index: -1, Line: lineAt(data, int(dec.InputOffset())), Reason: "unexpected text after the closing ]"}
	}
	return docs, nil
}

func parseLines(name string, data []byte) ([]Doc, error) {
	var docs []Doc
	lines := bytes.Split(data, []byte("\n"))
	for n, l := range lines {
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		i := len(docs)
		if !json.Valid(l) {
			var v any
			err := json.Unmarshal(l, &v)
			return nil, &FileError{File: name, Index: i, Line: n + 1, Reason: jsonReason(err)}
		}
		d, err := decodeDoc(l)
		if err != nil {
			return nil, &FileError{File: name, Index: i, Line: n + 1, Reason: err.Error()}
		}
		docs = append(docs, Doc{Index: i, Line: n + 1, D: d})
	}
	if len(docs) == 0 {
		return nil, &FileError{File: name, Index: -1, Reason: "the file holds no documents"}
	}
	return docs, nil
}

func decodeDoc(raw []byte) (bson.D, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return nil, errors.New("not a JSON object")
	}
	var d bson.D
	if err := bson.UnmarshalExtJSON(raw, false, &d); err != nil {
		return nil, fmt.Errorf("invalid Extended JSON: %w", err)
	}
	return d, nil
}

func jsonReason(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "the file ends in the middle of a document (truncated?)"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "invalid JSON: " + se.Error()
	}
	return "invalid JSON: " + err.Error()
}

func lineAt(data []byte, off int) int {
	if off > len(data) {
		off = len(data)
	}
	// Skip the separator and whitespace the decoder has not consumed yet.
	for off < len(data) && (data[off] == ',' || data[off] == ' ' || data[off] == '\n' || data[off] == '\r' || data[off] == '\t') {
		off++
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}
