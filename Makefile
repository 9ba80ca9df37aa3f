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
# Same CPU code paths for numpy and OpenBLAS on every x86-64 machine (see the file): imported at start-up.
CPU_PIN := $(VENV)/.cpu_pin

# JupyterLab refuses to run as root unless told it may (CI and containers run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# One BLAS thread for tests: on 2 cores shared with the kernel, JupyterLab and Chromium, BLAS threads
# cost more than they save, and a fixed thread count keeps stored notebook numbers identical.
SERIAL_BLAS := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

.PHONY: lab test browser-deps cjk-font clean-venv

$(STAMP): requirements.txt pyproject.toml
	@./tools/setup/ensure-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $(STAMP)

$(SERVER_CONFIG): tools/setup/jupyter_server_config.py $(STAMP)
	install -D -m 644 $< $@

# Installed after the venv exists, so SITE is read afresh by a sub-make.
$(CPU_PIN): tools/cpu_pin.py $(STAMP)
	@site=$$($(BIN)/python -c "import sysconfig; print(sysconfig.get_path('purelib'))"); \
	install -m 644 tools/cpu_pin.py "$$site/_dlfs_cpu_pin.py" && \
	echo "import _dlfs_cpu_pin" > "$$site/_dlfs_cpu_pin.pth" && touch $@

lab: $(STAMP) $(SERVER_CONFIG) $(CPU_PIN) cjk-font
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

# ruff (code and notebooks), unit/property/dataset/browser tests, then strict nbval over every notebook.
test: $(STAMP) $(SERVER_CONFIG) $(CPU_PIN) browser-deps
	$(BIN)/ruff check .
	$(SERIAL_BLAS) $(BIN)/python -m pytest --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks

browser-deps:
	@./tools/setup/ensure-chromium.sh

# The Chinese notebooks' figures need a CJK font (see the script; never fails: English needs none).
cjk-font:
	@./tools/setup/ensure-cjk-font.sh

clean-venv:
	rm -rf $(VENV)
