#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Exercises the generated bash completion (ctest docs.bash_completion) the way bash calls it:
# COMP_WORDS and COMP_CWORD set, _ecrlp called, COMPREPLY read. What it must offer comes from the
# real ecrlp (its --help lists and its usage errors), so the test follows the option tables.
#   bash_completion.sh COMPLETION_FILE ECRLP WORK_DIR
set -u
completion=$1 ecrlp=$(cd "$(dirname "$2")" && pwd)/$(basename "$2") work=$3
# shellcheck source=/dev/null
source "$completion" || { echo "FAIL: cannot source $completion"; exit 1; }
failures=0

# answers WORD...: what completing the last WORD offers, sorted, one per line.
answers() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _ecrlp ecrlp "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  ((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}
# expect WHAT EXPECTED WORD...: completing WORD... offers exactly EXPECTED (lines, any order).
expect() {
  local what=$1 expected actual
  expected=$(printf '%s' "$2" | LC_ALL=C sort)
  shift 2
  actual=$(answers "$@")
  if [[ $actual == "$expected" ]]; then
    echo "ok   $what"
  else
    echo "FAIL $what: 'ecrlp ${*:2}<TAB>'"
    echo "     expected: $(echo $expected)"
    echo "     offered:  $(echo $actual)"
    failures=$((failures + 1))
  fi
}
lines() { printf '%s\n' "$@"; }

# The commands and each command's options, as `ecrlp --help` and `ecrlp COMMAND --help` list them.
commands=$("$ecrlp" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p')
[[ -n $commands ]] || { echo "FAIL: no command in ecrlp --help"; exit 1; }
# The values of a choice option, from the parser's error: "(expected table, json)" or
# "--mode takes replay or static, not 'x'".
choices() {
  "$ecrlp" "$1" "--$2" not-a-choice 2>&1 >/dev/null |
    sed -n -e 's/.*(expected \(.*\)).*/\1/p' -e 's/.* takes \(.*\), not .*/\1/p' |
    sed 's/, / /g; s/ or / /g' | tr ' ' '\n'
}

expect "a command" "preview" ecrlp pre
expect "every command" "$(lines $commands --help --version)" ecrlp ""
expect "an option" "--format" ecrlp preview --fo
expect "--format's values" "$(choices preview format)" ecrlp preview --format ""
expect "--format=VALUE, split at =" "$(choices preview format)" ecrlp preview --format = ""
expect "--format=VALUE, split at =, started" "json" ecrlp preview --format = js
saved=$COMP_WORDBREAKS
COMP_WORDBREAKS=${COMP_WORDBREAKS//=/}
expect "--format=VALUE, not split" "--format=json" ecrlp preview --format=js
COMP_WORDBREAKS=$saved
expect "nothing for a time" "" ecrlp preview --now ""
expect "options after a flag" "--independent-images" ecrlp preview --impact --indep

# File and directory names, in a scratch directory.
rm -rf "$work" && mkdir -p "$work/snapshot" "$work/snap2" && cd "$work" || exit 1
touch images-1.json images-2.json policy.json
expect "--images FILE" "$(lines images-1.json images-2.json)" ecrlp preview --images im
expect "--images, every file" "$(lines images-1.json images-2.json policy.json snap2 snapshot)" \
  ecrlp preview --images ""
expect "--registry DIR: directories only" "$(lines snap2 snapshot)" ecrlp preview --registry ""
expect "POLICY (a positional file)" "policy.json" ecrlp validate pol
expect "lint POLICY then an option" "--registry" ecrlp lint policy.json --reg

# Every command completes exactly the options its --help lists, and each choice option its values.
for c in $commands; do
  options=$("$ecrlp" "$c" --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p; s/^  -h, \(--help\).*/\1/p')
  expect "$c: every option" "$options" ecrlp "$c" --
  for o in $options; do
    values=$(choices "$c" "${o#--}")
    [[ -z $values ]] || expect "$c $o: its values" "$values" ecrlp "$c" "$o" ""
  done
done

if [[ $(complete -p ecrlp) != "complete -F _ecrlp ecrlp" ]]; then
  echo "FAIL: the completion is not registered: $(complete -p ecrlp 2>&1)"
  failures=$((failures + 1))
fi
echo "$failures failure(s)"
((failures == 0))
