#!/usr/bin/env bash
# `earshot groups --smooth N` on the converted F-formation sets: each person's facing averaged
# over N annotated frames before and after (continuous facings only; quarter turns are left
# alone). Reported apart from the single-frame table, since the benchmarks are single frames.
#   bash bench/fformation/smooth.sh SETS_DIR
# SETS_DIR is what bench/fformation/run.sh converts into ($FFORMATION_WORK/sets).
set -euo pipefail
cd "$(dirname "$0")/../.."
sets="${1:?usage: bash bench/fformation/smooth.sh SETS_DIR (the converted sets of run.sh)}"
cargo build --release --quiet
bin="$PWD/target/release/earshot"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
names=$(ls "$sets")
printf '| --smooth |'; for n in $names; do printf ' %s |' "$n"; done; printf ' mean |\n|---|'
for n in $names; do printf -- '---|'; done; printf -- '---|\n'
for sm in 0 1 2 3 4; do
    printf '| %s |' "$sm"
    total=0
    for n in $names; do
        "$bin" groups "$sets/$n/people.csv" --format csv --smooth "$sm" > "$tmp/p.csv" 2>/dev/null
        f=$("$bin" eval-groups "$tmp/p.csv" "$sets/$n/truth.csv" | awk '$1 == "T" && $3 == "2/3" {print $6}')
        total=$(python3 -c "print($total + $f)")
        printf ' %s |' "$f"
    done
    python3 -c "print(f' {$total / $(echo $names | wc -w):.3f} |')"
done
