# 党建培训学堂 — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
FLASK  := $(BIN)/flask --app wsgi

.PHONY: run test bench loadtest venv lint pdf-deps browser-deps redis-deps wrk-deps screenshots messages clean

$(STAMP): setup.cfg pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP) pdf-deps
	$(FLASK) lms init
	$(FLASK) lms load-courses
	$(FLASK) lms create-demo-accounts
	@echo "Serving 党建培训学堂 on http://127.0.0.1:5000/ (Ctrl+C to stop)"
	$(FLASK) run --host 127.0.0.1 --port 5000

# Pango and a CJK font from Debian's packages: certificates and learning records are PDFs.
pdf-deps:
	@scripts/ensure-pdf-deps

# Debian's redis-server: the rate-limit tests start their own on a free port.
redis-deps:
	@scripts/ensure-redis

# Debian's wrk: the page-throughput benchmark drives gunicorn with it (make bench only).
wrk-deps:
	@scripts/ensure-wrk

# Debian's chromium, a CJK font, and axe-core from package-lock.json (npm ci) for the browser tests.
browser-deps:
	@scripts/ensure-chromium

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml -r lms -lll

# pytest-xdist workers: one per core, at most 4 (each has its own PostgreSQL database, temp
# folders, live server port and chromium); TEST_WORKERS=0 runs one process. PYTEST_ARGS last.
# One process takes over 15 minutes on 2 cores now; two workers about 7.
TEST_WORKERS ?= auto
test: $(STAMP) pdf-deps browser-deps redis-deps lint
	scripts/with-postgres $(BIN)/python -m pytest -n $(TEST_WORKERS) --maxprocesses=4 \
	  --dist loadgroup $(PYTEST_ARGS)

# 50 trainees under gunicorn for 60 s per scenario, with a killed worker and a PostgreSQL
# outage: nothing acknowledged lost; figures into docs/operations.md. See bench/README.md.
loadtest: $(STAMP)
	$(BIN)/python -m bench.loadtest $(LOADTEST_ARGS)

# The admin dashboard at 100 000 trainees x 20 modules (BENCH_ARGS), then trainee pages per
# second against a bare Flask app under gunicorn (THROUGHPUT_ARGS), each on SQLite and
# PostgreSQL; both run even if the first misses a target. See bench/README.md.
bench: $(STAMP) wrk-deps
	scripts/with-postgres $(BIN)/python -m bench.admin_stats $(BENCH_ARGS); admin=$$?; \
	scripts/with-postgres $(BIN)/python -m bench.throughput --write $(THROUGHPUT_ARGS); \
	pages=$$?; exit $$((admin || pages))

# Every page type at 375 and 1280 px into docs/screenshots/<page>-<width>.png, over data the
# script makes itself (scripts/screenshots.py; ONLY="admin-stats home" for some of them).
screenshots: $(STAMP) browser-deps
	$(BIN)/python scripts/screenshots.py $(if $(ONLY),--only $(ONLY))

messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k GiftSkip -k SpecError:2 -k Problem -k GiftTooLarge -k BankRefused -o lms/translations/messages.pot .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d lms/translations

clean:
	rm -rf $(VENV) build dist *.egg-info instance .pytest_cache node_modules
