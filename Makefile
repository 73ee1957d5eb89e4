# openfinance — see README.md. Every target works on a fresh clone with only Go installed.
GO      ?= go
TAGS    := ferretdb_no_postgresql
BIN     := bin/openfinance
# Packages where concurrency lives run again under the race detector.
RACE_PKGS := ./mockbank/... ./core/sync/... ./tui/...

.PHONY: build run test test-race bench lint fmt clean

build:
	$(GO) build -tags $(TAGS) -o $(BIN) ./cmd/openfinance

run:
	$(GO) run -tags $(TAGS) ./cmd/openfinance

test:
	$(GO) test -tags $(TAGS) -count=1 ./...
	$(GO) test -tags $(TAGS) -count=1 -race $(RACE_PKGS)

bench:
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
