# The two commands a newcomer needs: `make run` and `make test`.
# Each installs what it needs into .venv first.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000

.PHONY: run test lint types schema-check test-sqlite test-postgres install clean bench-webhooks bench-usage

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,sandbox]'
	$(BIN)/python -m server.graphiql_assets
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/billgraph serve --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

schema-check: $(STAMP)
	$(BIN)/billgraph schema export --check

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -q

test-postgres: $(STAMP)
	$(BIN)/python -m tests.pgcluster $(BIN)/pytest -q

test: lint types schema-check test-sqlite test-postgres

clean:
	rm -rf $(VENV) server/static/graphiql .mypy_cache .ruff_cache .pytest_cache

# Webhook ingestion benchmark (~3 min): writes bench/results/webhooks.txt.
bench-webhooks: $(STAMP)
	$(BIN)/python -m bench.webhooks

# trackUsage benchmark with the concurrency check at load (~3 min): writes bench/results/usage.txt.
bench-usage: $(STAMP)
	$(BIN)/python -m bench.usage
