#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Shared set-up for scripts/demo and scripts/test: installs the Debian packages ecrlp builds with
# (when run as root; otherwise prints the exact command and fails) and configures a build tree.
# Sourced, not executed.

ECRLP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# What the build needs (scripts/demo and scripts/test).
ECRLP_PACKAGES=(cmake g++ ninja-build nlohmann-json3-dev libsimdjson-dev libhowardhinnant-date-dev
                libfmt-dev libyaml-cpp-dev catch2 libbenchmark-dev python3)
# What the tests need besides (scripts/test only): locales and tzdata (the determinism tests switch
# to comma-decimal locales and far time zones), xmllint (the HTML reports are well-formed XML), and
# Debian's Chromium with its WebDriver, chromedriver, for the browser tests (tests/browser/; under
# CI=true they fail without it), cmark-gfm, GitHub's markdown parser, for the markdown reports, and
# pre-commit with python3-yaml, which run the CI examples of examples/ci/ (tests/ci_examples.py).
# groff-base and man-db render the generated man pages and report their warnings (docs.man_pages);
# zsh runs the zsh completion in a real shell (docs.zsh_completion; under CI=true it fails without).
# dpkg-dev has dpkg-shlibdeps, which gives the ecrlp Debian package its Depends (package.deb).
ECRLP_TEST_PACKAGES=(locales tzdata libxml2-utils chromium chromium-driver cmark-gfm pre-commit
                     python3-yaml groff-base man-db zsh dpkg-dev)

ecrlp_log() { printf '==> %s\n' "$*" >&2; }

ecrlp_install_packages() {
  local missing=() p
  for p in "${ECRLP_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  ecrlp_log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || { echo "apt-get update failed" >&2; exit 1; }
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    { echo "apt-get install ${missing[*]} failed" >&2; exit 1; }
}

# ecrlp_generate_locales LOCALE...: generates the named UTF-8 locales (de_DE.UTF-8 ...) that are
# not installed yet, for the locale-independence tests. Needs root and the `locales` package;
# otherwise it says so and leaves them missing (those tests then say they were skipped).
ecrlp_generate_locales() {
  local name missing=()
  for name in "$@"; do
    locale -a 2>/dev/null | grep -qix "${name/UTF-8/utf8}" || missing+=("$name")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v localedef >/dev/null; then
    ecrlp_log "locales ${missing[*]} are not installed (generate them as root with localedef)"
    return 0
  fi
  ecrlp_log "generating locales ${missing[*]}"
  for name in "${missing[@]}"; do
    localedef -i "${name%%.*}" -f UTF-8 "$name" >&2 ||
      ecrlp_log "localedef $name failed; the tests that use it will be skipped"
  done
}

# ecrlp_configure BUILD_DIR BUILD_TYPE [extra cmake args...]
ecrlp_configure() {
  local dir=$1 type=$2
  shift 2
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$jobs}
  ecrlp_log "configuring $dir ($type)"
  cmake -S "$ECRLP_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null ||
    { echo "cmake configure failed (see above)" >&2; exit 1; }
}
