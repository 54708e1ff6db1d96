"""Can each recording choose GCFF's settings itself? (An experiment for docs/groups.md; not shipped.)

For every set, `earshot groups --method gcff` runs over a grid of strides and label costs. Each
result is scored by the marginal likelihood of the recording under a simple model: a person's
focal point (the stride ahead) is Gaussian around their group's centre with one variance for
the whole recording, a group's centre and a singleton's focal point are uniform over the
room's area. The variance is fitted in closed form, so the model has no parameter of its own.
The grid point with the highest likelihood is the recording's own choice; its F1 at T = 2/3 is
printed beside GCFF's per-set settings and the best grid point (an oracle).

usage: python3 bench/fformation/likelihood.py SETS_DIR   (the folder run.sh converts into)
"""
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
EARSHOT = os.environ.get("EARSHOT", os.path.join(HERE, "..", "..", "target", "release", "earshot"))
SETS = "CocktailParty CoffeeBreak-Seq1 CoffeeBreak-Seq2 GDet-S1 GDet-S2 GDet-S3 GDet-S5 GDet-S6 Synth".split()
STRIDES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2]
COSTS = [0.02, 0.05, 0.1, 0.2, 0.4, 0.7, 1.0, 1.5, 2, 3, 4, 6, 9]


def f1(pred, truth):
    out = subprocess.run([EARSHOT, "eval-groups", pred, truth], capture_output=True, text=True).stdout
    for line in out.splitlines():
        p = line.split()
        if len(p) > 5 and p[0] == "T" and p[2] == "2/3":
            return float(p[5])
    return 0.0


def neg_log_likelihood(people, groups, stride, margin=1.0):
    """-log p(focal points | partition), the common variance at its maximum."""
    th = np.radians(people.facing.to_numpy())
    fx = people.x.to_numpy() + stride * np.cos(th)
    fy = people.y.to_numpy() + stride * np.sin(th)
    focal = {(ph, n): (a, b) for ph, n, a, b in zip(people.phase, people.name, fx, fy)}
    area = (people.x.max() - people.x.min() + 2 * margin) * (people.y.max() - people.y.min() + 2 * margin)
    n, spread, dof, labels, log_sizes = len(people), 0.0, 0, 0, 0.0
    for (ph, _), d in groups.groupby(["phase", "group"]):
        pts = np.array([focal[(ph, name)] for name in d.name])
        spread += ((pts - pts.mean(0)) ** 2).sum()
        dof += len(pts) - 1
        labels += 1
        log_sizes += math.log(len(pts))
    singles = n - (dof + labels)
    if dof == 0:
        return n * math.log(area)
    var = spread / (2 * dof)
    return (labels + singles) * math.log(area) + dof * math.log(2 * math.pi * var) + log_sizes + dof


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sets_dir = sys.argv[1]
    chosen_all, own_all = [], []
    print("| set | own choice (stride, cost) | F1 | GCFF per-set settings F1 | best grid point F1 |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for s in SETS:
            d = os.path.join(sets_dir, s)
            people = pd.read_csv(os.path.join(d, "people.csv"), dtype={"phase": str, "name": str})
            truth = os.path.join(d, "truth.csv")
            own_stride, own_cost, _ = open(os.path.join(d, "settings.txt")).read().split()
            rows = []
            for stride in STRIDES:
                for cost in COSTS:
                    pred = os.path.join(tmp, f"{s}-{stride}-{cost}.csv")
                    with open(pred, "w") as out:
                        subprocess.run([EARSHOT, "groups", os.path.join(d, "people.csv"), "--method", "gcff",
                                        "--stride", str(stride), "--mdl", str(cost), "--format", "csv"],
                                       stdout=out, stderr=subprocess.DEVNULL, check=True)
                    groups = pd.read_csv(pred, dtype={"phase": str, "name": str})
                    rows.append((neg_log_likelihood(people, groups, stride), stride, cost, f1(pred, truth)))
            pred = os.path.join(tmp, f"{s}-own.csv")
            with open(pred, "w") as out:
                subprocess.run([EARSHOT, "groups", os.path.join(d, "people.csv"), "--method", "gcff",
                                "--stride", own_stride, "--mdl", own_cost, "--format", "csv"],
                               stdout=out, stderr=subprocess.DEVNULL, check=True)
            own = f1(pred, truth)
            rows.sort()
            _, stride, cost, chosen = rows[0]
            print(f"| {s} | {stride}, {cost} m² | {chosen:.3f} | {own:.3f} | {max(r[3] for r in rows):.3f} |")
            chosen_all.append(chosen)
            own_all.append(own)
    print(f"| mean | | {np.mean(chosen_all):.3f} | {np.mean(own_all):.3f} | |")


if __name__ == "__main__":
    main()
