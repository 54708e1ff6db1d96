#!/usr/bin/env bash
# Stadium-scale benchmark: earshot's pair search against scipy's cKDTree on the same points,
# and the full model on 10k, 100k and 1M seats. One command: `bash bench/run.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
if ! python3 -c "import scipy, numpy" 2>/dev/null; then
    echo "installing scipy and numpy with pip" >&2
    python3 -m pip install --quiet scipy numpy
fi
python3 bench/stadium.py "$@"
