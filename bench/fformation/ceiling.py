"""How far can one setting go? (An experiment for docs/groups.md; not shipped.)

The issue asks one method with one parameter set to reach GCFF run with each set's own settings
(the authors tuned a stride and a label cost per set) on every set. This script asks how close
GCFF itself comes when its two settings are not tuned on the set's score, on the sets `run.sh`
converts, each scored with `earshot eval-groups` at T = 2/3:

1. **GCFF's best on a grid, per set**: strides 0.1, 0.3, 0.5, 0.7 m and label costs 0.3 to
   9 m² (36 settings), the best for each set chosen by its own score. A finer per-set search is
   what the authors' settings are.
2. **GCFF with its settings taken from the set's true groups** (an oracle, not a method): the
   stride that brings a member's focal point nearest its group's centre on average
   (mean of r·cos ε over members, r the distance to the centre of the group's positions, ε the
   angle between facing and that centre), and a label cost of K times the mean squared distance
   of members' focal points from their group's mean focal point, one K for all sets. It shows
   how much of the per-set settings the spread of each set's own groups explains.
3. **GCFF's label cost chosen per recording without the truth**: for each setting of the grid,
   the recording's cost `N·ln((R + N·s0)/N) + λ·G·ln N` (R the squared residual of focal points
   about their labels' means, N the people over all frames, G the labels, singletons included,
   s0 a floor in m²): a BIC with the noise estimated from the recording. (λ, s0, strides) are
   chosen by the mean over all sets (in-sample) and by leave-one-set-out.
4. **earshot's own label cost chosen the same way**: earshot's detector over far_m 0.7, 0.85,
   1.0 m, mdl_m2 on the grid above and the rule of standing apart on or off, R the squared
   distance from each group's centre to its members' transactional segments (0.2 m to far_m
   ahead), with a prior `μ·ln(cost/c0)²` that holds small recordings near c0.

usage: python3 bench/fformation/ceiling.py EARSHOT SETS_DIR
"""
import csv
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

import numpy as np

STRIDES = (0.1, 0.3, 0.5, 0.7)
COSTS = (0.3, 0.5, 0.8, 1.2, 1.8, 2.7, 4.0, 6.0, 9.0)


def load(sets_dir, name):
    """{frame: {name: (x, y, facing radians)}}, {frame: {group: [names in the frame]}}, GCFF's
    own (stride, cost)."""
    frames = defaultdict(dict)
    with open(os.path.join(sets_dir, name, "people.csv")) as fh:
        for r in csv.DictReader(fh):
            frames[r["phase"]][r["name"]] = (float(r["x"]), float(r["y"]), math.radians(float(r["facing"] or 0)))
    truth = defaultdict(lambda: defaultdict(list))
    with open(os.path.join(sets_dir, name, "truth.csv")) as fh:
        for r in csv.DictReader(fh):
            if r["name"] in frames[r["phase"]]:
                truth[r["phase"]][r["group"]].append(r["name"])
    with open(os.path.join(sets_dir, name, "settings.txt")) as fh:
        stride, cost = (float(v) for v in fh.read().split()[:2])
    return frames, truth, (stride, cost)


def gcff(earshot, sets_dir, name, stride, cost):
    out = subprocess.run([earshot, "groups", os.path.join(sets_dir, name, "people.csv"), "--method", "gcff",
                          "--stride", str(stride), "--mdl", str(cost), "--format", "csv"],
                         capture_output=True, text=True, check=True).stdout
    groups = defaultdict(lambda: defaultdict(list))
    for r in csv.DictReader(out.splitlines()):
        groups[r["phase"]][r["group"]].append(r["name"])
    return groups


def score(earshot, sets_dir, name, groups, tmp):
    pred = os.path.join(tmp, "pred.csv")
    with open(pred, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["phase", "group", "name"])
        for ph, gs in groups.items():
            for g, members in gs.items():
                for m in members:
                    w.writerow([ph, g, m])
    text = subprocess.run([earshot, "eval-groups", pred, os.path.join(sets_dir, name, "truth.csv")],
                          capture_output=True, text=True, check=True).stdout
    return next(float(l.split()[5]) for l in text.splitlines() if l.split()[:3] == ["T", "=", "2/3"])


