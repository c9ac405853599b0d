# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-both lint bench bench-smoke screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## run: web server + worker on http://127.0.0.1:8000 (SQLite and an embedded Redis unless DATABASE_URL/REDIS_URL say otherwise)
run: $(VENV)/.installed
	$(BIN)/boardroom run

## test: lint, type-check, then the whole suite on SQLite; on PostgreSQL too when TEST_POSTGRES_URL is set
test: $(VENV)/.dev lint
	@if [ -z "$$TEST_POSTGRES_URL" ]; then $(BIN)/pytest; else $(MAKE) --no-print-directory test-both; fi

# Both engines at once (two cores): the suites share nothing but the machine (their own database, Redis
# database, ports and temporary files). The SQLite lane, the shorter, runs the browser tests while the
# PostgreSQL lane is still busy: SQLite's, then PostgreSQL's on a database of their own when
# TEST_POSTGRES_BROWSER_URL names one (CI's), otherwise after the PostgreSQL lane. One chromium at a time.
test-both:
	@mkdir -p .test-logs
	@echo "== the suite on SQLite and on PostgreSQL ($$TEST_POSTGRES_URL) side by side, browser tests included"
	@($(BIN)/pytest -m 'not browser' && $(BIN)/pytest -m browser && \
	  if [ -n "$$TEST_POSTGRES_BROWSER_URL" ]; then echo "== browser tests on PostgreSQL"; $(PG_BROWSER_ENV) $(BIN)/pytest -m browser; fi \
	 ) > .test-logs/sqlite.log 2>&1 & lite=$$!; \
	 $(PG_ENV) $(BIN)/pytest -m 'not browser' > .test-logs/postgres.log 2>&1; pg=$$?; \
	 wait $$lite; sqlite=$$?; \
	 echo "== SQLite"; cat .test-logs/sqlite.log; echo "== PostgreSQL"; cat .test-logs/postgres.log; \
	 [ $$sqlite -eq 0 ] && [ $$pg -eq 0 ]
	@if [ -z "$$TEST_POSTGRES_BROWSER_URL" ]; then echo "== browser tests on PostgreSQL"; $(PG_ENV) $(BIN)/pytest -m browser; fi

PG_BROWSER_ENV = BOARDROOM_TEST_DATABASE_URL="$$TEST_POSTGRES_BROWSER_URL" BOARDROOM_TEST_REDIS_URL="$$TEST_REDIS_BROWSER_URL"
PG_ENV = BOARDROOM_TEST_DATABASE_URL="$$TEST_POSTGRES_URL" BOARDROOM_TEST_REDIS_URL="$$TEST_REDIS_URL"

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## screenshots: the README's pictures (docs/screenshots/*.png, 1280x800) from the browser tests
screenshots: $(VENV)/.dev
	BOARDROOM_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q -m browser tests/browser

## bench: every benchmark under bench/ in full, each printing its figures beside its targets (docs/performance.md)
bench: $(VENV)/.dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## bench-smoke: every benchmark for a few seconds on tiny sizes, targets not checked, so a bench the code left behind
## fails CI; on the machine's PostgreSQL and Redis when TEST_POSTGRES_URL/TEST_REDIS_URL are set (its own throwaway
## database on that server, never TEST_POSTGRES_URL's), SQLite and an embedded Redis otherwise
bench-smoke: $(VENV)/.dev
	@if [ -n "$$TEST_POSTGRES_URL" ]; then export BENCH_POSTGRES_URL="$${TEST_POSTGRES_URL%/*}/postgres" BENCH_REQUIRE_POSTGRES=1; fi; \
	 if [ -n "$$TEST_REDIS_URL" ]; then export BENCH_REDIS_URL="$$TEST_REDIS_URL"; fi; \
	 for script in bench/*.py; do echo "== $$script --smoke"; timeout 300 $(BIN)/python $$script --smoke || exit 1; done

## messages: extract every user-facing string into ui/locale/messages.pot and add the new ones, untranslated, to each
## language's catalogue (docs/translating.md); tests/test_catalogues.py fails until they are translated
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -o ui/locale/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i ui/locale/messages.pot -d ui/locale -D messages --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .test-logs
