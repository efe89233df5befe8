# Two commands on a fresh clone: `make demo` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The screens again with Debian / Raspberry Pi OS Bookworm's Pillow (python3-pil 9.4, FreeType 2.12),
# which install.sh takes from apt on a Pi: same layout, glyph edges only (tests/golden.py).
BOOKWORM_VENV  := .venv-pillow-9.4
BOOKWORM_STAMP := $(BOOKWORM_VENV)/.installed
BOOKWORM_TESTS := tests/test_screens.py tests/test_screens_parts.py tests/test_screens_layout.py \
	tests/test_routine_screens.py tests/test_screen_turns.py tests/test_morning_screens.py \
	tests/test_night_screens.py tests/test_pages.py tests/test_panel_writer.py tests/test_luma_display.py \
	tests/test_virtual_panel.py tests/test_content_fits.py tests/test_golden_check.py

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(BOOKWORM_STAMP): pyproject.toml
	$(PYTHON) -m venv $(BOOKWORM_VENV)
	$(BOOKWORM_VENV)/bin/pip install --quiet --upgrade pip
	$(BOOKWORM_VENV)/bin/pip install --quiet 'pillow==9.4.0' -e '.[test]'
	touch $(BOOKWORM_STAMP)

demo: $(STAMP)
	$(BIN)/psoas demo --speed 20

test: $(STAMP) $(BOOKWORM_STAMP)
	$(BIN)/python -m pytest
	$(BOOKWORM_VENV)/bin/python -m pytest -m 'not systemd and not arm' $(BOOKWORM_TESTS)

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(BOOKWORM_VENV) build *.egg-info
