#!/usr/bin/env bash
# Lint, then run the test suite; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
ruff check .
python -m pytest -n auto "$@"
