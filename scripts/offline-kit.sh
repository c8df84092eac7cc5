#!/usr/bin/env bash
# Build the offline kit: dist/offline-kit/ (docgen's wheel, every wheel it needs for Windows x64 and Linux
# x86_64/aarch64 on Python 3.9–3.13, install.bat, install.sh, 安装说明.txt) and dist/offline-kit.zip.
# Needs the internet once, here; the kit then installs on machines that have none.
# Options go to tools/offline_kit.py build, e.g. --platform windows-x64 --python 3.11 for a smaller kit.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv dist/.kit-builder
dist/.kit-builder/bin/python -m pip install --quiet --upgrade pip packaging
dist/.kit-builder/bin/python tools/offline_kit.py build "$@"
