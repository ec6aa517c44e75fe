# The targets a newcomer needs. `make test` is the README's test command.
GO ?= go

.PHONY: build demo test check fuzz bench

build:
	CGO_ENABLED=0 $(GO) build -o quarry ./cmd/quarry

demo: build
	./quarry demo

# Unit, golden, sqllogictest and end-to-end tests, with the race detector;
# SQLite's sqllogictest suite (too slow under -race); then the benchmark
# module's correctness check against DuckDB (no timing).
test:
	$(GO) test -race -timeout 40m ./...
	$(GO) test -timeout 30m -run TestSQLiteSuite ./engine
	cd bench && $(GO) test -timeout 20m ./...

check:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1)
	$(GO) vet ./...

fuzz:
	$(GO) test ./sql/parser -run '^$$' -fuzz FuzzParse -fuzztime 60s

bench:
	cd bench && $(GO) run . -quick
