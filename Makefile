# One task runner. `make demo` and `make test` are the README's two set-up commands.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint types unit bench install clean sysdeps

$(BIN)/cimon: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/cimon

install: $(BIN)/cimon

# Debian packages the tests need beyond pip (pdftoppm, chromium): when missing and run as root,
# installed with apt-get (the script prints which first); otherwise it says what to install
sysdeps:
	@scripts/system-packages.sh

demo: install
	$(BIN)/cimon demo --out out/demo

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: install
	$(BIN)/mypy

# The database tests (tests/store, tests/web, the intake command, the end-to-end operations test)
# run twice: on SQLite (with everything else) and on PostgreSQL; the browser tests run once, on
# SQLite. The rule (under 15 minutes on 2 cores): PostgreSQL runs only what touches the database
# engine (queries, constraints, transactions, locking, COPY); tests of what the engine does not
# change (Python rules, page rendering, middleware) are marked `sqlite_only` and deselected there,
# and the permission matrix asks, on PostgreSQL, as the roles whose pages run scoping queries
# (tests/web/test_permissions.py, SERVER_ROLES). CI has the server up; if it is unreachable the
# PostgreSQL run fails loudly instead of being skipped.
PG_URL ?= postgres://postgres@127.0.0.1:5432/cimon
# tests run in parallel processes (pytest-xdist): 2 by default, the cores of the CI machine
TEST_PROCESSES ?= 2

unit: install sysdeps
	env -u DATABASE_URL $(BIN)/pytest -n $(TEST_PROCESSES)
	@$(BIN)/python -c "import psycopg, sys; u = sys.argv[1]; psycopg.connect(u.rsplit('/', 1)[0] + '/postgres', connect_timeout=5).close()" '$(PG_URL)' \
		|| { echo "PostgreSQL is not reachable at $(PG_URL): start it (pg_ctlcluster <version> main start) or set PG_URL" >&2; exit 1; }
	DATABASE_URL='$(PG_URL)' $(BIN)/pytest -n $(TEST_PROCESSES) tests/web tests/store tests/test_cli_intake.py tests/ops/test_e2e.py --ignore=tests/web/browser -m 'not sqlite_only' -p no:cacheprovider

test: lint types unit

bench: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/robustness.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/places.py
	$(BIN)/python bench/ops.py
	$(BIN)/python bench/national.py
	# the commissioners' store at scale needs a PostgreSQL database of its own (#17)
	-createdb -h 127.0.0.1 -U postgres cimon_c17bench
	DATABASE_URL='postgresql://postgres@127.0.0.1:5432/cimon_c17bench' $(BIN)/python bench/commissioners.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
