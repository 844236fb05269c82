#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/compare.sh: `ecrlp preview --format json` against the ingest floor, on the same file.
#
# One command: builds Release (ecrlp and bench/ingest_floor), generates a describe-images page with
# scripts/gen-inventory.py (fixed seed, so every run reads the same bytes), then runs the two
# programs in alternation, RUNS times each after one untimed warm-up of each (page cache), and
# prints the medians of wall time, CPU time (user + system) and peak RSS, and the ratios
# ecrlp / floor. Output goes to /dev/null for both. Public tools only: bash, cmake, python3.
#
# Usage: bench/compare.sh [--images N[,N...]] [--runs R] [--build-dir DIR] [--data-dir DIR]
#                         [--baseline ECRLP]
#   --images   image counts to compare (default 100000; e.g. 10000,100000,1000000 for the curve)
#   --runs     timed runs of each program per size (default 7)
#   --build-dir  Release build tree (default build-compare at the top of the source tree)
#   --data-dir   where generated inputs are kept between runs (default <build-dir>/compare-data)
#   --baseline   another ecrlp binary (e.g. a Release build of the previous commit), run in the
#                same alternation; its medians and the ratios ecrlp / baseline are printed too
#
# Figures drift with the machine and its load; ratios measured in one run drift much less.
# docs/performance.md explains the method and records the latest figures.

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes=100000
runs=7
build="$root/build-compare"
data=""
baseline=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --images) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    --data-dir) data="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    -h|--help) sed -n '3,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$data" ]] || data="$build/compare-data"

# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
bench_build ecrlp-cli ingest_floor
bench_inputs

ecrlp="$build/ecrlp"
floor="$build/bench/ingest_floor"
policy="$root/examples/story/policy.json"

python3 - "$ecrlp" "$floor" "$policy" "$now" "$runs" "$data" "$seed" "$baseline" \
  "${size_list[@]}" <<'PY'
import os, statistics, subprocess, sys, time

ecrlp, floor, policy, now, runs, data, seed, baseline = sys.argv[1:9]
runs = int(runs)
sizes = [int(s) for s in sys.argv[9:]]

def run(argv):
    """Wall seconds, CPU seconds (user + system of the child) and peak RSS in MiB."""
    with open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=devnull, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"compare.sh: {' '.join(argv)} exited with {code}:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0

rows = []
for n in sizes:
    file = os.path.join(data, f"images-{n}-seed{seed}.json")
    preview = ["preview", "--policy", policy, "--images", file, "--now", now, "--format", "json"]
    commands = {"ecrlp": [ecrlp] + preview, "floor": [floor, file]}
    if baseline:
        commands["baseline"] = [baseline] + preview
    for argv in commands.values():  # warm-up: page cache, dynamic loader
        run(argv)
    samples = {name: [] for name in commands}
    for _ in range(runs):  # alternate, so that drifting load hits both alike
        for name, argv in commands.items():
            samples[name].append(run(argv))
    med = {name: [statistics.median(s[i] for s in samples[name]) for i in range(3)]
           for name in commands}
    size_mb = os.path.getsize(file) / 1e6
    print(f"\n{n:,} images ({size_mb:.0f} MB), {runs} alternated runs each, medians:")
    print(f"  {'':8} {'wall s':>8} {'cpu s':>8} {'peak RSS MiB':>13}")
    for name in commands:
        w, c, r = med[name]
        print(f"  {name:8} {w:8.3f} {c:8.3f} {r:13.0f}")
    ew, ec, er = med["ecrlp"]
    fw, fc, fr = med["floor"]
    print(f"  ratio ecrlp/floor: wall {ew / fw:.2f}x, cpu {ec / fc:.2f}x, RSS {er / fr:.2f}x")
    if baseline:
        bw, bc, br = med["baseline"]
        print(f"  ratio ecrlp/baseline: wall {ew / bw:.2f}x, cpu {ec / bc:.2f}x, "
              f"RSS {er / br:.2f}x")
    rows.append((n, ew, ec, er, fw, fc, fr))

if len(rows) > 1:
    print("\nscaling (medians; per-image figures should stay flat for linear growth):")
    print(f"  {'images':>10} {'ecrlp wall s':>13} {'us/image':>9} {'ecrlp RSS MiB':>14}"
          f" {'floor wall s':>13} {'wall ratio':>11}")
    for n, ew, ec, er, fw, fc, fr in rows:
        print(f"  {n:>10,} {ew:13.3f} {ew / n * 1e6:9.2f} {er:14.0f} {fw:13.3f} {ew / fw:10.2f}x")
PY
