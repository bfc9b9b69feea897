# TrustNet: `make demo` runs the whole thing on a fresh machine; `make test` tests it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
TRUSTNET := $(BIN)/trustnet
# The test server has its own folder and ports, so tests never touch the demo's data.
TEST_ENV := TRUSTNET_NEO4J_HOME=.neo4j/test TRUSTNET_NEO4J_BOLT_PORT=7688 TRUSTNET_NEO4J_HTTP_PORT=7475 TRUSTNET_API_PORT=5001
CAMPAIGN_ENV := TRUSTNET_NEO4J_HOME=.neo4j/campaign TRUSTNET_NEO4J_BOLT_PORT=7691 TRUSTNET_NEO4J_HTTP_PORT=7478
BENCH_ENV := TRUSTNET_NEO4J_HOME=.neo4j/bench TRUSTNET_NEO4J_BOLT_PORT=7689 TRUSTNET_NEO4J_HTTP_PORT=7476 \
	TRUSTNET_NEO4J_HEAP=2g TRUSTNET_NEO4J_PAGECACHE=2g

WORLD := data/world
.PHONY: install demo stop test test-tools chromium screenshot sample-data bench-ingest bench-scoring bench-api \
	bench-contagion bench-reliability bench-real-data clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

demo: install
	$(TRUSTNET) neo4j start
	$(TRUSTNET) init-schema
	@[ -f $(WORLD)/updates/Firm.csv ] || $(TRUSTNET) generate --firms 20000 --seed 1 --out $(WORLD)
	$(TRUSTNET) load $(WORLD)/graph --source synthetic-world
	$(TRUSTNET) patterns
	$(TRUSTNET) train
	$(TRUSTNET) score --all
	$(TRUSTNET) track-records
	$(TRUSTNET) load $(WORLD)/updates --source partner-feed
	@if [ -f .run/api.pid ] && kill -0 $$(cat .run/api.pid) 2>/dev/null; then kill $$(cat .run/api.pid); sleep 1; fi
	$(TRUSTNET) keys create --role admin --name demo --replace --out .run/demo-api-key
	$(TRUSTNET) serve --daemon
	$(TRUSTNET) demo-info --wait

stop:
	@if [ -f .run/api.pid ] && kill -0 $$(cat .run/api.pid) 2>/dev/null; then kill $$(cat .run/api.pid) && echo "API stopped."; fi
	@if [ -x $(TRUSTNET) ]; then $(TRUSTNET) neo4j stop; fi

# docker-compose (Debian's) validates docker-compose.yml in the tests; no Docker engine is needed.
# Chromium (Debian's) drives Neo4j Browser in tests/investigations and for the README's screenshot.
test-tools: chromium
	@command -v docker-compose >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; \
	  else echo "docker-compose is missing: install it (Debian: apt-get install docker-compose)"; exit 1; fi; }

chromium:
	@{ command -v chromium >/dev/null && command -v chromedriver >/dev/null; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "Chromium is missing: install it (Debian: apt-get install chromium chromium-driver)"; exit 1; fi; }

# Neo4j Browser on the running demo (`make demo` first), as docs/neo4j-browser.png.
screenshot: install chromium
	$(TRUSTNET) browser-screenshot --out docs/neo4j-browser.png

test: install test-tools
	$(BIN)/lint-imports --no-cache
	$(TEST_ENV) $(TRUSTNET) neo4j start --fresh
	$(TEST_ENV) $(BIN)/pytest --require-neo4j; status=$$?; $(TEST_ENV) $(TRUSTNET) neo4j stop; exit $$status

sample-data: install
	$(TRUSTNET) sample-data --out data/sample

bench-ingest: install
	$(BENCH_ENV) $(TRUSTNET) neo4j start --fresh
	$(BENCH_ENV) $(BIN)/python benchmarks/ingest.py $(ARGS); status=$$?; $(BENCH_ENV) $(TRUSTNET) neo4j stop; exit $$status

bench-scoring: install
	$(BENCH_ENV) $(TRUSTNET) neo4j start --fresh
	$(BENCH_ENV) $(BIN)/python benchmarks/network_scores.py --neo4j $(ARGS); status=$$?; $(BENCH_ENV) $(TRUSTNET) neo4j stop; exit $$status

bench-api: install
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: install it (Debian: apt-get install wrk)"; exit 1; fi; }
	$(BENCH_ENV) $(TRUSTNET) neo4j start --fresh
	$(BENCH_ENV) $(BIN)/python benchmarks/api_load.py $(ARGS); status=$$?; $(BENCH_ENV) $(TRUSTNET) neo4j stop; exit $$status

bench-contagion: install
	$(BENCH_ENV) $(TRUSTNET) neo4j start --fresh
	$(BENCH_ENV) $(BIN)/python benchmarks/contagion.py --neo4j $(ARGS); status=$$?; $(BENCH_ENV) $(TRUSTNET) neo4j stop; exit $$status

# The crash and abuse campaign (README, "Reliability"): its own Neo4j, killed, frozen and restarted.
bench-reliability: install
	$(CAMPAIGN_ENV) $(TRUSTNET) neo4j start --fresh
	$(CAMPAIGN_ENV) $(BIN)/python benchmarks/reliability_campaign.py $(ARGS); status=$$?; $(CAMPAIGN_ENV) $(TRUSTNET) neo4j stop; exit $$status

bench-real-data: install
	$(BIN)/python benchmarks/real_data.py $(ARGS)

clean: stop
	rm -rf .neo4j/test .neo4j/bench .run rejects
