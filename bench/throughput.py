"""The throughput cases of the issue, each against its reference in the same run (bench/run.sh).

1. A bare CSV of 10,000 seats (`name,x,y`, default quiet room), `pairs --band raised`: the whole
   earshot process against scipy's cKDTree build + query_pairs at the same reach (the largest
   distance in earshot's output).
2. A bare CSV of 1,000,000 rows: earshot's load stage against pandas' read_csv.
3. The same file, `pairs --within 2` to a CSV file: the whole process against the k-d tree's
   build + query at 2 m; peak memory. Then its rows in random order, as a file sorted by name
   or id has them (the generated file lists neighbours together).
4. The generated 1,000,000-seat stadium, `pairs --band raised`: the whole process against the
   k-d tree at 2 m; peak memory.

Times are medians of REPEAT runs (LOAD_REPEAT for the load stage and pandas); ratios are earshot ÷
reference, measured here.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from stadium import EARSHOT, peak_mb, run_earshot

REPEAT = 3
# the load stage and pandas take a quarter of a second: more runs, so that a slow one (the
# machine, the first touch of memory) does not move the median
LOAD_REPEAT = 9


def bare_csv(path, n, seed=1):
    """Seats on a jittered grid, 0.5 m by 0.8 m: `name,x,y`."""
    rng = np.random.default_rng(seed)
    cols = int(np.sqrt(n)) + 1
    i = np.arange(n)
    x = (i % cols) * 0.5 + rng.normal(0, 0.02, n)
    y = (i // cols) * 0.8 + rng.normal(0, 0.02, n)
    with open(path, "w") as f:
        f.write("name,x,y\n")
        f.write("".join(f"P{k},{a:.3f},{b:.3f}\n" for k, a, b in zip(i, x, y)))


def median_time(fn, repeat=REPEAT):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def earshot_wall(args, out_path=None):
    """The whole process, output to a file (or counted through a pipe)."""
    def once():
        if out_path:
            with open(out_path, "wb") as f:
                subprocess.run([EARSHOT] + args, stdout=f, stderr=subprocess.DEVNULL, check=True)
        else:
            run_earshot(args)
    return median_time(once)


def largest_distance(path):
    d = pd.read_csv(path)
    return float(d["distance_m"].max()) if len(d) else 0.0


def main():
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "bare-10k.csv")
        big = os.path.join(tmp, "bare-1m.csv")
        out = os.path.join(tmp, "out.csv")
        bare_csv(small, 10_000)
        bare_csv(big, 1_000_000)

        # 1. quiet 10k, --band raised
        t = earshot_wall(["pairs", small, "--band", "raised"], out)
        reach = largest_distance(out)
        pts = pd.read_csv(small)[["x", "y"]].to_numpy()
        ref = median_time(lambda: cKDTree(pts).query_pairs(reach, output_type="ndarray"))
        rows.append((f"quiet 10k, `--band raised` (reach {reach:.2f} m)", t, f"cKDTree query_pairs at {reach:.2f} m", ref, 3.0, None))

        # 2. 1M load
        load = statistics.median(run_earshot(["pairs", big, "--within", "0", "--timings"])[0]["load"] for _ in range(LOAD_REPEAT))
        ref = median_time(lambda: pd.read_csv(big), LOAD_REPEAT)
        rows.append(("1M bare CSV, load stage", load, "pandas read_csv", ref, 0.5, None))

        # 3. 1M --within 2 to a file
        t = earshot_wall(["pairs", big, "--within", "2"], out)
        pts = pd.read_csv(big)[["x", "y"]].to_numpy()
        kd2 = median_time(lambda: cKDTree(pts).query_pairs(2.0, output_type="ndarray"))
        peak = peak_mb(["pairs", big, "--within", "2"])
        rows.append(("1M bare CSV, `--within 2` to a file", t, "cKDTree build + query at 2 m", kd2, 3.0, peak))

        # 3b. the same rows in random order (a file sorted by name or id, as most are, puts
        # neighbours far apart in the list: every lookup of a person misses the cache)
        shuffled = os.path.join(tmp, "bare-1m-shuffled.csv")
        with open(big) as f:
            header, *lines = f.read().splitlines()
        np.random.default_rng(5).shuffle(lines)
        with open(shuffled, "w") as f:
            f.write(header + "\n" + "\n".join(lines) + "\n")
        del lines
        t = earshot_wall(["pairs", shuffled, "--within", "2"], out)
        pts = pd.read_csv(shuffled)[["x", "y"]].to_numpy()
        kd2 = median_time(lambda: cKDTree(pts).query_pairs(2.0, output_type="ndarray"))
        peak = peak_mb(["pairs", shuffled, "--within", "2"])
        rows.append(("1M bare CSV in random order, `--within 2` to a file", t, "cKDTree build + query at 2 m", kd2, 3.0, peak))

        # 4. 1M generated stadium, --band raised
        stadium = os.path.join(tmp, "stadium")
        subprocess.run([EARSHOT, "generate", "stadium", "--seats", "1000000", "-o", stadium], check=True, capture_output=True)
        spts = pd.read_csv(os.path.join(stadium, "people.csv"))[["x", "y"]].to_numpy()
        t = earshot_wall(["pairs", stadium, "--band", "raised"], out)
        ref = median_time(lambda: cKDTree(spts).query_pairs(2.0, output_type="ndarray"))
        peak = peak_mb(["pairs", stadium, "--band", "raised"])
        rows.append(("1M stadium, `--band raised`", t, "cKDTree build + query at 2 m", ref, 2.5, peak))

    print()
    print("| case | earshot (s) | reference | reference (s) | ratio | target | peak MB |")
    print("|---|---|---|---|---|---|---|")
    for case, t, ref_name, ref, target, peak in rows:
        print(f"| {case} | {t:.3f} | {ref_name} | {ref:.3f} | {t / ref:.2f}× | ≤ {target}× | {'' if peak is None else f'{peak:.0f}'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
