#!/usr/bin/env bash
# Stadium-scale benchmark: earshot's pair search against scipy's cKDTree on the same points,
# and the full model on 10k, 100k and 1M seats; then the throughput cases (a quiet 10k bare CSV,
# loading and writing 1M rows, the 1M stadium), each against its reference with the ratio.
# One command: `bash bench/run.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
if ! python3 -c "import scipy, numpy, pandas" 2>/dev/null; then
    echo "installing scipy, numpy and pandas with pip" >&2
    python3 -m pip install --quiet scipy numpy pandas
fi
python3 bench/stadium.py "$@"
# the throughput cases, each against its reference (skipped when sizes are given)
if [ $# -eq 0 ]; then
    (cd bench && python3 throughput.py)
fi
