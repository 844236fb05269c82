#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/memory.sh: peak RSS and time of ingest (load_inventory), windowed against whole, and of
# `ecrlp preview --format json`, on describe-images pages of several sizes.
#
# Builds Release (ecrlp, bench/ingest_rss) like bench/compare.sh, generates the pages with
# scripts/gen-inventory.py (fixed seed; kept between runs), then for each size runs, in
# alternation, RUNS times each after one untimed warm-up of each (page cache):
#   whole     bench/ingest_rss --whole FILE   every page parsed in one simdjson pass (as before)
#   windowed  bench/ingest_rss FILE           load_inventory as the CLI reads its --images
#   preview   ecrlp preview --policy examples/story/policy.json --images FILE --format json
# and prints the medians of wall time, CPU time (user + system) and peak RSS (ru_maxrss), the
# ratios windowed / whole, and the RSS per thousand images (flat = linear growth). The two
# ingest modes must load the same images: their checksums are compared.
#
# Usage: bench/memory.sh [--images N[,N...]] [--runs R] [--build-dir DIR] [--data-dir DIR]
#                        [--ingest-only]
#   --images   image counts (default 10000,100000,1000000)
#   --runs     timed runs of each program per size (default 5)
#   --build-dir  Release build tree (default build-compare at the top of the source tree)
#   --data-dir   where generated inputs are kept (default <build-dir>/compare-data)
#   --ingest-only  leave ecrlp preview out (whole and windowed ingest only)

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes=10000,100000,1000000
runs=5
build="$root/build-compare"
data=""
preview=1

while [[ $# -gt 0 ]]; do
  case "$1" in
    --images) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    --data-dir) data="$2"; shift 2 ;;
    --ingest-only) preview=0; shift ;;
    -h|--help) sed -n '3,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "memory.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$data" ]] || data="$build/compare-data"

# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
bench_build ecrlp-cli ingest_rss
bench_inputs

python3 - "$build/ecrlp" "$build/bench/ingest_rss" "$root/examples/story/policy.json" "$now" \
  "$runs" "$data" "$seed" "$preview" "${size_list[@]}" <<'PY'
import os, statistics, subprocess, sys, time

ecrlp, ingest, policy, now, runs, data, seed, with_preview = sys.argv[1:9]
runs = int(runs)
sizes = [int(s) for s in sys.argv[9:]]

def run(argv):
    """Wall s, CPU s (user + system of the child), peak RSS MiB, and the child's stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read() if argv[0] == ingest else b""
    if argv[0] != ingest:
        for _ in iter(lambda: proc.stdout.read(1 << 20), b""):
            pass
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stdout.close()
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"memory.sh: {' '.join(argv)} exited with {code}:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, out.decode()

def checksum(out):
    words = out.split()
    return words[words.index("checksum") + 1]

rows = []
for n in sizes:
    file = os.path.join(data, f"images-{n}-seed{seed}.json")
    commands = {
        "whole": [ingest, "--whole", file],
        "windowed": [ingest, file],
        "preview": [ecrlp, "preview", "--policy", policy, "--images", file, "--now", now,
                    "--format", "json"],
    }
    if with_preview != "1":
        del commands["preview"]
    sums = {name: checksum(run(argv)[3]) for name, argv in commands.items()
            if name != "preview"}  # warm-up
    if "preview" in commands:
        run(commands["preview"])
    if sums["whole"] != sums["windowed"]:
        sys.exit(f"memory.sh: whole and windowed ingest loaded different images ({sums})")
    samples = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(run(argv)[:3])
    med = {name: [statistics.median(s[i] for s in samples[name]) for i in range(3)]
           for name in commands}
    size_mb = os.path.getsize(file) / 1e6
    print(f"\n{n:,} images ({size_mb:.0f} MB), {runs} alternated runs each, medians:")
    print(f"  {'':9} {'wall s':>8} {'cpu s':>8} {'peak RSS MiB':>13} {'KiB/image':>10}")
    for name in commands:
        w, c, r = med[name]
        print(f"  {name:9} {w:8.3f} {c:8.3f} {r:13.0f} {r * 1024 / n:10.2f}")
    (ww, wc, wr), (dw, dc, dr) = med["whole"], med["windowed"]
    print(f"  ratio windowed/whole: wall {dw / ww:.2f}x, cpu {dc / wc:.2f}x, RSS {dr / wr:.2f}x")
    rows.append((n, med))

if len(rows) > 1:
    print("\nscaling (peak RSS MiB; per thousand images in brackets):")
    print(f"  {'images':>10} {'whole':>16} {'windowed':>16} {'preview':>16}")
    for n, med in rows:
        cells = [f"{med[k][2]:7.0f} ({med[k][2] * 1000 / n:5.2f})" if k in med else "-"
                 for k in ("whole", "windowed", "preview")]
        print(f"  {n:>10,} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16}")
PY
