#!/usr/bin/env bash
# Groups on the public F-formation benchmarks (research use only: nothing fetched or derived
# lands in this repository). One command, where the data set is on this machine:
#   bash bench/fformation/run.sh [DATASET]
# DATASET is a checkout of github.com/vrichter/group-assignment-datasets, or its git directory
# (the `fetch` tool's /work/.mirror/vrichter+group-assignment-datasets/repo). Writes the table
# to stdout (Markdown); converted frames and predictions go to $FFORMATION_WORK (default: a temporary
# folder). F1 as `earshot eval-groups` computes it (per-frame precision and recall, averaged;
# singletons ignored), at T = 2/3 and T = 1.
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${1:-${FFORMATION_DATA:-/work/.mirror/vrichter+group-assignment-datasets/repo}}"
if [ ! -d "$data" ]; then
    echo "no data set at $data: fetch github.com/vrichter/group-assignment-datasets (research-only" >&2
    echo "licences; never commit it) and give its path: bash bench/fformation/run.sh PATH" >&2
    exit 2
fi
python3 -c "import scipy, numpy" 2>/dev/null || python3 -m pip install --quiet scipy numpy
cargo build --release --quiet
bin="$PWD/target/release/earshot"
work="${FFORMATION_WORK:-$(mktemp -d)}"
mkdir -p "$work"
src="$data"
if [ ! -d "$data/data/octave" ]; then
    # a bare git directory: take the files out of its newest commit
    src="$work/src"
    mkdir -p "$src"
    git --git-dir="$data" archive HEAD data/octave | tar -x -C "$src"
fi
python3 bench/fformation/convert.py "$src" "$work/sets"
python3 bench/fformation/tune.py "$bin" "$work/sets" "$work/runs"
