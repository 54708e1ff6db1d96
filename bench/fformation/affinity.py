"""Do the F-formation sets agree on what a group is? (An experiment for docs/groups.md; not
shipped.)

Three measurements on the sets `run.sh` converts, each scored with `earshot eval-groups` at
T = 2/3:

1. **What separates a group from its neighbours in each set**: for every person in a true
   group, the distance to their nearest fellow member and to their nearest non-member (quartiles);
   and for pairs, the distance between their focal points 0.7 m ahead, within a group and
   between people of different groups less than 2 m apart. Where facing marks the groups,
   members' focal points are much closer than non-members'.
2. **Distance alone**: everyone's pairwise link `δ − d` (metres), clustered by the correlation
   clustering below, for δ = 1.5, 2.0 and 2.5 m. No facing is used.
3. **A learned pair affinity**: a logistic regression on 21 features of a pair (distance and
   its log and square; how far each faces the other, and products; focal-point distances at
   0.4, 0.7 and 1.0 m; focal points half the distance ahead; people on the line between them;
   people closer to both; each one's rank of the other among their neighbours; whether the
   set's facings are quantised, and its products with distance and facing), each set weighted
   equally, L2 1e-3. Its log-odds are clustered by correlation clustering: greedy merging of
   the two clusters with the largest positive total link, then single moves while any helps.
   Leave-one-set-out (trained on the other eight) and trained on all nine (in-sample: an upper
   bound for this family with one setting, not a result). Then the same with the number of
   people in the frame added as features.
4. **An unsupervised mixture per recording**: each recording's pairs less than a cut apart, as
   (log distance, log focal-point distance), fitted with two Gaussians by EM; a pair's link is
   the log-odds of the nearer component. Nothing is fitted across recordings; the table varies
   the stride and the cut to show how much the result leans on them.
5. **GCFF with one setting and earshot's rule of people standing together apart**: GCFF over
   a grid of strides and label costs, each one setting for all sets, without and with the rule
   applied to its groups.

usage: python3 bench/fformation/affinity.py EARSHOT SETS_DIR
"""
import csv
import itertools
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

import numpy as np
from scipy.optimize import minimize

STRIDES = (0.4, 0.7, 1.0)


def load(sets_dir, name):
    frames = defaultdict(list)
    with open(os.path.join(sets_dir, name, "people.csv")) as fh:
        for r in csv.DictReader(fh):
            facing = float(r["facing"]) if r["facing"] else 0.0
            frames[r["phase"]].append((r["name"], float(r["x"]), float(r["y"]), math.radians(facing)))
    truth = defaultdict(dict)
    with open(os.path.join(sets_dir, name, "truth.csv")) as fh:
        for r in csv.DictReader(fh):
            truth[r["phase"]][r["name"]] = r["group"]
    # quantised: a handful of distinct facings over the whole recording
    facings = {round(math.degrees(p[3]) % 360, 3) for f in frames.values() for p in f}
    # every frame of people.csv is annotated (the converter writes no other): one without a
    # row in truth.csv is one where everyone stands alone, and counts as such
    return frames, truth, len(facings) <= 8


def pair_features(frame, quantised):
    n = len(frame)
    pos = np.array([[p[1], p[2]] for p in frame])
    face = np.array([[math.cos(p[3]), math.sin(p[3])] for p in frame])
    dist = np.sqrt(((pos[:, None] - pos[None]) ** 2).sum(-1))
    out = {}
    for i, j in itertools.combinations(range(n), 2):
        d = dist[i, j]
        v = (pos[j] - pos[i]) / max(d, 1e-9)
        ci, cj = face[i] @ v, -(face[j] @ v)
        focal = [np.linalg.norm(pos[i] + s * face[i] - pos[j] - s * face[j]) for s in STRIDES]
        half = np.linalg.norm(pos[i] + d / 2 * face[i] - pos[j] - d / 2 * face[j]) / max(d, 0.3)
        between = closer = 0
        for k in range(n):
            if k in (i, j):
                continue
            w = pos[k] - pos[i]
            if 0 < w @ v < d and abs(w[0] * v[1] - w[1] * v[0]) < 0.3:
                between += 1
            if dist[i, k] < d and dist[j, k] < d:
                closer += 1
        rank_i, rank_j = int((dist[i] < d).sum()) - 1, int((dist[j] < d).sum()) - 1
        parallel = face[i] @ face[j]
        q = float(quantised)
        out[(i, j)] = np.array([
            1.0, d, d * d, ci, cj, ci * cj, ci + cj, min(ci, cj), parallel, *focal, half, between,
            min(closer, 3), min(rank_i, rank_j), max(rank_i, rank_j), q, q * (ci + cj), q * d,
            math.log(max(d, 0.2)),
        ])
    return out


