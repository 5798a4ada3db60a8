# qualcode: `make demo` opens the sample project, `make test` runs the whole suite.
# Both create the virtual environment in .venv on first use; only Python 3.11+,
# pip and make are needed (PostgreSQL tests also need the server binaries).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench fuzz clean

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

# the fuzz tests with a large example budget (the normal suite runs 30 per test), then
# every property test with fresh random examples (the gate replays fixed ones)
fuzz: $(STAMP)
	QUALCODE_FUZZ_EXAMPLES=5000 QUALCODE_HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest tests/fuzz -q -p no:cacheprovider
	QUALCODE_HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -q -p no:cacheprovider $$(grep -rl 'from hypothesis import' tests --include='test_*.py')

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_coding

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
