# SPDX-License-Identifier: MIT
# Exercises the generated zsh completion (ctest docs.zsh_completion) in a real interactive zsh on a
# pseudo-terminal (zsh/zpty): a command line is typed, then TAB; what the completion system offers
# is what reaches compadd, which is wrapped to write its words to a file (and still add them: a
# completer that added nothing would fall back to other matches, all files for instance).
# Expected lists come from the real ecrlp (--help lists, usage errors), as in bash_completion.sh.
#   zsh -f zsh_completion.zsh COMPLETION_DIR ECRLP WORK_DIR
emulate -L zsh
setopt extended_glob
zmodload zsh/zpty || { print "FAIL: no zsh/zpty module"; exit 1 }
completion_dir=$1 ecrlp=${2:A} work=$3
rm -rf $work && mkdir -p $work/home $work/files/snapshot $work/files/snap2 || exit 1
touch $work/files/{images-1.json,images-2.json,policy.json}
failures=0

# wait_for FILE: until FILE exists (at most 20 s), reading what the terminal shows meanwhile so
# that zsh never blocks on a full pseudo-terminal.
wait_for() {
  local junk i
  for (( i = 0; i < 400; ++i )); do
    while zpty -r -t z junk 2>/dev/null; do :; done
    [[ -e $1 ]] && return 0
    sleep 0.05
  done
  print "FAIL: zsh did not answer (waiting for $1)"
  exit 1
}

HOME=$work/home zpty z zsh -f -i
zpty -w z "PS1= RPS1= PROMPT=; fpath=(${(q)completion_dir} \$fpath); path=(${(q)ecrlp:h} \$path)"
zpty -w z "autoload -Uz compinit && compinit -u -D; cd ${(q)work}/files"
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a hits; builtin compadd -A hits "$@"
  (( $#hits )) && print -rl -- $hits >> $ECRLP_HITS
  builtin compadd "$@"
}'
# The completer says when it is done: TAB is answered before the line is cleared.
zpty -w z '_ecrlp_test_completer() { _complete; local r=$?; print -n > $ECRLP_HITS.done; return r }'
zpty -w z "zstyle ':completion:*' completer _ecrlp_test_completer"
zpty -w z "bindkey '^I' complete-word; print -n > ${(q)work}/ready"
wait_for $work/ready

integer n=0
# answers LINE: sets `answer` to the words offered for the end of LINE, sorted, one per line (not
# in a $(...): the subshell would lose the count).
answers() {
  (( ++n ))
  zpty -w z "ECRLP_HITS=${(q)work}/hits-$n; : > \$ECRLP_HITS; print -n > \$ECRLP_HITS.ready"
  wait_for $work/hits-$n.ready
  zpty -w -n z "$1"$'\t'
  wait_for $work/hits-$n.done
  zpty -w z $'\C-u'
  answer=${(F)${(ou)${(f)"$(<$work/hits-$n)"}}}
}
expect() {  # WHAT EXPECTED LINE
  local expected=${(F)${(ou)${(f)2}}} actual
  answers $3
  actual=$answer
  if [[ $actual == $expected ]]; then
    print "ok   $1"
  else
    print "FAIL $1: '$3<TAB>'\n     expected: ${(f)expected}\n     offered:  ${(f)actual}"
    (( ++failures ))
  fi
}

cmds=(${(f)"$($ecrlp --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p')"})
(( $#cmds )) || { print "FAIL: no command in ecrlp --help"; exit 1 }
choices() {
  $ecrlp $1 --$2 not-a-choice 2>&1 >/dev/null |
    sed -n -e 's/.*(expected \(.*\)).*/\1/p' -e 's/.* takes \(.*\), not .*/\1/p' |
    sed 's/, / /g; s/ or / /g' | tr ' ' '\n'
}

expect "a command" preview "ecrlp pre"
expect "every command" "${(F)cmds}" "ecrlp "
expect "an option" --format "ecrlp preview --fo"
expect "--format's values" "$(choices preview format)" "ecrlp preview --format "
expect "--format=VALUE" "$(choices preview format)" "ecrlp preview --format="
expect "--images FILE" $'images-1.json\nimages-2.json' "ecrlp preview --images im"
expect "--registry DIR: directories only" $'snap2\nsnapshot' "ecrlp preview --registry "
expect "POLICY (a positional file)" policy.json "ecrlp validate pol"
for c in $cmds; do
  opts=(${(f)"$($ecrlp $c --help |
                sed -n 's/^  \(--[a-z-]*\).*/\1/p; s/^  -h, \(--help\).*/\1/p')"})
  expect "$c: every option" "${(F)opts}" "ecrlp $c --"
  for o in $opts; do
    values=$(choices $c ${o#--})
    [[ -z $values ]] || expect "$c $o: its values" "$values" "ecrlp $c $o "
  done
done
zpty -d z
print "$failures failure(s)"
(( failures == 0 ))
