#!/usr/bin/env bash
# Quick start 2: set up everything (Python packages and the Debian packages the tests need), then run
# the linters and the whole test suite. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# A virtual environment VENV made with PYTHON, holding docgen and its test tools.
setup() {
    "$2" -m venv "$1"
    "$1/bin/python" -m pip install --quiet --upgrade pip
    "$1/bin/python" -m pip install --quiet -e '.[test]'
}

bash scripts/system-deps.sh
setup .venv python3

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python tools/build_template.py --check
.venv/bin/python -m pytest "$@"

# docgen supports Python 3.9–3.13: the suite runs again on the oldest (this machine image keeps it under pyenv).
# (pyenv's shims answer `command -v python3.9` even when they cannot run it, so each candidate must run.)
oldest=""
for candidate in "$HOME"/.pyenv/versions/3.9*/bin/python python3.9; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 9))' 2>/dev/null; then
        oldest=$candidate
        break
    fi
done
if [ -z "$oldest" ]; then
    if [ "${CI:-}" = true ]; then
        echo "CI 需要 Python 3.9（最低支持版本）来运行测试，但没有找到" >&2
        exit 1
    fi
    echo "注意：没有找到 Python 3.9，测试只在 $(.venv/bin/python --version) 上运行" >&2
    exit 0
fi
setup .venv-py39 "$oldest"
.venv-py39/bin/python -m pytest "$@"
