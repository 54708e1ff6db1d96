#!/usr/bin/env python3
"""Converts the public F-formation benchmarks (github.com/vrichter/group-assignment-datasets,
`data/octave/<set>/`) into earshot snapshots: for each set, `people.csv` (name,x,y,facing,phase:
one phase per annotated frame, positions in metres, facing in degrees counter-clockwise from +x)
and `truth.csv` (phase,group,name), plus `settings.txt` (GCFF's stride in m and label cost in m²).

The data's licences allow research use only: this writes into OUT_DIR, outside the repository,
and nothing it writes may be committed.

Usage: python3 convert.py DATASET_REPO OUT_DIR
"""
import math
import os
import sys

import numpy as np
import scipy.io as sio

SETS = ["CoffeeBreak/Seq1", "CoffeeBreak/Seq2", "CocktailParty", "Synth",
        "GDet/S1", "GDet/S2", "GDet/S3", "GDet/S5", "GDet/S6"]
CM = 0.01  # positions are in centimetres (Synth in centimetre-like units)


def members(group):
    return [int(v) for v in np.ravel(group)]


def convert(repo, name, out):
    src = os.path.join(repo, "data", "octave", name)
    f = sio.loadmat(os.path.join(src, "features.mat"))
    g = sio.loadmat(os.path.join(src, "groundtruth.mat"))
    st = sio.loadmat(os.path.join(src, "settings_gc.mat"))
    stamps = [float(t) for t in np.ravel(f["timestamp"])]
    by_stamp = {t: i for i, t in enumerate(stamps)}
    frames = f["features"][0]
    truth_stamps = [float(t) for t in np.ravel(g["GTtimestamp"])]
    truth = g["GTgroups"][0] if g["GTgroups"].shape[0] == 1 else np.ravel(g["GTgroups"])
    os.makedirs(out, exist_ok=True)
    people, groups = ["name,x,y,facing,phase"], ["phase,group,name"]
    annotated = 0
    for k, t in enumerate(truth_stamps):
        i = by_stamp.get(t)
        if i is None:
            continue
        annotated += 1
        phase = f"f{k:04d}"
        for row in frames[i]:
            pid, x, y, theta = int(row[0]), row[1] * CM, row[2] * CM, row[3]
            deg = math.degrees(theta) % 360.0
            people.append(f"id{pid},{x:.4f},{y:.4f},{deg:.3f},{phase}")
        # the true groups of the frame: an array of id arrays (empty when there are none)
        cell = truth[k]
        for gi, grp in enumerate(np.ravel(cell) if cell.dtype == object else []):
            for pid in members(grp):
                groups.append(f"{phase},{gi + 1},id{pid}")
    with open(os.path.join(out, "people.csv"), "w") as fh:
        fh.write("\n".join(people) + "\n")
    with open(os.path.join(out, "truth.csv"), "w") as fh:
        fh.write("\n".join(groups) + "\n")
    stride, mdl = float(st["stride"].item()) * CM, float(st["mdl"].item()) * CM * CM
    with open(os.path.join(out, "settings.txt"), "w") as fh:
        fh.write(f"{stride} {mdl} {annotated}\n")
    return annotated


def main():
    repo, out_dir = sys.argv[1], sys.argv[2]
    for name in SETS:
        n = convert(repo, name, os.path.join(out_dir, name.replace("/", "-")))
        print(f"{name}: {n} annotated frames", file=sys.stderr)


if __name__ == "__main__":
    main()
