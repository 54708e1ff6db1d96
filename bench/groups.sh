#!/usr/bin/env bash
# Conversational groups on synthetic snapshots with known groups: earshot's detector against
# GCFF's cost (same optimiser), with facing given, quantised to four directions, and ignored.
# Parameters were tuned on seed 2; seeds 1 and 3 are held out. One command: bash bench/groups.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/earshot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| seed | facing | method | F1 (T = 2/3) | F1 (T = 1) | precision (2/3) | recall (2/3) |\n|---|---|---|---|---|---|---|\n'
for seed in 1 2 3; do
    "$bin" generate groups --seats 30 --seed "$seed" -o "$tmp/s$seed" 2>/dev/null
    for facing in given quantised ignored; do
        for method in earshot gcff; do
            "$bin" groups "$tmp/s$seed" --format csv --facing "$facing" --method "$method" > "$tmp/pred.csv"
            "$bin" eval-groups "$tmp/pred.csv" "$tmp/s$seed/truth.csv" > "$tmp/eval.txt"
            t23=$(awk '$3 == "2/3" {print $6, $4, $5}' "$tmp/eval.txt")
            t1=$(awk '$3 == "1" {print $6}' "$tmp/eval.txt")
            set -- $t23
            note=""; [ "$seed" = 2 ] && note=" (tuning)"
            printf '| %s%s | %s | %s | %s | %s | %s | %s |\n' "$seed" "$note" "$facing" "$method" "$1" "$t1" "$2" "$3"
        done
    done
done