def residual(frames, groups, stride):
    """Squared distances of members' focal points (`stride` ahead) from their group's mean focal
    point, summed, and the number of members and of groups (groups of two or more)."""
    r, n, g = 0.0, 0, 0
    for ph, gs in groups.items():
        f = frames[ph]
        for members in gs.values():
            if len(members) < 2:
                continue
            pts = np.array([(f[m][0] + stride * math.cos(f[m][2]), f[m][1] + stride * math.sin(f[m][2]))
                            for m in members])
            r += float(((pts - pts.mean(0)) ** 2).sum())
            n += len(members)
            g += 1
    return r, n, g


def earshot_grid(earshot, sets_dir, name, frames, tmp):
    """{(far_m, mdl_m2, apart_span_m): (F1, R, members, groups)} for earshot's detector."""
    out = {}
    for far, cost, apart in itertools.product((0.7, 0.85, 1.0), COSTS, (0, 2.5)):
        text = subprocess.run([earshot, "groups", os.path.join(sets_dir, name, "people.csv"), "--format", "json",
                               "--set", f"mdl_m2={cost}", "--set", f"far_m={far}", "--set", f"apart_span_m={apart}"],
                              capture_output=True, text=True, check=True).stdout
        r, n, g = 0.0, 0, 0
        groups = defaultdict(dict)
        for snap in json.loads(text):
            f = frames[snap["phase"]]
            for grp in snap["groups"]:
                groups[snap["phase"]][grp["group"]] = grp["members"]
                cx, cy = grp["centre"]["x"], grp["centre"]["y"]
                for m in grp["members"]:
                    x, y, t = f[m]
                    ux, uy = math.cos(t), math.sin(t)
                    along = min(max((cx - x) * ux + (cy - y) * uy, 0.2), far)
                    r += (cx - x - along * ux) ** 2 + (cy - y - along * uy) ** 2
                    n += 1
                g += 1
        out[(far, cost, apart)] = (score(earshot, sets_dir, name, groups, tmp), r, n, g)
    return out


def chosen(names, options, choices, pick):
    """For each choice of the criterion's constants, the F1 of each set at the setting the
    criterion picks; then the best choice over all sets and, for each set, the best over the
    others."""
    rows = [(ch, [pick(name, options, ch) for name in names]) for ch in choices]
    inside = max(rows, key=lambda r: np.mean(r[1]))
    loso = [max(rows, key=lambda r: np.mean(r[1][:i] + r[1][i + 1:]))[1][i] for i in range(len(names))]
    return inside, loso


def from_truth(frames, truth):
    """The stride that brings focal points nearest the centre on average, and the mean squared
    residual of focal points about their group's mean there (m²)."""
    rc = []
    for ph, gs in truth.items():
        f = frames[ph]
        for members in gs.values():
            if len(members) < 2:
                continue
            c = np.array([f[m][:2] for m in members]).mean(0)
            for m in members:
                x, y, t = f[m]
                rc.append((c[0] - x) * math.cos(t) + (c[1] - y) * math.sin(t))
    stride = max(float(np.mean(rc)), 0.0)
    r, n, _ = residual(frames, truth, stride)
    return stride, r / n


