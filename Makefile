# Two commands do everything on a fresh machine: `make build` (or `make serve`) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

STUFEN_FLAGS ?=
# Open Graph images need a font covering CJK titles: Droid Sans Fallback (1.8 MB).
CJK_FONT := /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf

.PHONY: build serve test lint bench clean distclean fonts

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium (never a downloaded browser).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	$(if $(filter 0,$(shell id -u)),,sudo) sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver'

build: $(STAMP)
	$(BIN)/stufen build $(STUFEN_FLAGS)

serve: $(STAMP)
	$(BIN)/stufen serve --watch

test: $(STAMP) $(CHROMIUM) fonts
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

# Every bench/*.py is a benchmark printing its own figures (reload.py needs Chromium);
# one failing does not stop the others, but fails the target at the end.
bench: $(STAMP) $(CHROMIUM)
	@status=0; for script in bench/*.py; do echo "== $$script"; \
	  $(BIN)/python $$script || status=1; done; exit $$status

fonts:
	@test -f $(CJK_FONT) || (apt-get install -y fonts-dejavu-core fonts-droid-fallback \
	  || (apt-get update && apt-get install -y fonts-dejavu-core fonts-droid-fallback))

clean:
	rm -rf _site .stufen-cache .stufen-serve

distclean: clean
	rm -rf $(VENV)
