# Two commands do everything on a fresh machine: `make build` (or `make serve`) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

STUFEN_FLAGS ?=
# Open Graph images need a font covering CJK titles: Droid Sans Fallback (1.8 MB); emoji in titles
# are drawn in colour with Noto Color Emoji (11 MB), and left out of the card without it.
CJK_FONT := /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
FONT_PACKAGES := fonts-dejavu-core fonts-droid-fallback fonts-noto-color-emoji

.PHONY: build serve test lint bench clean distclean fonts java audit screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# System packages come from apt, only when missing; sudo only when not already root.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

# Browser tests drive Debian's Chromium (never a downloaded browser).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	$(SUDO) apt-get update -qq && $(APT_INSTALL) chromium chromium-driver

build: $(STAMP)
	$(BIN)/stufen build $(STUFEN_FLAGS)

serve: $(STAMP)
	$(BIN)/stufen serve --watch

test: $(STAMP) $(CHROMIUM) fonts java
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts

# Every bench/*.py is a benchmark printing its own figures (reload.py needs Chromium); bench/run.py runs
# them one after the other: one failing does not stop the others, but fails the target at the end.
# `make bench ARGS="builds reload"` runs only those.
bench: $(STAMP) $(CHROMIUM)
	$(BIN)/python bench/run.py $(ARGS)

fonts:
	@(test -f $(CJK_FONT) && test -f $(EMOJI_FONT)) || $(APT_INSTALL) $(FONT_PACKAGES) \
	  || ($(SUDO) apt-get update -qq && $(APT_INSTALL) $(FONT_PACKAGES))

# The Nu HTML Checker (tests/browser/test_html_valid.py) runs on Java.
java:
	@command -v java >/dev/null || $(APT_INSTALL) default-jre-headless \
	  || ($(SUDO) apt-get update -qq && $(APT_INSTALL) default-jre-headless)

# Lighthouse from npm, driving Debian's Chromium, on home, the seed post and a tag page.
LIGHTHOUSE := .audit/node_modules/.bin/lighthouse
$(LIGHTHOUSE):
	@command -v npm >/dev/null || $(APT_INSTALL) npm || ($(SUDO) apt-get update -qq && $(APT_INSTALL) npm)
	mkdir -p .audit && npm install --silent --no-save --no-audit --no-fund --prefix .audit lighthouse@12

audit: $(STAMP) $(CHROMIUM) $(LIGHTHOUSE)
	$(BIN)/python scripts/audit.py $(LIGHTHOUSE)

screenshots: $(STAMP) $(CHROMIUM) fonts
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf _site .stufen-cache .stufen-serve .stufen-serve.lock

distclean: clean
	rm -rf $(VENV)
