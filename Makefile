# edgecalc: two commands do all the set-up on a fresh machine.
#   make app    create .venv if needed, install with the app extra, start the app
#   make test   create .venv if needed, install, run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APP_STAMP := $(VENV)/.installed-app
APP_PORT ?= 8501
export UV_COMPILE_BYTECODE := 1

.PHONY: app test test-browser bench lint format schema golden clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv

# the test extra includes the app extra, so a test install also serves the app
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[test]'
	touch $(STAMP) $(APP_STAMP)

$(APP_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[app]'
	touch $(APP_STAMP)

install: $(STAMP)

# the app on 127.0.0.1; when APP_PORT is taken it says so and moves to the next free port
app: $(APP_STAMP)
	$(BIN)/edgecalc app --port $(APP_PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -m "not browser" -p no:cacheprovider

test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

schema: $(STAMP)
	$(BIN)/edgecalc schema > schemas/scenario.schema.json
	$(BIN)/edgecalc schema --fragment > schemas/scenario-fragment.schema.json

golden: $(STAMP)
	$(BIN)/python -m pytest tests/test_golden.py --regen-golden -p no:cacheprovider

clean:
	rm -rf $(VENV) build *.egg-info
