package pipelines

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

func TestEveryPipelineStaysInTheSubset(t *testing.T) {
	for _, p := range All() {
		if err := Check(p.Pipeline); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
}

func TestCheckRejectsWhatFerretDBGetsWrong(t *testing.T) {
	sum := func(f string) bson.D { return bson.D{{Key: "$sum", Value: f}} }
	cases := map[string]struct {
		p    mongo.Pipeline
		want string
	}{
		"two accumulators":      {mongo.Pipeline{{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$a"}, {Key: "x", Value: sum("$b")}, {Key: "y", Value: sum("$c")}}}}}, "2 accumulators"},
		"avg":                   {mongo.Pipeline{{{Key: "$group", Value: bson.D{{Key: "_id", Value: nil}, {Key: "x", Value: bson.D{{Key: "$avg", Value: "$b"}}}}}}}, "one $sum or $count"},
		"computed sum":          {mongo.Pipeline{{{Key: "$group", Value: bson.D{{Key: "_id", Value: nil}, {Key: "x", Value: bson.D{{Key: "$sum", Value: bson.D{{Key: "$multiply", Value: bson.A{"$a", "$b"}}}}}}}}}}, "computed expressions"},
		"field path in project": {mongo.Pipeline{{{Key: "$project", Value: bson.D{{Key: "m", Value: "$merchant"}}}}}, "literal strings"},
		"field path in set":     {mongo.Pipeline{{{Key: "$set", Value: bson.D{{Key: "m", Value: "$merchant"}}}}}, "literal strings"},
		"operator in addFields": {mongo.Pipeline{{{Key: "$addFields", Value: bson.D{{Key: "y", Value: bson.D{{Key: "$year", Value: "$d"}}}}}}}, "operator $year"},
		"lookup":                {mongo.Pipeline{{{Key: "$lookup", Value: bson.D{}}}}, "not in the supported subset"},
		"expr in match":         {mongo.Pipeline{{{Key: "$match", Value: bson.D{{Key: "$expr", Value: true}}}}}, "$expr is not supported"},
		"operator in group key": {mongo.Pipeline{{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$year", Value: "$d"}}}, {Key: "x", Value: sum("$b")}}}}}, "operator $year"},
	}
	for name, c := range cases {
		err := Check(c.p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", name, err, c.want)
		}
	}
	ok := mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "a", Value: 1}}}},
		{{Key: "$project", Value: bson.D{{Key: "a", Value: 1}, {Key: "_id", Value: 0}}}},
		{{Key: "$set", Value: bson.D{{Key: "k", Value: "literal"}}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "a", Value: "$a"}}}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
		{{Key: "$sort", Value: bson.D{{Key: "n", Value: -1}}}},
		{{Key: "$limit", Value: 3}},
	}
	if err := Check(ok); err != nil {
		t.Errorf("a supported pipeline was rejected: %v", err)
	}
}