def main():
    earshot, sets_dir = sys.argv[1], sys.argv[2]
    names = sorted(d for d in os.listdir(sets_dir) if os.path.isfile(os.path.join(sets_dir, d, "people.csv")))
    tmp = tempfile.mkdtemp()
    own, grid, oracle, people, mine = {}, {}, {}, {}, {}
    for name in names:
        frames, truth, settings = load(sets_dir, name)
        people[name] = sum(len(f) for f in frames.values())
        own[name] = score(earshot, sets_dir, name, gcff(earshot, sets_dir, name, *settings), tmp)
        for s in STRIDES:
            for c in COSTS:
                groups = gcff(earshot, sets_dir, name, s, c)
                grid[(name, s, c)] = (score(earshot, sets_dir, name, groups, tmp),) + residual(frames, groups, s)
        stride, spread = from_truth(frames, truth)
        for k in (6, 9, 12):
            groups = gcff(earshot, sets_dir, name, stride, k * spread)
            oracle[(name, k)] = (score(earshot, sets_dir, name, groups, tmp), stride, spread)
        for k, v in earshot_grid(earshot, sets_dir, name, frames, tmp).items():
            mine[(name,) + k] = v
        print(f"{name} done", file=sys.stderr, flush=True)

    def bic(table, name, key, lam, floor):
        _, r, n, g = table[(name,) + key]
        total = people[name]
        labels = g + total - n  # singletons are labels of their own
        return total * math.log((r + total * floor) / total) + lam * labels * math.log(total)

    def pick_gcff(name, _, ch):
        lam, floor, strides = ch
        key = min(((s, c) for s in strides for c in COSTS), key=lambda k: bic(grid, name, k, lam, floor))
        return grid[(name,) + key][0]

    def pick_mine(name, _, ch):
        lam, floor, mu, c0, fars = ch
        keys = [(f, c, a) for f in fars for c in COSTS for a in (0, 2.5)]
        key = min(keys, key=lambda k: bic(mine, name, k, lam, floor) + mu * math.log(k[1] / c0) ** 2)
        return mine[(name,) + key][0]

    inside, loso = chosen(names, None, list(itertools.product((0.5, 1, 2), (0.01, 0.03), ((0.3,), (0.5,), STRIDES))),
                          pick_gcff)
    mine_in, mine_loso = chosen(names, None, list(itertools.product(
        (0.5, 1, 2), (0.003, 0.01, 0.03), (0, 3, 10, 30), (0.8, 1.8), ((0.7,), (0.85,), (0.7, 0.85, 1.0)))), pick_mine)

    def best_grid(name):
        return max(((s, c) for s in STRIDES for c in COSTS), key=lambda k: grid[(name,) + k][0])

    head = ["GCFF, the set's own settings", "GCFF, best of the grid for the set (stride m, cost m²)"]
    head += [f"GCFF from the true groups, K = {k}" for k in (6, 9, 12)]
    head += ["stride, spread (m, m²) of the true groups"]
    head += [f"BIC per recording, in-sample (λ {inside[0][0]}, s0 {inside[0][1]}, strides {inside[0][2]})",
             "BIC per recording, leave-one-set-out",
             "earshot, shipped defaults",
             f"earshot, BIC per recording, in-sample (λ {mine_in[0][0]}, s0 {mine_in[0][1]}, μ {mine_in[0][2]}, "
             f"c0 {mine_in[0][3]}, far_m {mine_in[0][4]})",
             "earshot, BIC per recording, leave-one-set-out"]
    print("| set | " + " | ".join(head) + " |")
    print("|---" * (len(head) + 1) + "|")
    cols = defaultdict(list)
    for i, name in enumerate(names):
        s, c = best_grid(name)
        vals = [own[name], grid[(name, s, c)][0]] + [oracle[(name, k)][0] for k in (6, 9, 12)]
        shipped = mine[(name, 0.85, 0.8, 2.5)][0]
        vals += [inside[1][i], loso[i], shipped, mine_in[1][i], mine_loso[i]]
        for j, v in enumerate(vals):
            cols[j].append(v)
        cells = [f"{own[name]:.3f}", f"{grid[(name, s, c)][0]:.3f} ({s}, {c})"]
        cells += [f"{oracle[(name, k)][0]:.3f}" for k in (6, 9, 12)]
        cells += [f"{oracle[(name, 9)][1]:.2f}, {oracle[(name, 9)][2]:.3f}"]
        cells += [f"{v:.3f}" for v in (inside[1][i], loso[i], shipped, mine_in[1][i], mine_loso[i])]
        print(f"| {name} | " + " | ".join(cells) + " |")
    means = [f"{np.mean(cols[j]):.3f}" for j in range(5)] + [""] + [f"{np.mean(cols[j]):.3f}" for j in range(5, 10)]
    print("| mean | " + " | ".join(means) + " |")


if __name__ == "__main__":
    main()
