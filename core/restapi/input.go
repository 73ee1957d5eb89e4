package restapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// query reads required query parameters, answering a missing (or empty)
// one with FastAPI's 422 list, every missing parameter at once.
func query(r *http.Request, names ...string) ([]string, error) {
	q := r.URL.Query()
	out := make([]string, len(names))
	var errs []valErr
	for i, n := range names {
		v := strings.TrimSpace(q.Get(n))
		if v == "" {
			errs = append(errs, missing("query", n))
			continue
		}
		out[i] = v
	}
	if len(errs) > 0 {
		return nil, validation(errs)
	}
	return out, nil
}

// fieldKind is the type of a body field, as the original's pydantic models
// declared it.
type fieldKind int

const (
	// kindString is `name: str` (required).
	kindString fieldKind = iota
	// kindOptStringList is `name: Optional[List[str]]` with no default:
	// in pydantic v2 the field must be present, and may be null.
	kindOptStringList
)

type field struct {
	name string
	kind fieldKind
}

// body holds a validated request body.
type body struct {
	strs  map[string]string
	lists map[string][]string // nil slice = null
}

// readBody reads a JSON object and validates it against fields as pydantic
// does, collecting every error into one 422. The body is capped by the
// server's MaxBytesReader; exceeding it is a 413.
func readBody(r *http.Request, fields ...field) (*body, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fail(http.StatusRequestEntityTooLarge, "The request body is larger than %d bytes.", mbe.Limit)
		}
		return nil, fail(http.StatusBadRequest, "The request body could not be read.")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, validation([]valErr{missing("body")})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		pos := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			pos = int(se.Offset)
		}
		msg := "unexpected data after the JSON value"
		if err != nil {
			msg = err.Error()
		}
		return nil, validation([]valErr{{
			Type: "json_invalid", Loc: []any{"body", pos}, Msg: "JSON decode error",
			Input: map[string]any{}, Ctx: map[string]any{"error": msg},
		}})
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, validation([]valErr{{
			Type: "model_attributes_type", Loc: []any{"body"},
			Msg: "Input should be a valid dictionary or object to extract fields from", Input: v,
		}})
	}
	out := &body{strs: map[string]string{}, lists: map[string][]string{}}
	var errs []valErr
	for _, f := range fields {
		raw, present := obj[f.name]
		if !present {
			e := missing("body", f.name)
			e.Input = obj
			errs = append(errs, e)
			continue
		}
		switch f.kind {
		case kindString:
			s, ok := raw.(string)
			if !ok {
				errs = append(errs, stringType(raw, "body", f.name))
				continue
			}
			out.strs[f.name] = s
		case kindOptStringList:
			if raw == nil {
				out.lists[f.name] = nil
				continue
			}
			arr, ok := raw.([]any)
			if !ok {
				errs = append(errs, valErr{Type: "list_type", Loc: []any{"body", f.name}, Msg: "Input should be a valid list", Input: raw})
				continue
			}
			list := make([]string, 0, len(arr))
			for i, item := range arr {
				s, ok := item.(string)
				if !ok {
					errs = append(errs, stringType(item, "body", f.name, i))
					continue
				}
				list = append(list, s)
			}
			out.lists[f.name] = list
		}
	}
	if len(errs) > 0 {
		return nil, validation(errs)
	}
	return out, nil
}

func stringType(input any, loc ...any) valErr {
	return valErr{Type: "string_type", Loc: loc, Msg: "Input should be a valid string", Input: input}
}

// objectID parses a hex ObjectId from the client: a malformed one is the
// client's mistake (400), not the server's (the original answered 500).
func objectID(field, s string) (bson.ObjectID, error) {
	id, err := bson.ObjectIDFromHex(strings.TrimSpace(s))
	if err != nil {
		return bson.ObjectID{}, fail(http.StatusBadRequest, "%s %q is not a valid id: an id is 24 hexadecimal characters.", field, s)
	}
	return id, nil
}

// objectIDs parses a list of ids, naming the first malformed one.
func objectIDs(field string, ss []string) ([]bson.ObjectID, error) {
	out := make([]bson.ObjectID, 0, len(ss))
	seen := map[bson.ObjectID]bool{}
	for i, s := range ss {
		id, err := bson.ObjectIDFromHex(strings.TrimSpace(s))
		if err != nil {
			return nil, fail(http.StatusBadRequest, "%s[%d] %q is not a valid id: an id is 24 hexadecimal characters.", field, i, s)
		}
		if !seen[id] { // a repeated id counts once, as $in does
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}
