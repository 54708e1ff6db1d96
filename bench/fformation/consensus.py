"""Can each recording choose GCFF's settings by consensus? (An experiment for docs/groups.md;
not shipped.)

For every set, `earshot groups --method gcff` runs over the grid of strides and label costs of
`likelihood.py`. Two results agree on a frame as much as their pairs of people grouped together
do (the pair-counting F1: 2|A∩B| / (|A| + |B|), 1 when neither groups anyone). The recording's
own choice is the medoid: the grid point whose results agree most, on average over its frames,
with every other grid point's. Settings that split everyone or join everyone disagree with
most others, so the medoid is the partition the grid keeps finding. No truth is used and there
is no parameter but the grid, fixed before this experiment (the likelihood experiment's).

A second choice is made per frame: each frame takes the grid point whose result for it agrees
most with the others' for it.

Both are scored at T = 2/3 (`earshot eval-groups`) beside GCFF's per-set settings and the best
grid point (an oracle).

usage: python3 bench/fformation/consensus.py SETS_DIR   (the folder run.sh converts into)
"""
import os
import subprocess
import sys
import tempfile
from itertools import combinations

import numpy as np
import pandas as pd

from likelihood import COSTS, EARSHOT, SETS, STRIDES, f1


def run_gcff(people_csv, stride, cost, out_path):
    with open(out_path, "w") as out:
        subprocess.run([EARSHOT, "groups", people_csv, "--method", "gcff", "--stride", str(stride),
                        "--mdl", str(cost), "--format", "csv"],
                       stdout=out, stderr=subprocess.DEVNULL, check=True)
    groups = pd.read_csv(out_path, dtype={"phase": str, "name": str})
    pairs = {}
    for (ph, _), d in groups.groupby(["phase", "group"]):
        names = sorted(d.name)
        pairs.setdefault(ph, set()).update(combinations(names, 2))
    return groups, pairs


def agreement(a, b):
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sets_dir = sys.argv[1]
    print("| set | medoid (stride, cost) | F1 | per-frame medoid F1 | GCFF per-set settings F1 | best grid point F1 |")
    print("|---|---|---|---|---|---|")
    means = {"medoid": [], "frame": [], "own": []}
    with tempfile.TemporaryDirectory() as tmp:
        for s in SETS:
            d = os.path.join(sets_dir, s)
            people_csv = os.path.join(d, "people.csv")
            truth = os.path.join(d, "truth.csv")
            frames = sorted(pd.read_csv(people_csv, dtype={"phase": str, "name": str}).phase.unique())
            grid, results, scores = [], [], []
            for stride in STRIDES:
                for cost in COSTS:
                    pred = os.path.join(tmp, f"{s}-{stride}-{cost}.csv")
                    groups, pairs = run_gcff(people_csv, stride, cost, pred)
                    grid.append((stride, cost))
                    results.append((groups, pairs))
                    scores.append(f1(pred, truth))
            n = len(grid)
            # agree[f][a][b]: agreement of grid points a and b on frame f
            agree = np.ones((len(frames), n, n))
            for fi, ph in enumerate(frames):
                sets_ = [r[1].get(ph, set()) for r in results]
                for a in range(n):
                    for b in range(a + 1, n):
                        agree[fi, a, b] = agree[fi, b, a] = agreement(sets_[a], sets_[b])
            medoid = int(np.argmax(agree.mean(axis=0).sum(axis=1)))
            # per frame: the grid point that agrees most with the others on that frame
            picks = agree.sum(axis=2).argmax(axis=1)
            parts = [results[k][0][results[k][0].phase == ph] for ph, k in zip(frames, picks)]
            pred = os.path.join(tmp, f"{s}-frames.csv")
            pd.concat(parts).to_csv(pred, index=False)
            per_frame = f1(pred, truth)
            own_stride, own_cost, _ = open(os.path.join(d, "settings.txt")).read().split()
            _, _ = run_gcff(people_csv, own_stride, own_cost, os.path.join(tmp, f"{s}-own.csv"))
            own = f1(os.path.join(tmp, f"{s}-own.csv"), truth)
            stride, cost = grid[medoid]
            print(f"| {s} | {stride}, {cost} m² | {scores[medoid]:.3f} | {per_frame:.3f} | {own:.3f} | {max(scores):.3f} |")
            means["medoid"].append(scores[medoid])
            means["frame"].append(per_frame)
            means["own"].append(own)
    print(f"| mean | | {np.mean(means['medoid']):.3f} | {np.mean(means['frame']):.3f} | {np.mean(means['own']):.3f} | |")


if __name__ == "__main__":
    main()
