#!/usr/bin/env bash
# Build the project's virtual environment from scratch: called by `make` when .venv is missing or
# older than requirements.txt / pyproject.toml, so a stale environment never hides a changed pin.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

# The one supported range, stated once here, in pyproject.toml and in the README: Python 3.11 or newer
# (numpy 2.4 and matplotlib 3.11, pinned in requirements.txt, need 3.11).
how="Install Python 3.11 or newer (python.org, your system's package manager, or pyenv) and run make again, or point make at it: make PYTHON=python3.11"
if ! command -v "$python" >/dev/null; then
    echo "error: $python not found. $how" >&2
    exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: $python is Python $("$python" -c 'import platform; print(platform.python_version())'); this project needs 3.11 or newer. $how" >&2
    exit 1
fi

rm -rf "$venv"
if ! "$python" -m venv "$venv" 2>/dev/null; then
    # Debian ships venv support separately (python3-venv); install it when we are allowed to.
    rm -rf "$venv"
    pkg="python3-venv"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -q && apt-get install -y -q "$pkg"
    elif command -v sudo >/dev/null; then
        sudo apt-get update -q && sudo apt-get install -y -q "$pkg"
    else
        echo "error: '$python -m venv' failed; install the $pkg package and run make again." >&2
        exit 1
    fi
    "$python" -m venv "$venv"
fi
echo "created $venv with $("$venv/bin/python" --version)"
