#!/usr/bin/env bash
# Validates earshot's acoustic score against simulated rooms and writes docs/validation.md.
# One command from a clean clone: bash bench/acoustics/run.sh  (about two minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -c "import pyroomacoustics, scipy, numpy" 2>/dev/null \
    || python3 -m pip install --quiet pyroomacoustics scipy numpy
cargo build --release --quiet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 bench/acoustics/validate.py target/release/earshot docs/validation.md "$work"
echo "wrote docs/validation.md"
