# Two commands set up everything on a fresh Debian/Ubuntu machine:
#   make run    system packages, the .venv, then the app on the demo lecture
#   make test   the same set-up, then lint (ruff) and the whole suite headless (under Xvfb)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench setup system-deps sample clean

run: setup
	$(BIN)/transcript-player --demo

test: setup
	$(BIN)/python -m ruff check player tests bench scripts
	$(BIN)/python -m pytest

bench: setup
	if [ -n "$$DISPLAY" ]; then $(BIN)/python -m bench; else xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python -m bench; fi

setup: system-deps $(STAMP)

system-deps:
	@sh scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Regenerate the demo lecture (needs espeak-ng).
sample: setup
	$(BIN)/python scripts/make_sample.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

# The app on this user's desktop (Linux): launcher entry, icon, file types; `make uninstall` removes them.
.PHONY: install uninstall
install: setup
	@sh scripts/install-desktop.sh install "$(abspath $(BIN))/transcript-player"

uninstall:
	@sh scripts/install-desktop.sh uninstall
