# Two commands for a fresh machine (see README.md):
#   make lab    set everything up, then open JupyterLab on notebooks/
#   make test   set everything up, then run every check CI runs
# Both build .venv from requirements.txt when it is missing or older than requirements.txt / pyproject.toml.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The project's JupyterLab server setting (see the file): read by every jupyter started from .venv.
SERVER_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.py

# JupyterLab refuses to run as root unless told it may (CI and containers run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# One BLAS thread for tests: on 2 cores shared with the kernel, JupyterLab and Chromium, BLAS threads
# cost more than they save, and a fixed thread count keeps stored notebook numbers identical.
SERIAL_BLAS := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
# pytest workers (pytest-xdist): one per core, at most 4 (each notebook starts a kernel, each browser test
# a Chromium). --dist loadfile keeps every file, so every notebook's cells, in one worker, in order;
# notebooks/ first, as the longest files, so that no worker is left finishing one long notebook alone.
JOBS := $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

.PHONY: lab test browser-deps cjk-font clean-venv

$(STAMP): requirements.txt pyproject.toml
	@./tools/setup/ensure-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $(STAMP)

$(SERVER_CONFIG): tools/setup/jupyter_server_config.py $(STAMP)
	install -D -m 644 $< $@

lab: $(STAMP) $(SERVER_CONFIG) cjk-font
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

# ruff (code and notebooks), unit/property/dataset/browser tests, then strict nbval over every notebook.
test: $(STAMP) $(SERVER_CONFIG) browser-deps
	$(BIN)/ruff check .
	$(SERIAL_BLAS) $(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg notebooks tests

browser-deps:
	@./tools/setup/ensure-chromium.sh

# The Chinese notebooks' figures need a CJK font (see the script; never fails: English needs none).
cjk-font:
	@./tools/setup/ensure-cjk-font.sh

clean-venv:
	rm -rf $(VENV)
