# SPDX-License-Identifier: MIT
#
# bench/common.sh: shared by bench/compare.sh and bench/memory.sh (sourced, not run).
# Expects: root (source tree), build, data, sizes (comma-separated image counts).
# Sets: now, seed, size_list; builds the given targets (Release) and generates the inputs.

now="2026-11-28T00:00:00Z"
seed=12

# bench_build TARGET...: configures Release with the benchmarks in $build and builds TARGETs.
bench_build() {
  echo "== build (Release) in $build"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DECRLP_BUILD_BENCH=ON \
    -DECRLP_BUILD_TESTS=OFF -DECRLP_BUILD_EXAMPLES=OFF -DECRLP_INSTALL=OFF >/dev/null
  cmake --build "$build" --parallel 2 --target "$@" >/dev/null
}

# bench_inputs: generates $data/images-N-seed12.json for every N of $sizes (kept between runs),
# then prints the machine and its load.
bench_inputs() {
  mkdir -p "$data"
  IFS=',' read -r -a size_list <<<"$sizes"
  local n file
  for n in "${size_list[@]}"; do
    file="$data/images-$n-seed$seed.json"
    if [[ ! -s "$file" ]]; then
      echo "== generate $n images (seed $seed) -> $file"
      python3 "$root/scripts/gen-inventory.py" --images "$n" --seed "$seed" --now "$now" \
        --output "$file.tmp"
      mv "$file.tmp" "$file"
    fi
  done
  echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
}
