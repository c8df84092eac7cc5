#!/usr/bin/env bash
# Quick start 1: set up docgen in .venv and render the example report.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet .
.venv/bin/docgen render examples/2021-baode.toml
