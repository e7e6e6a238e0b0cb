# The two commands a newcomer needs: `make run` and `make test`.
# Each installs what it needs into .venv first.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run PORT=8001` when 8000 is taken; `make run CHAOS=1` delivers webhooks like Stripe
# (late, out of order, twice, retried) instead of in order, once.
PORT ?= 8000

.PHONY: run test lint types schema-check test-sqlite test-postgres test-chaos install lock \
	clean bench bench-webhooks bench-usage bench-credits bench-ops

# billgraph and, beside it, its local Stripe sandbox (a distribution of its own: GPL-3.0).
$(STAMP): pyproject.toml sandbox/pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]' -e ./sandbox
	$(BIN)/python -m server.graphiql_assets
	touch $(STAMP)

install: $(STAMP)

# Rewrite constraints.txt's pins from the working .venv, keeping its header.
lock: $(STAMP)
	{ grep '^#' constraints.txt; $(BIN)/pip freeze --all --exclude-editable | grep -v '^setuptools=='; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

run: $(STAMP)
	$(if $(CHAOS),SANDBOX_CHAOS=$(CHAOS)) $(BIN)/billgraph serve --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

schema-check: $(STAMP)
	$(BIN)/billgraph schema export --check

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -q

# The sandbox's own tests (tests/sandbox) use no billgraph database: the SQLite pass runs them.
test-postgres: $(STAMP)
	$(BIN)/python -m tests.pgcluster $(BIN)/pytest -q --ignore=tests/sandbox

# The payments, saved cards, subscriptions and usage suites again, every webhook delivered
# like Stripe (late, out of order, twice, retried): they must end in the same state
# (SQLite, ~2.5 min).
test-chaos: $(STAMP)
	env -u DATABASE_URL BILLGRAPH_TEST_CHAOS=1 $(BIN)/pytest -q \
		tests/test_payments.py tests/test_payment_methods.py tests/test_payment_lookup.py \
		tests/test_subscriptions.py tests/test_usage.py

test: lint types schema-check test-sqlite test-postgres test-chaos

clean:
	rm -rf $(VENV) server/static/graphiql .mypy_cache .ruff_cache .pytest_cache

# Webhook ingestion benchmark (~3 min): writes bench/results/webhooks.txt.
bench-webhooks: $(STAMP)
	$(BIN)/python -m bench.webhooks

# trackUsage benchmark with the concurrency check at load (~3 min): writes bench/results/usage.txt.
bench-usage: $(STAMP)
	$(BIN)/python -m bench.usage

# spendCredits benchmark with the drain check at load (~3 min): writes bench/results/credits.txt.
bench-credits: $(STAMP)
	$(BIN)/python -m bench.credits

# What rate limits and metrics cost per call and per request (~30 s): writes bench/results/ops.txt.
bench-ops: $(STAMP)
	$(BIN)/python -m bench.ops

# Every benchmark of issue 17's table, one module a line (each writes bench/results/NAME.txt and
# exits 1 when a check fails). ~10 min on 2 CPUs; BENCH_ARGS="--rounds 1 --duration 2" for a look.
BENCHES := \
	bench.plans \
	bench.payments \
	bench.webhooks \
	bench.usage \
	bench.credits
BENCH_ARGS ?= --rounds 3 --duration 3 --warmup 1

bench: $(STAMP)
	status=0; for module in $(BENCHES); do \
		$(BIN)/python -m $$module $(BENCH_ARGS) || status=1; done; exit $$status
