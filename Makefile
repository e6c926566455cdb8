# Every target makes .venv when it is missing and installs the package with its test extras.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast coverage screenshots serve bench clean

# The fast tier: everything but the Textual snapshots and Pilot tests, the browser test and the
# benchmark smoke test. .ci/run runs it on the other Python versions (3.11-3.13) it finds.
FAST := --ignore=tests/tui --ignore=tests/test_web.py --ignore=tests/test_bench_smoke.py

# The venv starts without pip, and $(PYTHON)'s own pip (its --python option, pip 22.3+) puts today's
# pip in it: a venv's bundled pip took ~7 s to install, only to be replaced. Where $(PYTHON) has
# no pip of its own, the bundled one comes first, then today's.
$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet --upgrade pip 2>/dev/null \
		|| { $(BIN)/python -m ensurepip && $(BIN)/python -m pip install --quiet --upgrade pip; }
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pollstui demo

serve: $(STAMP)
	$(BIN)/pollstui serve --seed

# The tests' Pythons cache bytecode (__pycache__, git-ignored) even where the environment sets
# PYTHONDONTWRITEBYTECODE: the suite starts about a hundred `python -m pollstui` processes besides
# its workers, and compiling pollstui afresh in each cost most of their CPU time. COMPILE writes
# that cache once before the workers start (in a fresh clone they each compiled all of pollstui
# at once; a no-op when the cache is current).
# TEXTUAL_ANIMATIONS=none: the apps under test draw no animation frames, 60 a second while a test
# waits (a tenth of the TUI tests' CPU time); the tests of an animation turn it on for their app.
# --dist worksteal: a worker whose tests are done takes some from a busy one, so all end together.
TESTENV := PYTHONDONTWRITEBYTECODE= TEXTUAL_ANIMATIONS=none
COMPILE := $(BIN)/python -m compileall -q pollstui
PYTEST := $(TESTENV) $(BIN)/python -m pytest -q -n auto --dist worksteal

# Layers first (seconds), then the suite spread over the machine's cores (-n auto: two workers
# per core, see tests/conftest.py).
test: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(COMPILE)
	$(PYTEST)

# The suite with the line coverage of pollstui/ (kept out of `make test`, which it would slow).
coverage: $(STAMP)
	$(COMPILE)
	$(PYTEST) --cov=pollstui --cov-report=term-missing:skip-covered

test-fast: $(STAMP)
	$(COMPILE)
	$(PYTEST) $(FAST)

screenshots: $(STAMP)
	$(BIN)/python -m pollstui.tui.screenshots screenshots

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .venv-3.* .venv-client .pytest_cache
