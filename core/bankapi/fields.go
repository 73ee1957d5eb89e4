package bankapi

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// fields is one JSON object of a bank's answer being mapped. Known fields
// are taken out one by one; what is left is kept in the document's Extra, so
// bank-specific fields are never dropped. The first type error is kept and
// reported once, naming the field.
type fields struct {
	m      map[string]any
	err    error
	parent *fields // errors of nested objects are the document's errors
}

func (f *fields) fail(k, want string) {
	f.setErr(fmt.Errorf("field %s is not %s", k, want))
}

func (f *fields) setErr(err error) {
	for x := f; x != nil; x = x.parent {
		if x.err == nil {
			x.err = err
		}
	}
}

func (f *fields) child(m map[string]any) *fields { return &fields{m: m, parent: f} }

func (f *fields) str(k string) string {
	v, ok := f.m[k]
	delete(f.m, k)
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		f.fail(k, "a string")
	}
	return s
}

func (f *fields) num(k string) float64 {
	v, ok := f.m[k]
	delete(f.m, k)
	if !ok || v == nil {
		return 0
	}
	n, ok := v.(float64)
	if !ok {
		f.fail(k, "a number")
	}
	return n
}

// has reports whether a field is present (and not null), without taking it.
func (f *fields) has(k string) bool { v, ok := f.m[k]; return ok && v != nil }

func (f *fields) obj(k string) *fields {
	v, ok := f.m[k]
	delete(f.m, k)
	if !ok || v == nil {
		return f.child(map[string]any{})
	}
	o, ok := v.(map[string]any)
	if !ok {
		f.fail(k, "an object")
		return f.child(map[string]any{})
	}
	return f.child(o)
}

func (f *fields) date(k string) time.Time {
	s := f.str(k)
	t, err := parseTime(s)
	if err != nil {
		f.setErr(fmt.Errorf("field %s: %w", k, err))
	}
	return t
}

// rest returns the fields not taken, for Extra (nil when none). Names the
// document type already has (reserved) are dropped: an inline map may not
// repeat a field of its struct.
func (f *fields) rest(reserved map[string]bool) bson.M {
	if len(f.m) == 0 {
		return nil
	}
	out := make(bson.M, len(f.m))
	for k, v := range f.m {
		if !storableKey(k) || reserved[k] {
			continue
		}
		out[k] = clean(v, 0)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// storableKey rejects names MongoDB cannot store as a field (or would read
// as an operator or a path).
func storableKey(k string) bool {
	return k != "" && k[0] != '$' && k != "_id" && !strings.Contains(k, ".") && !strings.ContainsRune(k, 0)
}

// clean drops unstorable keys at every depth and bounds the nesting.
func clean(v any, depth int) any {
	if depth > 16 {
		return nil
	}
	switch x := v.(type) {
	case map[string]any:
		out := bson.M{}
		for k, e := range x {
			if storableKey(k) {
				out[k] = clean(e, depth+1)
			}
		}
		return out
	case []any:
		out := make(bson.A, len(x))
		for i, e := range x {
			out[i] = clean(e, depth+1)
		}
		return out
	}
	return v
}

// reservedOf lists the bson names of a document type's fields.
func reservedOf(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// bsonNames lists the bson field names of a struct type's fields.
func bsonNames(v any) map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeOf(v)
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("bson"), ",")
		if name == "" || name == "-" {
			continue
		}
		m[name] = true
	}
	return m
}

func (f *fields) arr(k string) []any {
	v, ok := f.m[k]
	delete(f.m, k)
	if !ok || v == nil {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		f.fail(k, "a list")
	}
	return a
}

// objs returns the objects of a list field; other elements are an error.
func (f *fields) objs(k string) []*fields {
	var out []*fields
	for _, e := range f.arr(k) {
		o, ok := e.(map[string]any)
		if !ok {
			f.fail(k, "a list of objects")
			return nil
		}
		out = append(out, f.child(o))
	}
	return out
}

// money reads an amount given as a number, a decimal string, or an object
// {"Amount"|"amount": ..., "Currency"|"currency": ...}; ok is false when
// the field is absent.
func (f *fields) money(k string) (amount float64, currency string, ok bool) {
	v, present := f.m[k]
	delete(f.m, k)
	if !present || v == nil {
		return 0, "", false
	}
	switch x := v.(type) {
	case float64:
		return x, "", true
	case string:
		n, err := parseAmount(x)
		if err != nil {
			f.fail(k, "an amount")
		}
		return n, "", err == nil
	case map[string]any:
		o := f.child(x)
		var a any
		for _, name := range []string{"Amount", "amount"} {
			if o.has(name) {
				a = o.m[name]
			}
		}
		for _, name := range []string{"Currency", "currency"} {
			if s, ok := o.m[name].(string); ok {
				currency = s
			}
		}
		switch y := a.(type) {
		case float64:
			return y, currency, true
		case string:
			n, err := parseAmount(y)
			if err != nil {
				f.fail(k, "an amount")
			}
			return n, currency, err == nil
		}
	}
	f.fail(k, "an amount")
	return 0, "", false
}

// count reads a whole number given as a number or a string.
func (f *fields) count(k string) float64 {
	v, ok := f.m[k]
	if s, isStr := v.(string); ok && isStr {
		delete(f.m, k)
		n, err := parseAmount(s)
		if err != nil {
			f.fail(k, "a number")
		}
		return n
	}
	return f.num(k)
}

// objects is a JSON list of objects (a page's accounts or transactions),
// decoded as a list of any: encoding/json then builds each object's map
// itself, where a []map[string]any field would set every member through
// reflection (a third of the time spent on a page). Each element goes
// through asObject.
type objects []any

// asObject is an element of objects as the object it must be (null reads
// as an empty object, as it did into a map).
func asObject(e any) (map[string]any, error) {
	switch m := e.(type) {
	case map[string]any:
		return m, nil
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("a list of objects holds a %T", e)
}
