# Short commands; each one sets up .venv by itself on first run.
PYTHON ?= python3
VENV_PY := .venv/bin/python
# Locks hold exact versions and hashes for every platform and Python 3.11+; --upgrade takes the newest allowed.
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --upgrade --quiet

.PHONY: site serve cms test lint format golden bench lock clean help

help:  ## list the commands
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

site:  ## build the site into site/
	$(PYTHON) build.py

PORT ?= 8000

serve:  ## live preview on http://127.0.0.1:8000 (another port: make serve PORT=8001)
	$(PYTHON) build.py serve --port $(PORT)

cms:  ## the preview with the web editor at http://127.0.0.1:8000/admin/ (installs it with npm once)
	@cmp -s cms/package-lock.json cms/node_modules/.installed-lock || (cd cms && npm ci --no-audit --no-fund \
		--loglevel=error && cp package-lock.json node_modules/.installed-lock)
	$(PYTHON) build.py serve --cms --port $(PORT)

test:  ## run the whole test suite (installs Chromium, Java and axe-core if root and missing)
	$(PYTHON) -m sitegen.bootstrap test
	@sh tests/ensure-tools.sh
	$(VENV_PY) -m pytest

lint:  ## ruff checks and formatting
	$(PYTHON) -m sitegen.bootstrap test
	$(VENV_PY) -m ruff check sitegen tests build.py
	$(VENV_PY) -m ruff format --check sitegen tests build.py
	$(VENV_PY) -m mypy

format:  ## rewrite the Python files the way `make lint` wants them
	$(PYTHON) -m sitegen.bootstrap test
	$(VENV_PY) -m ruff format sitegen tests build.py
	$(VENV_PY) -m ruff check --fix sitegen tests build.py

golden:  ## rewrite the golden HTML files after a deliberate change (review the diff!)
	$(PYTHON) -m sitegen.bootstrap test
	SITEGEN_UPDATE_GOLDEN=1 $(VENV_PY) -m pytest tests/test_golden.py

bench:  ## time builds beside Hugo on generated pages (apt-get install hugo for its column)
	$(PYTHON) -m sitegen.bootstrap
	$(VENV_PY) bench/run.py --sizes 200 2000 --runs 3

clean:  ## remove site/ and the caches (not .venv)
	rm -rf site .cache .pytest_cache .ruff_cache .hypothesis

lock:  ## write requirements/*.txt anew from pyproject.toml's ranges (newest versions; review, then commit)
	$(PYTHON) -m sitegen.bootstrap test
	$(VENV_PY) -m uv pip compile pyproject.toml --extra test $(LOCK_FLAGS) -o requirements/test.txt
	$(VENV_PY) -m uv pip compile pyproject.toml --constraints requirements/test.txt $(LOCK_FLAGS) -o requirements/run.txt
