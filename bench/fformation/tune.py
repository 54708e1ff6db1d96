#!/usr/bin/env python3
"""Leave-one-set-out tuning of earshot's group detector on the converted F-formation sets.

For each parameter set on a small grid, `earshot groups --set ...` runs on every set and
`earshot eval-groups` scores it (F1 at T = 2/3, per-frame averages). For each set in turn the
parameters with the best mean F1 over the *other* sets are chosen and reported on the one left
out; the parameters best over all sets are reported too (what would ship).

Prints the table in Markdown.

Usage: python3 tune.py EARSHOT SETS_DIR WORK_DIR
"""
import itertools
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

# hearing (shouting or all) and empty_ospace (true or false) were on the grid until session 9:
# every choice, over all sets and with each left out, was shouting and false, so they stay at
# those defaults and the grid makes room for the rule of people standing together apart
# (apart_span_m 0 turns it off; apart_link_m stays at 2.0 m: 1.6 m was never chosen)
GRID = {
    "near_m": [0.2, 0.35, 0.5],
    "far_m": [0.7, 0.85, 1.0, 1.3],
    "mdl_m2": [0.8, 1.2, 1.8, 2.5, 4.0],
    "apart_span_m": [0, 2.0, 2.2, 2.5],
    "apart_grow_m": [0, 0.1, 0.2],
}


def score(binary, pred, truth):
    out = subprocess.run([binary, "eval-groups", pred, truth], capture_output=True, text=True, check=True).stdout
    f = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[0] == "T":
            f[parts[2]] = float(parts[5])
    return f["2/3"], f["1"]


def run(binary, sets_dir, work, name, combo):
    tag = "-".join(str(v) for v in combo.values())
    pred = os.path.join(work, f"{name}-{tag}.csv")
    args = [binary, "groups", os.path.join(sets_dir, name, "people.csv"), "--format", "csv"]
    for k, v in combo.items():
        args += ["--set", f"{k}={v}"]
    with open(pred, "w") as fh:
        subprocess.run(args, stdout=fh, stderr=subprocess.DEVNULL, check=True)
    return score(binary, pred, os.path.join(sets_dir, name, "truth.csv"))


def main():
    binary, sets_dir, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    names = sorted(os.listdir(sets_dir))
    combos = [dict(zip(GRID, values)) for values in itertools.product(*GRID.values())]
    combos = [c for c in combos if c["near_m"] <= c["far_m"]]
    # with the rule off its growth does not matter
    combos = [c for c in combos if c["apart_span_m"] > 0 or c["apart_grow_m"] == GRID["apart_grow_m"][0]]
    jobs = [(n, i) for i in range(len(combos)) for n in names]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda j: run(binary, sets_dir, work, j[0], combos[j[1]]), jobs))
    f1 = {}
    for (n, i), r in zip(jobs, results):
        f1[(n, i)] = r

    def best(excluding=None):
        pool = [n for n in names if n != excluding]
        return max(range(len(combos)), key=lambda i: (sum(f1[(n, i)][0] for n in pool), -i))

    overall = best()
    fmt = lambda c: ", ".join(f"{k} = {v}" for k, v in c.items())

    def plain(name, extra, tag):
        pred = os.path.join(work, f"{name}-{tag}.csv")
        with open(pred, "w") as fh:
            subprocess.run([binary, "groups", os.path.join(sets_dir, name, "people.csv"), "--format", "csv"] + extra,
                           stdout=fh, stderr=subprocess.DEVNULL, check=True)
        return score(binary, pred, os.path.join(sets_dir, name, "truth.csv"))

    print("| set | annotated frames | shipped defaults, F1 (T = 2/3) | (T = 1) | leave-one-set-out, F1 (T = 2/3) | (T = 1) "
          "| GCFF, its own settings, F1 (T = 2/3) | (T = 1) |")
    print("|---|---|---|---|---|---|---|---|")
    means = {"shipped": [], "loso": [], "gcff": []}
    for n in names:
        with open(os.path.join(sets_dir, n, "settings.txt")) as fh:
            stride, mdl, frames = fh.read().split()
        shipped = plain(n, [], "shipped")
        gcff = plain(n, ["--method", "gcff", "--stride", stride, "--mdl", mdl], "gcff")
        loso = f1[(n, best(excluding=n))]
        print(f"| {n} | {frames} | {shipped[0]:.3f} | {shipped[1]:.3f} | {loso[0]:.3f} | {loso[1]:.3f} | {gcff[0]:.3f} | {gcff[1]:.3f} |")
        means["shipped"].append(shipped[0])
        means["loso"].append(loso[0])
        means["gcff"].append(gcff[0])
    mean = {k: sum(v) / len(v) for k, v in means.items()}
    grid_best = sum(f1[(n, overall)][0] for n in names) / len(names)
    print()
    print(f"Mean F1 at T = 2/3: shipped defaults {mean['shipped']:.3f}, the grid's best over all sets "
          f"{grid_best:.3f}, leave-one-set-out {mean['loso']:.3f}, GCFF with its own settings {mean['gcff']:.3f}.")
    print()
    print(f"Tuned on all sets (the grid's best by mean F1 at T = 2/3): {fmt(combos[overall])}.")
    print()
    print("Chosen when each set is left out:")
    print()
    for n in names:
        print(f"- {n}: {fmt(combos[best(excluding=n)])}")


if __name__ == "__main__":
    main()
