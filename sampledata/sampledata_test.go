package sampledata

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the embedded sample files from the demo table")

// The embedded files are generated from mockbank/demo; this keeps them in
// step (go test ./sampledata -run TestEmbeddedFilesAreCurrent -update).
func TestEmbeddedFilesAreCurrent(t *testing.T) {
	for coll, docs := range Build() {
		want, err := Marshal(docs)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("data", FileName(coll))
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is out of date with mockbank/demo; run go test ./sampledata -run TestEmbeddedFilesAreCurrent -update", path)
		}
	}
}
