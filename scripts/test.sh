#!/usr/bin/env bash
# Quick start 2: set up everything (Python packages and the Debian packages the tests need), then run the
# linters and the whole test suite on every core (pytest-xdist), on this machine's python3 and again on the
# oldest Python docgen supports (3.9). CI runs exactly this (.ci/run).
#
#   bash scripts/test.sh              the full run, as CI makes it (both Pythons)
#   bash scripts/test.sh --quick      the everyday run: the linters and the suite on python3 only
#
# The second run leaves out the tests marked `once` (pyproject.toml says why). Further arguments go to pytest
# (bash scripts/test.sh --quick -k audit). Each run of the suite ends with its wall time, and the whole run
# with its own.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
if [ "${1:-}" = "--quick" ]; then
    quick=true
    shift
fi
started=$SECONDS
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# A virtual environment VENV made with PYTHON, holding docgen and its test tools.
setup() {
    "$2" -m venv "$1"
    "$1/bin/python" -m pip install --quiet --upgrade pip
    "$1/bin/python" -m pip install --quiet -e '.[test]'
}

# Waits for a set-up started in the background; its output is shown only when it failed.
finish() {
    if ! wait "$1"; then
        cat "$2" >&2
        echo "准备测试环境失败（见上）" >&2
        exit 1
    fi
}

# The suite on every core, then how long it took.
suite() {
    local python=$1 began=$SECONDS
    shift
    # loadgroup: tests sharing a costly module fixture (the offline kit) stay on one worker, the rest spread.
    "$python" -m pytest -n auto --dist loadgroup "$@"
    echo "测试用时（$("$python" --version)）：$((SECONDS - began)) 秒"
}

# The oldest Python docgen supports. (pyenv's shims answer `command -v python3.9` even when they cannot run
# it, so each candidate must run.)
oldest_python() {
    for candidate in "$HOME"/.pyenv/versions/3.9*/bin/python python3.9; do
        if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 9))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
}

# Debian's packages and PyPI's are fetched side by side: neither waits for the other's downloads.
bash scripts/system-deps.sh >"$logs/system.log" 2>&1 &
system=$!
setup .venv python3
finish "$system" "$logs/system.log"
cat "$logs/system.log" >&2

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python tools/build_template.py --check

oldest=""
if ! $quick; then
    oldest=$(oldest_python)
    if [ -z "$oldest" ] && [ "${CI:-}" = true ]; then
        echo "CI 需要 Python 3.9（最低支持版本）来运行测试，但没有找到" >&2
        exit 1
    fi
    if [ -n "$oldest" ]; then  # set up while the first run goes on
        setup .venv-py39 "$oldest" >"$logs/py39.log" 2>&1 &
        py39=$!
    fi
fi

suite .venv/bin/python "$@"

if [ -n "$oldest" ]; then
    finish "$py39" "$logs/py39.log"
    echo "Python 3.9：不重复标记为 once 的测试（LibreOffice、Chromium 和文字识别对整份文档的读取，已在上面运行）"
    suite .venv-py39/bin/python -m "not once" "$@"
elif ! $quick; then
    echo "注意：没有找到 Python 3.9，测试只在 $(.venv/bin/python --version) 上运行" >&2
fi
echo "全部用时：$((SECONDS - started)) 秒"
