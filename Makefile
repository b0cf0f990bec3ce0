# Two commands on a fresh machine: `make demo` and `make test`. `make docs` builds the manual.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test docs docs-check lint deps lock bench clean browser spamassassin postgres axe

## The exact versions of everything (the package, its extras test, docs, screenshots and
## team, every platform) are in requirements/lock.txt, with their hashes: installed first,
## then the package itself without resolving anything again.
LOCK := requirements/lock.txt
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## After changing a dependency in pyproject.toml: write requirements/lock.txt again.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra test --extra docs --universal \
	  --generate-hashes --python-version 3.11 --custom-compile-command "make lock" \
	  --quiet -o $(LOCK)

## Set up and build the September 2025 sample issue (no keys, no network).
demo: $(STAMP)
	$(BIN)/newsletter build issues/2025-09-regional-update.yaml
	$(BIN)/newsletter publish --all
	$(BIN)/newsletter check issues/2025-09-regional-update.yaml --no-links || true
	$(BIN)/newsletter lists

## Set up (Chromium, SpamAssassin and PostgreSQL included) and run the whole test suite.
test: $(STAMP) browser spamassassin postgres axe docs-check deps
	$(BIN)/ruff check newsletter_cli tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/pytest -q

## The manual (docs/, mkdocs.yml): regenerate the command reference, build into docs-site/.
DOCS_ENV := NO_MKDOCS_2_WARNING=1
docs: $(STAMP)
	$(BIN)/cog -r -I docs docs/reference/cli.md
	$(DOCS_ENV) $(BIN)/mkdocs build --strict

## The command reference matches the commands, and the manual builds with --strict.
docs-check: $(STAMP)
	$(BIN)/cog --check -I docs docs/reference/cli.md
	$(DOCS_ENV) $(BIN)/mkdocs build --strict

## Debian's Chromium for the browser tests, installed when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { echo "Installing Debian's chromium for the browser tests"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## axe-core (npm, the version in tests/a11y/package-lock.json) for the browser tests'
## accessibility checks, installed into tests/a11y/node_modules/ when missing.
axe:
	@test -f tests/a11y/node_modules/axe-core/axe.min.js || \
	  { command -v npm >/dev/null 2>&1 || \
	    { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	      $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }; \
	    echo "Installing axe-core for the accessibility tests"; \
	    npm ci --prefix tests/a11y --no-audit --no-fund --silent; }

## Debian's SpamAssassin for the spam-score test (local rules, no network), installed when missing.
spamassassin:
	@command -v spamassassin >/dev/null 2>&1 || \
	  { echo "Installing Debian's spamassassin for the spam-score test"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -qq --no-install-recommends spamassassin >/dev/null; }

## Debian's PostgreSQL for the shared-journal tests (each run starts its own throwaway
## cluster; no server is left running), installed when missing.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  { echo "Installing Debian's postgresql for the shared-journal tests"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; }

lint: $(STAMP) deps
	$(BIN)/ruff check newsletter_cli tests benchmarks
	$(BIN)/lint-imports

## Every import declared in pyproject.toml; the package imports nothing test-only.
deps: $(STAMP)
	$(BIN)/deptry .
	$(BIN)/deptry newsletter_cli --optional-dependencies-dev-groups test,docs

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build outbox site docs-site .newsletter tests/a11y/node_modules
