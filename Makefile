# QualCode: `make run` opens the GUI on the sample project, `make test` runs every test.
# Both create .venv and install the project into it first (again only when pyproject.toml changed).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   ?= demo.qualcode

.PHONY: run test bench bench-quick sample install clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("QualCode needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The demo project is built when missing, never overwritten: it may hold your own practice coding.
$(DEMO): | $(STAMP)
	$(BIN)/qualcode sample $(DEMO)

sample: $(STAMP)
	rm -f $(DEMO) $(DEMO)-wal $(DEMO)-shm $(DEMO).lock
	$(BIN)/qualcode sample $(DEMO)

run: $(STAMP) | $(DEMO)
	$(BIN)/python main.py $(DEMO)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

clean:
	rm -rf $(VENV) .pytest_cache bench/results.json
