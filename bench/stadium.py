"""Times earshot against scipy's cKDTree on generated stadiums (see bench/run.sh).

For each size, earshot generates the stadium; scipy reads x,y from the same people.csv.
Reported: the bare search (`timing search` of `earshot pairs --within 2`) against
cKDTree build + query_pairs(2.0), pair counts (must match), and `earshot pairs --band raised`
from load to output with peak memory. Each time is the median of several runs.
"""
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy.spatial import cKDTree

EARSHOT = os.path.join(os.path.dirname(__file__), "..", "target", "release", "earshot")
SIZES = [int(s) for s in (sys.argv[1:] or ["10000", "100000", "1000000"])]
REPEAT = 5


def run_earshot(args):
    """Runs earshot; returns (timings by stage, wall seconds, output rows). The output is
    streamed and counted, never held in memory."""
    t0 = time.perf_counter()
    p = subprocess.Popen([EARSHOT] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = 0
    while True:
        chunk = p.stdout.read(1 << 20)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    err = p.stderr.read().decode()
    if p.wait() != 0:
        raise RuntimeError(f"earshot {' '.join(args)} failed: {err}")
    wall = time.perf_counter() - t0
    timings = {}
    for line in err.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "timing":
            timings[parts[1]] = timings.get(parts[1], 0.0) + float(parts[2])
    return timings, wall, lines - 1


def peak_mb(args):
    """Peak RSS of one earshot run, measured in a fresh Python child so that it is its own."""
    code = (
        "import resource,subprocess,sys;"
        "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL,check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code, EARSHOT] + args, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024.0


def read_points(path):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        return np.array([(float(row["x"]), float(row["y"])) for row in r])


def main():
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            scene = os.path.join(tmp, f"stadium-{n}")
            subprocess.run([EARSHOT, "generate", "stadium", "--seats", str(n), "-o", scene], check=True, capture_output=True)
            pts = read_points(os.path.join(scene, "people.csv"))

            kd_times, kd_count = [], None
            for _ in range(REPEAT):
                t0 = time.perf_counter()
                pairs = cKDTree(pts).query_pairs(2.0, output_type="ndarray")
                kd_times.append(time.perf_counter() - t0)
                kd_count = len(pairs)
            kd = statistics.median(kd_times)

            search, within_wall, count = [], [], None
            for _ in range(REPEAT):
                t, wall, lines = run_earshot(["pairs", scene, "--within", "2", "--timings"])
                search.append(t["search"])
                within_wall.append(wall)
                count = lines
            es = statistics.median(search)

            band_wall, stages = [], None
            for _ in range(3):
                t, wall, band_pairs = run_earshot(["pairs", scene, "--band", "raised", "--timings"])
                band_wall.append(wall)
                stages = t
            band_peak = peak_mb(["pairs", scene, "--band", "raised"])
            within_peak = peak_mb(["pairs", scene, "--within", "2"])
            rows.append((n, kd, kd_count, es, count, statistics.median(within_wall), within_peak,
                         statistics.median(band_wall), band_peak, band_pairs, stages))

    print()
    print("| seats | cKDTree build+query (s) | pairs | earshot search (s) | pairs | search / cKDTree | "
          "`pairs --within 2` total (s) | peak MB | `pairs --band raised` total (s) | peak MB | raised pairs |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, kd, kc, es, ec, ww, wp, bw, bp, bpairs, _ in rows:
        print(f"| {n:,} | {kd:.4f} | {kc:,} | {es:.4f} | {ec:,} | {es / kd:.3f} | {ww:.3f} | {wp:.0f} | {bw:.3f} | {bp:.0f} | {bpairs:,} |")
    print()
    for n, *_, stages in rows:
        print(f"stages of `pairs --band raised` at {n:,} seats: " + ", ".join(f"{k} {v:.3f} s" for k, v in stages.items()))
    ok = all(kc == ec for _, _, kc, _, ec, *_ in rows)
    print()
    print("pair counts match cKDTree" if ok else "PAIR COUNTS DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
