#!/usr/bin/env bash
# The statistics analysis benchmark with DuckDB beside it: installs DuckDB from PyPI into a
# virtual environment under target/, then runs `cargo bench --bench analysis`, which generates
# 3.5 million values, times hromada's answers and runs the same questions in DuckDB on the same
# data (bench/duckdb_analysis.py).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/duckdb-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import duckdb" 2>/dev/null || "$venv/bin/pip" install -q "duckdb==1.1.3"
DUCKDB_PYTHON="$PWD/$venv/bin/python" cargo bench --bench analysis "$@"
