package pipelines

import (
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// allowedStage reports whether a stage runs correctly on FerretDB v1.24.2
// and MongoDB alike.
func allowedStage(op string) bool {
	switch op {
	case "$match", "$group", "$sort", "$limit", "$skip",
		"$project", "$addFields", "$set", "$unset", "$unwind", "$count":
		return true
	}
	return false
}

// Check reports the first construct in p outside the subset FerretDB v1
// runs correctly. It is what keeps a pipeline written here from silently
// returning zeros or literal strings on the embedded engine.
func Check(p mongo.Pipeline) error {
	for i, stage := range p {
		if len(stage) != 1 {
			return fmt.Errorf("stage %d has %d operators, want exactly one", i, len(stage))
		}
		op, body := stage[0].Key, stage[0].Value
		if !allowedStage(op) {
			return fmt.Errorf("stage %d: %s is not in the supported subset", i, op)
		}
		if err := noForbidden(body); err != nil {
			return fmt.Errorf("stage %d (%s): %w", i, op, err)
		}
		switch op {
		case "$group":
			if err := checkGroup(body); err != nil {
				return fmt.Errorf("stage %d: %w", i, err)
			}
		case "$project", "$addFields", "$set":
			if err := literalsOnly(body, op == "$project"); err != nil {
				return fmt.Errorf("stage %d (%s): %w", i, op, err)
			}
		}
	}
	return nil
}

func checkGroup(body any) error {
	d, ok := body.(bson.D)
	if !ok {
		return fmt.Errorf("$group body is %T, want bson.D", body)
	}
	accs := 0
	for _, e := range d {
		if e.Key == "_id" {
			if err := fieldPathsOnly(e.Value); err != nil {
				return fmt.Errorf("$group _id: %w", err)
			}
			continue
		}
		accs++
		acc, ok := e.Value.(bson.D)
		if !ok || len(acc) != 1 || (acc[0].Key != "$sum" && acc[0].Key != "$count") {
			return fmt.Errorf("$group field %s must be one $sum or $count", e.Key)
		}
		if acc[0].Key == "$sum" {
			switch v := acc[0].Value.(type) {
			case int, int32, int64, float64:
			case string:
				if !strings.HasPrefix(v, "$") || strings.HasPrefix(v, "$$") {
					return fmt.Errorf("$sum of %q: want a field path or a number", v)
				}
			default:
				return fmt.Errorf("$sum of %T: want a field path or a number (computed expressions are not supported)", v)
			}
		}
	}
	if accs != 1 {
		return fmt.Errorf("$group has %d accumulators; FerretDB v1 returns 0 for all but the first, use exactly one", accs)
	}
	return nil
}

// fieldPathsOnly allows a group key made of field paths, literals and
// documents of them.
func fieldPathsOnly(v any) error {
	switch t := v.(type) {
	case bson.D:
		for _, e := range t {
			if strings.HasPrefix(e.Key, "$") {
				return fmt.Errorf("operator %s in a group key", e.Key)
			}
			if err := fieldPathsOnly(e.Value); err != nil {
				return err
			}
		}
	case bson.A, bson.M:
		return fmt.Errorf("%T in a group key", v)
	}
	return nil
}

// literalsOnly rejects "$field" values (FerretDB returns them as literal
// strings) and operators; $project may also use 0/1/true/false.
func literalsOnly(v any, project bool) error {
	d, ok := v.(bson.D)
	if !ok {
		return fmt.Errorf("body is %T, want bson.D", v)
	}
	for _, e := range d {
		switch t := e.Value.(type) {
		case string:
			if strings.HasPrefix(t, "$") {
				return fmt.Errorf("field %s = %q: field paths are returned as literal strings by FerretDB v1", e.Key, t)
			}
		case bson.D:
			if len(t) > 0 && strings.HasPrefix(t[0].Key, "$") {
				return fmt.Errorf("field %s uses operator %s", e.Key, t[0].Key)
			}
			if err := literalsOnly(t, project); err != nil {
				return err
			}
		}
	}
	return nil
}

func forbiddenOp(k string) bool {
	switch k {
	case "$expr", "$lookup", "$facet", "$function", "$where", "$accumulator", "$merge", "$out":
		return true
	}
	return false
}

func noForbidden(v any) error {
	switch t := v.(type) {
	case bson.D:
		for _, e := range t {
			if forbiddenOp(e.Key) {
				return fmt.Errorf("%s is not supported", e.Key)
			}
			if err := noForbidden(e.Value); err != nil {
				return err
			}
		}
	case bson.A:
		for _, x := range t {
			if err := noForbidden(x); err != nil {
				return err
			}
		}
	}
	return nil
}
