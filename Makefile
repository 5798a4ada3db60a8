# qualcode: `make demo` opens the sample project, `make test` runs the whole suite.
# Both create the virtual environment in .venv on first use; only Python 3.11+,
# pip and make are needed (PostgreSQL tests also need the server binaries).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/qualcode demo

test: $(STAMP)
	$(BIN)/lint-imports
	scripts/with-postgres.sh $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check qualcode tests benchmarks
	$(BIN)/ruff format --check qualcode tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_coding

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