def collect(sets_dir, name):
    frames, truth, quantised = load(sets_dir, name)
    items = []
    for ph, frame in sorted(frames.items()):
        feats = pair_features(frame, quantised)
        lab = truth[ph]
        same = {k: float(lab.get(frame[k[0]][0]) is not None and lab.get(frame[k[0]][0]) == lab.get(frame[k[1]][0]))
                for k in feats}
        items.append((ph, frame, feats, same))
    return items


def fit(data, sets, l2=1e-3):
    xs, ys, ws = [], [], []
    for s in sets:
        rows = [(x, y[k]) for (_, _, fe, y) in data[s] for k, x in fe.items()]
        for x, y in rows:
            xs.append(x)
            ys.append(y)
            ws.append(1.0 / len(rows))
    x, y, w = np.array(xs), np.array(ys), np.array(ws)
    mu, sd = x[:, 1:].mean(0), x[:, 1:].std(0) + 1e-9
    z = np.c_[x[:, :1], (x[:, 1:] - mu) / sd]

    def loss(b):
        t = z @ b
        p = 1 / (1 + np.exp(-t))
        reg = np.r_[0, b[1:]]
        return (w * (np.logaddexp(0, t) - y * t)).sum() + l2 * (reg ** 2).sum(), z.T @ (w * (p - y)) + 2 * l2 * reg

    b = minimize(loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B").x
    return lambda f: float(np.r_[1.0, (f[1:] - mu) / sd] @ b)


def cluster(n, link):
    """Correlation clustering: greedy merges by the largest positive total link, then moves."""
    w = np.zeros((n, n))
    for (i, j), v in link.items():
        w[i, j] = w[j, i] = v
    groups = [[i] for i in range(n)]
    while True:
        best, pair = 0.0, None
        for a, b in itertools.combinations(range(len(groups)), 2):
            s = w[np.ix_(groups[a], groups[b])].sum()
            if s > best:
                best, pair = s, (a, b)
        if pair is None:
            break
        a, b = pair
        groups[a] += groups.pop(b)
    for _ in range(10):
        moved = False
        for i in range(n):
            cur = next(g for g in groups if i in g)
            stay = w[i, [k for k in cur if k != i]].sum()
            gains = [(w[i, g].sum(), gi) for gi, g in enumerate(groups) if g is not cur]
            best = max(gains, default=(-math.inf, None))
            if best[0] > max(stay, 0.0) + 1e-9:
                cur.remove(i)
                groups[best[1]].append(i)
                moved = True
            elif stay < -1e-9:
                cur.remove(i)
                groups.append([i])
                moved = True
            groups = [g for g in groups if g]
        if not moved:
            break
    return groups


def score(earshot, truth, items, link_of, tmp):
    """F1 at T = 2/3 of the clustered links against the set's own `truth.csv` (whose groups
    may hold people missing from the frame, as run.sh scores them)."""
    pred = os.path.join(tmp, "pred.csv")
    with open(pred, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["phase", "group", "name"])
        for frame_name, frame, feats, _ in items:
            groups = cluster(len(frame), {k: link_of(x) for k, x in feats.items()})
            for g, members in enumerate(groups):
                for m in members:
                    out.writerow([frame_name, g, frame[m][0]])
    text = subprocess.run([earshot, "eval-groups", pred, truth], capture_output=True, text=True, check=True).stdout
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[0] == "T" and parts[2] == "2/3":
            return float(parts[5])
    raise RuntimeError(text)


def mixture_link(items, stride_col, cut_m):
    """An unsupervised link for one recording: the pairs less than `cut_m` apart, as (log
    distance, log focal-point distance), fitted by EM with two Gaussians of diagonal covariance
    (started from the nearer and farther halves); a pair's link is the log-odds of the nearer
    component. No truth and no parameter fitted across recordings."""
    def point(x):
        return np.log(np.maximum(x[[1, stride_col]], 0.05))

    xs = np.array([point(x) for (_, _, fe, _) in items for x in fe.values() if x[1] < cut_m])
    n = len(xs)
    r = np.zeros((n, 2))
    order = np.argsort(xs[:, 0])
    r[order[: n // 2], 0] = 1
    r[order[n // 2:], 1] = 1
    for _ in range(200):
        w = r.sum(0) / n
        mu = (r.T @ xs) / r.sum(0)[:, None]
        var = np.stack([(r[:, k:k + 1] * (xs - mu[k]) ** 2).sum(0) / r[:, k].sum() for k in range(2)]) + 1e-4
        ll = np.stack([np.log(w[k]) - 0.5 * (np.log(2 * np.pi * var[k]) + (xs - mu[k]) ** 2 / var[k]).sum(1)
                       for k in range(2)], 1)
        r = np.exp(ll - ll.max(1, keepdims=True))
        r /= r.sum(1, keepdims=True)
    near = int(np.argmin(mu[:, 0]))

    def link(x):
        if x[1] >= cut_m:
            return -10.0
        v = point(x)
        ll = [math.log(w[k]) - 0.5 * (np.log(2 * np.pi * var[k]) + (v - mu[k]) ** 2 / var[k]).sum() for k in range(2)]
        return ll[near] - ll[1 - near]

    return link


def gcff_groups(earshot, sets_dir, name, stride, mdl):
    """GCFF's groups of every frame with one setting: {frame: {name: label}}."""
    out = subprocess.run([earshot, "groups", os.path.join(sets_dir, name, "people.csv"), "--method", "gcff",
                          "--stride", str(stride), "--mdl", str(mdl), "--format", "csv"],
                         capture_output=True, text=True, check=True).stdout
    labels = defaultdict(dict)
    for r in csv.DictReader(out.splitlines()):
        labels[r["phase"]][r["name"]] = r["group"]
    return labels


def with_apart(items, labels, apart):
    """Each frame's groups from `labels`, then (with `apart`) earshot's rule of people standing
    together apart from others: a chain within 2 m, at most 2.5 m across plus 0.1 m a person,
    at most eight, one group (the recordings' rooms are quiet: everyone that close can hear)."""
    out = []
    for ph, frame, feats, _ in items:
        n = len(frame)
        by = defaultdict(list)
        for i, p in enumerate(frame):
            by[labels.get(ph, {}).get(p[0], f"alone {i}")].append(i)
        groups = list(by.values())
        if apart:
            parent = list(range(n))

            def root(a):
                while parent[a] != a:
                    a = parent[a]
                return a

            for (i, j), x in feats.items():
                if x[1] <= 2.0:
                    parent[root(i)] = root(j)
            chains = defaultdict(list)
            for i in range(n):
                chains[root(i)].append(i)
            taken, joined = set(), []
            for c in chains.values():
                span = max((feats[(a, b)][1] for a, b in itertools.combinations(sorted(c), 2)), default=0.0)
                if 2 <= len(c) <= 8 and span <= 2.5 + 0.1 * (len(c) - 2):
                    joined.append(c)
                    taken.update(c)
            groups = joined + [[i for i in g if i not in taken] for g in groups]
            groups = [g for g in groups if g]
        out.append((ph, frame, groups))
    return out


def score_groups(earshot, truth, frames, tmp):
    pred = os.path.join(tmp, "pred.csv")
    with open(pred, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["phase", "group", "name"])
        for ph, frame, groups in frames:
            for g, members in enumerate(groups):
                for m in members:
                    w.writerow([ph, g, frame[m][0]])
    text = subprocess.run([earshot, "eval-groups", pred, truth], capture_output=True, text=True, check=True).stdout
    return next(float(l.split()[5]) for l in text.splitlines() if l.split()[:3] == ["T", "=", "2/3"])


def quartiles(a):
    return "–" if not a else " / ".join(f"{v:.2f}" for v in np.percentile(a, [25, 50, 75]))


def converging(items):
    """The share of pairs less than 1.5 m apart whose focal points 0.5 m ahead are closer than
    they are (no truth used)."""
    closer = []
    for _, frame, _, _ in items:
        for a, b in itertools.combinations(frame, 2):
            d = math.hypot(a[1] - b[1], a[2] - b[2])
            if d < 1.5:
                fx = a[1] + 0.5 * math.cos(a[3]) - b[1] - 0.5 * math.cos(b[3])
                fy = a[2] + 0.5 * math.sin(a[3]) - b[2] - 0.5 * math.sin(b[3])
                closer.append(math.hypot(fx, fy) < d)
    return f"{np.mean(closer):.2f} ({len(closer)})" if closer else "–"


def with_people_in_frame(items):
    """The pair features and the frame's number of people (and products with it)."""
    out = []
    for ph, frame, feats, same in items:
        n = len(frame)
        few = float(n <= 5)
        out.append((ph, frame, {k: np.r_[x, n, min(n, 6), x[1] * few, (x[3] + x[4]) * few] for k, x in feats.items()}, same))
    return out


def separation(items):
    near_same, near_other, focal_same, focal_other = [], [], [], []
    for _, frame, feats, same in items:
        n = len(frame)
        group = {}
        for (i, j), v in same.items():
            if v:
                group.setdefault(i, set()).add(j)
                group.setdefault(j, set()).add(i)
        for i in range(n):
            if i not in group:
                continue
            d_same = [feats[tuple(sorted((i, k)))][1] for k in group[i]]
            d_other = [feats[tuple(sorted((i, k)))][1] for k in range(n) if k != i and k not in group[i]]
            near_same.append(min(d_same))
            if d_other:
                near_other.append(min(d_other))
        for (i, j), x in feats.items():
            (focal_same if same[(i, j)] else focal_other if x[1] < 2.0 else []).append(x[10])
    return near_same, near_other, focal_same, focal_other


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    earshot, sets_dir = sys.argv[1:]
    names = sorted(os.listdir(sets_dir))
    data = {n: collect(sets_dir, n) for n in names}

    def truth_of(n):
        return os.path.join(sets_dir, n, "truth.csv")
    print("| set | nearest fellow member (m, quartiles) | nearest non-member | focal points, members "
          "| focal points, others < 2 m | pairs < 1.5 m apart whose focal points are closer (pairs) |")
    print("|---|---|---|---|---|---|")
    for n in names:
        a, b, c, d = separation(data[n])
        print(f"| {n} | {quartiles(a)} | {quartiles(b)} | {quartiles(c)} | {quartiles(d)} | {converging(data[n])} |")
    print()
    deltas = (1.5, 2.0, 2.5)
    print("| set | " + " | ".join(f"distance alone, δ = {d} m" for d in deltas)
          + " | learned affinity, leave-one-set-out | learned affinity, trained on all (in-sample) "
          "| with people in the frame, left out | (in-sample) |")
    print("|---|" + "---|" * (len(deltas) + 4))
    everything = fit(data, names)
    sized = {n: with_people_in_frame(data[n]) for n in names}
    everything_sized = fit(sized, names)
    means = np.zeros(len(deltas) + 4)
    with tempfile.TemporaryDirectory() as tmp:
        for n in names:
            row = [score(earshot, truth_of(n), data[n], lambda x, d=d: d - x[1], tmp) for d in deltas]
            row.append(score(earshot, truth_of(n), data[n], fit(data, [s for s in names if s != n]), tmp))
            row.append(score(earshot, truth_of(n), data[n], everything, tmp))
            row.append(score(earshot, truth_of(n), sized[n], fit(sized, [s for s in names if s != n]), tmp))
            row.append(score(earshot, truth_of(n), sized[n], everything_sized, tmp))
            means += row
            print(f"| {n} | " + " | ".join(f"{v:.3f}" for v in row) + " |")
    print("| mean | " + " | ".join(f"{v:.3f}" for v in means / len(names)) + " |")
    print()
    # (stride column, stride, cut): features 9, 10, 11 are the focal distances at 0.4, 0.7, 1.0 m
    variants = [(10, 0.7, 3.0), (10, 0.7, 2.0), (10, 0.7, 2.5), (10, 0.7, 4.0), (10, 0.7, 5.0),
                (9, 0.4, 3.0), (11, 1.0, 3.0)]
    print("| set | " + " | ".join(f"mixture, focal {s} m, pairs < {c} m" for _, s, c in variants) + " |")
    print("|---|" + "---|" * len(variants))
    means = np.zeros(len(variants))
    with tempfile.TemporaryDirectory() as tmp:
        for n in names:
            row = [score(earshot, truth_of(n), data[n], mixture_link(data[n], col, cut), tmp) for col, _, cut in variants]
            means += row
            print(f"| {n} | " + " | ".join(f"{v:.3f}" for v in row) + " |")
    print("| mean | " + " | ".join(f"{v:.3f}" for v in means / len(names)) + " |")
    print()
    # GCFF with one setting for every set, without and with the rule of standing apart
    settings = [(s, c) for s in (0.3, 0.5, 0.7) for c in (0.5, 1.0, 2.0, 3.0)]
    print("| GCFF stride (m), label cost (m²) | rule | " + " | ".join(names) + " | mean |")
    print("|---|---|" + "---|" * (len(names) + 1))
    with tempfile.TemporaryDirectory() as tmp:
        for stride, cost in settings:
            labels = {n: gcff_groups(earshot, sets_dir, n, stride, cost) for n in names}
            for apart in (False, True):
                row = [score_groups(earshot, truth_of(n), with_apart(data[n], labels[n], apart), tmp) for n in names]
                print(f"| {stride}, {cost} | {'with' if apart else 'without'} | "
                      + " | ".join(f"{v:.3f}" for v in row) + f" | {np.mean(row):.3f} |")


if __name__ == "__main__":
    main()
