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

# bench: the Go benchmarks of every package that has some (the database- and
# SSH-heavy packages run each benchmark once: their setup is the cost), then the scale harness with its budget lines (BENCH_PRESET=small
# for a quick run). A failing Go benchmark does not stop the harness, but
# fails the target. Bounded to well under 10 minutes on 2 cores.
BENCH_PRESET ?= medium
BENCH_TIME   ?= 500ms
BENCH_DB     ?= 1x
BENCH_SSH    ?= 1x
bench: build
	@failed=; for p in $$(git ls-files '*_test.go' | xargs grep -l '^func Benchmark' | xargs -n1 dirname | sort -u); do \
	  case ./$$p in ./core/*) t=$(BENCH_DB);; ./tui/sshserver) t=$(BENCH_SSH);; *) t=$(BENCH_TIME);; esac; \
	  echo "== go test -bench ./$$p (-benchtime $$t)"; \
	  $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -benchtime $$t -timeout 5m ./$$p || failed="$$failed ./$$p"; \
	done; \
	echo "== openfinance bench --preset $(BENCH_PRESET)"; \
	$(BIN) bench --preset $(BENCH_PRESET) || exit 1; \
	if [ -n "$$failed" ]; then echo "Go benchmarks failed in:$$failed"; exit 1; fi

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
