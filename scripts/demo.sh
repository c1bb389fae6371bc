#!/usr/bin/env bash
# Set up a virtual environment (.venv) and run the main job: `tthc demo` on the embedded SQLite store.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[all]'
.venv/bin/tthc demo "$@"
