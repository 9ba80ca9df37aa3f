#!/usr/bin/env bash
# Build the project's virtual environment from scratch: called by `make` when .venv is missing or
# older than requirements.txt / pyproject.toml, so a stale environment never hides a changed pin.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

if ! command -v "$python" >/dev/null; then
    echo "error: $python not found; install Python 3.10 or newer first." >&2
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
