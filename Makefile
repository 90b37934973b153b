# Developer tasks. Needs bash, make and Go (see go.mod for the version).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

GO ?= go
# How long each fuzz target runs in `make fuzz`.
FUZZTIME ?= 30s

.PHONY: test vet fmt-check build bench fuzz e2e-mattermost model

## test: vet, check formatting, run every test with the race detector
test: vet fmt-check
	$(GO) test -race -count=1 ./...

vet:
	$(GO) vet ./...

# Lists the files gofmt would change and fails when there are any.
# Hidden directories (.git, .cache) are skipped.
fmt-check:
	@files="$$(find . -path './.*' -prune -o -name '*.go' -exec gofmt -l {} +)"; \
	if [ -n "$$files" ]; then echo "gofmt needed:"; echo "$$files"; exit 1; fi

## build: the bot binary, in bin/bot
build:
	$(GO) build -o bin/bot ./cmd/bot

## bench: the classifier and classify-protocol benchmarks
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./policy/... ./classifyio/

## model: retrain policy/model.json from the labeled corpus (a few minutes);
## the blend with the rules is calibrated on the train-* files, which the
## rulebook was not tuned on, and test.jsonl is never read
model:
	$(GO) run ./policy/internal/train -out policy/model.json \
		-calibrate "$$(ls testdata/corpus/train-*.jsonl | paste -sd, -)" \
		testdata/corpus/tune.jsonl testdata/corpus/dev.jsonl testdata/corpus/train-*.jsonl

## fuzz: run every Fuzz target for FUZZTIME each (make fuzz FUZZTIME=10s)
# `go test -list` prints a package's matching names and then an "ok <package>" line.
fuzz:
	@targets="$$($(GO) test -list '^Fuzz' ./... | awk '/^Fuzz/ { names[n++] = $$1; next } /^ok/ { for (i = 0; i < n; i++) print $$2, names[i]; n = 0 }')"; \
	while read -r pkg name; do \
		[ -n "$$pkg" ] || continue; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) "$$pkg"; \
	done <<< "$$targets"

## e2e-mattermost: end-to-end test against a real Mattermost server (built once
## into .cache/mattermost by scripts/mattermost/build.sh; needs PostgreSQL and a
## role that may create databases, see internal/e2e/mattermost/doc.go)
e2e-mattermost:
	bash scripts/mattermost/build.sh
	$(GO) test -tags e2e -count=1 -v -timeout 10m ./internal/e2e/mattermost/
