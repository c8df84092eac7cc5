#!/usr/bin/env bash
# Quick start 2: set up everything (Python packages and the Debian packages the tests need), then run
# the linters and the whole test suite. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python tools/build_template.py --check
.venv/bin/python -m pytest "$@"
