#!/usr/bin/env bash
# Golden outputs for refactoring: records what every command prints and draws on every shipped
# scene, or checks that a build still prints and draws exactly that.
#   bash bench/golden/run.sh record DIR   # before a restructuring
#   bash bench/golden/run.sh check DIR    # after each step: silent and exit 0 when identical
# Not part of `cargo test`: the model changes on purpose between releases; restructuring must not.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:?record or check}"; dir="${2:?folder}"
cargo build --release --quiet
bin="$PWD/target/release/earshot"
out="target/golden-out"   # a fixed relative path: commands print where they wrote
rm -rf "$out"; mkdir -p "$out"
run() { # name, then the command's arguments
    local name="$1"; shift
    "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err" || echo "exit $?" >>"$out/$name.err"
}
scenes=(
    "mayflower|scenes/mayflower-2016|Jeff Sessions|Sergey Kislyak|speech"
    "mayflower-r|scenes/mayflower-2016|Jeff Sessions|Sergey Kislyak|reception"
    "cni|scenes/cni-dinner-2016-05-23|Jeff Sessions|Sergey Kislyak|dinner"
    "wedding|scenes/wedding-banquet|Guest 040|Guest 041|dinner"
    "wedding-d|scenes/wedding-banquet|Bride|Groom|dancing"
    "lecture|scenes/lecture-hall|Lecturer|Student 001|lecture"
    "open|scenes/open-floor.csv|Person 01|Person 02|event"
)
for entry in "${scenes[@]}"; do
    IFS='|' read -r key scene a b phase <<<"$entry"
    run "$key-validate" validate "$scene"
    for f in text json; do
        run "$key-query-$f" query "$scene" "$a" "$b" --format "$f"
        run "$key-groups-$f" groups "$scene" --format "$f"
    done
    for f in text json csv; do run "$key-neighbors-$f" neighbors "$scene" "$a" --format "$f"; done
    for f in csv json; do run "$key-pairs-$f" pairs "$scene" --band all --format "$f"; done
    run "$key-pairs-within" pairs "$scene" --within 2
    run "$key-chart" chart "$scene" --phase "$phase" -o "$out/$key-chart.svg"
    run "$key-chart-focus" chart "$scene" --phase "$phase" --focus "$a" --focus "$b" -o "$out/$key-chart-focus.svg"
    run "$key-chart-groups" chart "$scene" --phase "$phase" --groups -o "$out/$key-chart-groups.svg"
    run "$key-heatmap" plot "$scene" heatmap --phase "$phase" -o "$out/$key-heatmap.svg"
    run "$key-decay" plot "$scene" decay --phase "$phase" -o "$out/$key-decay.svg"
done
for kind in stadium banquet reception groups; do
    run "generate-$kind" generate "$kind" --seats 3000 --seed 7 -o "$out/generate-$kind"
done
for bad in tests/bad/*; do run "bad-$(basename "$bad")" validate "$bad"; done
case "$mode" in
    record) rm -rf "$dir"; mkdir -p "$dir"; cp -r "$out"/* "$dir"/; echo "recorded $(ls "$dir" | wc -l) files in $dir" ;;
    check) diff -r "$dir" "$out" && echo "identical: $(ls "$out" | wc -l) files" ;;
    *) echo "mode: record or check" >&2; exit 2 ;;
esac
