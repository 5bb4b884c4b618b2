# Two commands do everything on a fresh machine: `make build` (or `make serve`) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build serve test lint bench clean distclean chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/stufen build

serve: $(STAMP)
	$(BIN)/stufen serve --watch

test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

# Browser tests use Debian's chromium; a fresh machine gets it here (apt lists refreshed only if needed).
chromium:
	test -x /usr/bin/chromium || apt-get install -y chromium chromium-driver || \
		(apt-get update && apt-get install -y chromium chromium-driver)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf _site .stufen-cache .stufen-serve

distclean: clean
	rm -rf $(VENV)
