#!/usr/bin/env bash
# Conversational groups on synthetic snapshots with known groups: earshot's detector against
# GCFF (its default stride 0.9 m and label cost 0.5 m²), with facing given, quantised to four
# directions, and ignored; on the easy snapshots and on hard ones made like real recordings.
# Parameters were tuned on seed 2; seeds 1 and 3 are held out. One command: bash bench/groups.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/earshot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| snapshots | seed | facing | method | F1 (T = 2/3) | F1 (T = 1) | precision (2/3) | recall (2/3) |\n|---|---|---|---|---|---|---|---|\n'
for seed in 1 2 3; do
    "$bin" generate groups --seats 30 --seed "$seed" -o "$tmp/easy$seed" 2>/dev/null
    "$bin" generate groups-hard --seats 30 --seed "$seed" -o "$tmp/hard$seed" 2>/dev/null
done
# hard: groups close together, two facing rows, noisy and (in half the snapshots) quantised
# facings, a tenth of the people missed; its facings are already quantised or not
for kind in easy hard; do
    for seed in 1 2 3; do
        for facing in given quantised ignored; do
            [ "$kind" = hard ] && [ "$facing" = quantised ] && continue
            for method in earshot gcff; do
                "$bin" groups "$tmp/$kind$seed" --format csv --facing "$facing" --method "$method" > "$tmp/pred.csv" 2>/dev/null
                "$bin" eval-groups "$tmp/pred.csv" "$tmp/$kind$seed/truth.csv" > "$tmp/eval.txt"
                t23=$(awk '$3 == "2/3" {print $6, $4, $5}' "$tmp/eval.txt")
                t1=$(awk '$3 == "1" {print $6}' "$tmp/eval.txt")
                set -- $t23
                note=""; [ "$seed" = 2 ] && [ "$kind" = easy ] && note=" (tuning)"
                printf '| %s | %s%s | %s | %s | %s | %s | %s | %s |\n' "$kind" "$seed" "$note" "$facing" "$method" "$1" "$t1" "$2" "$3"
            done
        done
    done
done
