# Targets for building, running and checking panel. "make" alone lists them.

GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

# make run serves with the embedded defaults unless the environment says otherwise.
export PANEL_DATABASE_URL ?= sqlite:panel.db
export PANEL_SMS          ?= simulated

.DEFAULT_GOAL := help
.PHONY: help run build test fuzz bench demo lint migrate

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## serve on :8080 (PANEL_DATABASE_URL=sqlite:panel.db, simulated SMS)
	$(GO) run ./cmd/panel serve

build: ## build a static binary in bin/panel (CGO_ENABLED=0)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-s -w' -o bin/panel ./cmd/panel

test: ## run every test once, a short fuzz of each input parser, then go vet (PostgreSQL tests need PANEL_TEST_POSTGRES_URL)
	$(GO) test -count=1 -timeout 8m ./...
	$(MAKE) --no-print-directory fuzz
	$(GO) vet ./...

# Each fuzz target runs for FUZZTIME on top of its seed corpus (which every
# plain test run replays).
FUZZTIME ?= 10s
fuzz: ## fuzz the reply parser, SMS texts, the inbound dialogue, the webhook form decoding and the CSV reader (FUZZTIME each, default 10s)
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/reply
	$(GO) test -run '^$$' -fuzz '^FuzzAnalyzeAndTemplate$$' -fuzztime $(FUZZTIME) ./internal/smstext
	$(GO) test -run '^$$' -fuzz '^FuzzHandle$$' -fuzztime $(FUZZTIME) ./internal/inbox
	$(GO) test -run '^$$' -fuzz '^FuzzWebhookForm$$' -fuzztime $(FUZZTIME) ./internal/httpapi
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME) ./internal/csvfile

demo: ## run the whole reference round end to end (panel simulate: 4000 invitations, about a minute)
	$(GO) run ./cmd/panel simulate

bench: ## run every benchmark, one package at a time, and write BENCHMARKS.md (about 40 minutes with the national-scale draws; PostgreSQL ones need PANEL_TEST_POSTGRES_URL)
	$(GO) test -p 1 -run '^$$' -bench . -benchmem -timeout 60m ./... | tee bench.out
	$(GO) run ./internal/benchreport -in bench.out -out BENCHMARKS.md

lint: ## gofmt (must list nothing), go vet, staticcheck
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

migrate: ## apply database migrations to PANEL_DATABASE_URL
	$(GO) run ./cmd/panel migrate
