PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run serve static test test-postgres lint format check messages bench bench-load clean system icu voikko browser graphviz postgres axe \
	opensearch opensearch-stop test-opensearch

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.app: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.app

# axe-core, the accessibility checker the reader-page browser tests run, from npm at the pinned version.
axe: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# The demo runs with DEBUG off (the site's own error pages); DJANGO_DEBUG=1 make run turns it on.
# The demo site's address is where runserver listens, so that its links carry the port.
RUN_ADDRESS ?= 127.0.0.1:8000
run: $(VENV)/.app
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo --if-empty --address $(RUN_ADDRESS)
	@echo "Esseepankki: http://$(RUN_ADDRESS)/  (admin: http://$(RUN_ADDRESS)/admin/)"
	$(PY) manage.py runserver $(RUN_ADDRESS)

# Production settings hash static file names from the manifest collectstatic writes; without it
# every page fails. Needs the production environment (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS).
PRODUCTION := DJANGO_SETTINGS_MODULE=essaybank.settings.production
static: $(VENV)/.app
	$(PRODUCTION) $(PY) manage.py collectstatic --no-input --verbosity 0

# The site as production runs it, behind a reverse proxy that terminates TLS: collectstatic,
# migrate, then gunicorn with several workers; WhiteNoise serves /static/, the database is
# DATABASE_URL (docs/operations.md).
BIND ?= 127.0.0.1:8000
WORKERS ?= 3
serve: static
	$(PRODUCTION) $(PY) manage.py migrate --no-input
	$(PRODUCTION) $(VENV)/bin/gunicorn essaybank.wsgi:application --preload --workers $(WORKERS) --bind $(BIND) \
		--access-logfile -

# PYTEST_ARGS narrows a run, e.g. PYTEST_ARGS="-m 'not browser'" leaves out the Chromium tests.
PYTEST_ARGS ?=
test: $(VENV)/.test node_modules/axe-core/axe.min.js
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.test node_modules/axe-core/axe.min.js postgres
	DATABASE_URL=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates community/templates originality/templates

format: $(VENV)/.test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates community/templates originality/templates

check: $(VENV)/.test
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SECRET_KEY=ci-check-$$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9') DJANGO_ALLOWED_HOSTS=esseepankki.example \
		$(PY) manage.py check --deploy --fail-level WARNING --settings=essaybank.settings.production

messages: $(VENV)/.test
	$(PY) manage.py makemessages --locale fi --ignore '$(VENV)/*'
	$(PY) manage.py compilemessages --locale fi --ignore '$(VENV)/*'

# Stale package lists make apt-get install fail; they are refreshed once and the install retried.
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
apt_install = { $(APT_INSTALL) $(1) >/dev/null 2>&1 || { apt-get update -qq >/dev/null && $(APT_INSTALL) $(1) >/dev/null; }; }
# Debian packages $(1) installed unless present, where apt-get can (as root); otherwise says $(2).
system_packages = dpkg -s $(1) >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	$(call apt_install,$(1)); } || echo "$(2)"

# Debian packages the suite uses when present; .ci/run installs them, make test does not.
system: icu voikko browser graphviz

# PyICU (Finnish alphabetical order) has no wheels: pip builds it against Debian's ICU.
icu:
	-@$(call system_packages,libicu-dev pkg-config g++ python3-dev,libicu-dev not installed: pip cannot build PyICU)

# The C Voikko library is faster than pyvoikko and preferred when present; without it search runs
# on pyvoikko from requirements.txt.
voikko:
	-@$(call system_packages,libvoikko1 voikko-fi,libvoikko not installed: search uses pyvoikko)

# Debian's Chromium and its driver run the search box's browser tests; without them those tests are
# skipped (in CI, with CI set, they fail).
browser:
	-@$(call system_packages,chromium chromium-driver,chromium not installed: the browser tests are skipped)

# Graphviz lays out the concept map; without it the concept pages show the list of concepts only.
graphviz:
	-@$(call system_packages,graphviz,graphviz not installed: the concept map is left out)

# PostgreSQL on 127.0.0.1:5432 for the suite: started (and installed) only where none answers.
postgres:
	@scripts/postgres.sh test

# An OpenSearch cluster on 127.0.0.1 from Maven Central (OPENSEARCH_NODES, default 1), green, its URL
# printed; the site searches it when OPENSEARCH_URL is set.
opensearch:
	@scripts/opensearch.sh start

opensearch-stop:
	@scripts/opensearch.sh stop

# The search suite with the search on the one-node cluster of `make opensearch` (a third backend
# beside SQLite and PostgreSQL; the database is SQLite).
test-opensearch: $(VENV)/.test opensearch
	OPENSEARCH_URL=http://127.0.0.1:$$(( $${OPENSEARCH_PORT:-9200} + 1 )) $(PY) -m pytest tests/search

# Not part of CI: builds 10 000 and 100 000 essays and times the search on SQLite, on PostgreSQL and
# (the SQLite essays indexed into the cluster of `make opensearch`) on OpenSearch, writing
# bench/results-<sqlite|postgresql|opensearch>.md; then imports 10 000 generated essays with both
# importers on SQLite and PostgreSQL (bench/results-imports.md); then times the originality check
# against 100 000 essays (bench/results-originality-sqlite.md); then the load test (bench-load).
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/bench_imports
BENCH_SEARCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/bench
bench: $(VENV)/.test postgres opensearch
	-@dpkg -s libreoffice-help-fi >/dev/null 2>&1 || $(call apt_install,libreoffice-help-fi)
	$(PY) -m bench.search $(BENCH_ARGS)
	DATABASE_URL=$(BENCH_SEARCH_PG_URL) $(PY) -m bench.search $(BENCH_ARGS)
	$(PY) -m bench.search --backend opensearch --reuse \
		--opensearch-url http://127.0.0.1:$$(( $${OPENSEARCH_PORT:-9200} + 1 )) $(BENCH_ARGS)
	$(PY) -m bench.imports --postgres $(BENCH_PG_URL) $(IMPORT_BENCH_ARGS)
	$(PY) -m bench.originality $(ORIGINALITY_BENCH_ARGS)
	$(PY) -m bench.load $(LOAD_ARGS)

# The load test alone: locust, headless, at 10, 50 and 200 users against make serve on PostgreSQL and
# the one-node cluster, the development server on SQLite, and one static file (bench/results-load.md).
bench-load: $(VENV)/.test postgres
	-@dpkg -s libreoffice-help-fi >/dev/null 2>&1 || $(call apt_install,libreoffice-help-fi)
	$(PY) -m bench.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .ruff_cache
