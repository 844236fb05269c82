#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Tests examples/export-registry.sh against tests/registry/fake-aws (recorded responses).
#
# Usage: export_test.sh SOURCE_DIR [ECRLP_BINARY]
#        export_test.sh SOURCE_DIR --update-fixture
# ECRLP_BINARY (or $ECRLP): also check every saved lifecycle-policy.json with `ecrlp validate`.
# --update-fixture rewrites tests/data/registry/snapshot from the recordings, then runs the tests.
set -euo pipefail

src=${1:?usage: export_test.sh SOURCE_DIR [ECRLP_BINARY | --update-fixture]}
src=$(cd -- "$src" && pwd)
update_fixture=0 ecrlp=${ECRLP:-}
case ${2:-} in
  --update-fixture) update_fixture=1 ;;
  "") ;;
  *) ecrlp=$2 ;;
esac

export_sh=$src/examples/export-registry.sh
fake=$src/tests/registry/fake-aws
fixture=$src/tests/data/registry/snapshot
readonly epoch=1795845600 # 2026-11-28T06:00:00Z
readonly oci_index=sha256:aced17be2c6649144e79bf9347d37369518b843ca4b80bb8137f19a8825d3c1c
readonly docker_list=sha256:7f252be0df24aa0fd9a453298d26c1c2e844aed940779e9d814c209b796417ed

tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
mkdir "$tmp/bin"
ln -s "$fake" "$tmp/bin/aws"
export PATH="$tmp/bin:$PATH"
unset AWS_REGION AWS_DEFAULT_REGION AWS_PROFILE FAKE_AWS_DENY FAKE_AWS_RECORDED ECRLP_EXPORT_BATCH_SIZE SOURCE_DATE_EPOCH
[[ $(command -v aws) == "$tmp/bin/aws" ]] || { echo "FAIL: the fake aws is not first on PATH"; exit 1; }

failures=0 checks=0
fail() {
  printf 'FAIL: %s\n' "$*"
  failures=$((failures + 1))
}
check() {  # DESCRIPTION COMMAND...
  local what=$1
  shift
  checks=$((checks + 1))
  if ! "$@"; then fail "$what"; fi
}
equals() {  # DESCRIPTION EXPECTED ACTUAL
  checks=$((checks + 1))
  if [[ $2 != "$3" ]]; then
    fail "$1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/    /' || true
  fi
}

# run NAME [ENV=VALUE...] -- ARGS...: runs the exporter with a fresh call log; sets $status and
# leaves stdout/stderr/log in $tmp/NAME.{out,err,log}.
run() {
  local name=$1
  shift
  local -a env=()
  while [[ $1 != -- ]]; do env+=("$1"); shift; done
  shift
  : >"$tmp/$name.log"
  status=0
  env FAKE_AWS_LOG="$tmp/$name.log" "${env[@]}" bash "$export_sh" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || status=$?
}
calls() { grep -c -- " ecr $2 " "$tmp/$1.log" || true; }  # NAME OPERATION
files_of() { (cd -- "$1" && find . -mindepth 1 | LC_ALL=C sort); }

# ---- the fake itself refuses what it must refuse (otherwise the checks below prove nothing) ------
status=0
aws --output json ecr put-lifecycle-policy --repository-name payments --lifecycle-policy-text x >/dev/null 2>"$tmp/fake.err" || status=$?
equals "fake: put-lifecycle-policy exits 99" 99 "$status"
check "fake: says MUTATING" grep -q 'MUTATING call' "$tmp/fake.err"
for op in batch-delete-image delete-repository start-lifecycle-policy-preview; do
  status=0
  aws --output json ecr "$op" --repository-name payments >/dev/null 2>&1 || status=$?
  equals "fake: $op exits 99" 99 "$status"
done
status=0
aws --output json ecr describe-images --repository-name payments --max-items 5 >/dev/null 2>&1 || status=$?
equals "fake: describe-images without imageStatus=ANY exits 99" 99 "$status"
status=0
aws --output json ecr describe-images --repository-name payments --filter imageStatus=ANY --max-items 1000 >/dev/null 2>&1 || status=$?
equals "fake: --max-items other than the recording's page size exits 99" 99 "$status"
status=0
aws --output json ecr get-lifecycle-policy --repository-name batch-jobs >/dev/null 2>"$tmp/fake.err" || status=$?
equals "fake: no policy exits 254" 254 "$status"
equals "fake: LifecyclePolicyNotFoundException text" \
  "An error occurred (LifecyclePolicyNotFoundException) when calling the GetLifecyclePolicy operation: Lifecycle policy does not exist for the repository with name 'batch-jobs' in the registry with id '123456789012'" \
  "$(sed -n 2p "$tmp/fake.err")"

# ---- usage ----------------------------------------------------------------------------------------
run help -- --help
equals "--help exits 0" 0 "$status"
check "--help prints the usage" grep -q '^Usage: export-registry.sh \[--region R\]' "$tmp/help.out"
run no_dir -- --page-size 5
equals "no OUT_DIR exits 2" 2 "$status"
run bad_size -- --page-size 0 "$tmp/x"
equals "--page-size 0 exits 2" 2 "$status"
run bad_option -- --frobnicate "$tmp/x"
equals "unknown option exits 2" 2 "$status"
mkdir "$tmp/full" && echo keep >"$tmp/full/file"
run not_empty -- --page-size 5 "$tmp/full"
equals "a non-empty OUT_DIR exits 2" 2 "$status"
equals "a non-empty OUT_DIR is left alone" "./file" "$(files_of "$tmp/full")"
equals "usage errors make no AWS call" "" "$(cat "$tmp"/{help,no_dir,bad_size,bad_option,not_empty}.log)"

# ---- the whole registry -------------------------------------------------------------------------
mkdir "$tmp/a"
run all SOURCE_DATE_EPOCH=$epoch -- --region us-east-1 --page-size 5 "$tmp/a/snap"
equals "export exits 0" 0 "$status"
if ((status != 0)); then
  sed 's/^/    /' "$tmp/all.err"
  printf 'the export failed: %d of %d checks failed, the rest not run\n' "$failures" "$checks"
  exit 1
fi
equals "summary line" \
  "exported 6 of 6 repositories (38 images, 5 lifecycle policies, 2 indexes in 1 manifest batches) to $tmp/a/snap" \
  "$(cat "$tmp/all.out")"
snap=$tmp/a/snap
equals "layout" "./repositories
./repositories/analytics%2Fetl
./repositories/analytics%2Fetl/images
./repositories/analytics%2Fetl/images/page-0001.json
./repositories/analytics%2Fetl/lifecycle-policy.json
./repositories/analytics%2Fetl/repository.json
./repositories/batch-jobs
./repositories/batch-jobs/images
./repositories/batch-jobs/images/page-0001.json
./repositories/batch-jobs/repository.json
./repositories/payments
./repositories/payments/images
./repositories/payments/images/page-0001.json
./repositories/payments/images/page-0002.json
./repositories/payments/images/page-0003.json
./repositories/payments/lifecycle-policy.json
./repositories/payments/repository.json
./repositories/sandbox%2Fscratch
./repositories/sandbox%2Fscratch/images
./repositories/sandbox%2Fscratch/images/page-0001.json
./repositories/sandbox%2Fscratch/lifecycle-policy.json
./repositories/sandbox%2Fscratch/repository.json
./repositories/team-a%2Fapi
./repositories/team-a%2Fapi/images
./repositories/team-a%2Fapi/images/page-0001.json
./repositories/team-a%2Fapi/images/page-0002.json
./repositories/team-a%2Fapi/lifecycle-policy.json
./repositories/team-a%2Fapi/repository.json
./repositories/web
./repositories/web/images
./repositories/web/images/page-0001.json
./repositories/web/images/page-0002.json
./repositories/web/lifecycle-policy.json
./repositories/web/manifests
./repositories/web/manifests/batch-0001.json
./repositories/web/repository.json
./snapshot.json" "$(files_of "$snap")"
equals "nothing but the snapshot is left next to it" "./snap" "$(cd "$tmp/a" && find . -mindepth 1 -maxdepth 1)"
check "no lifecycle-policy.json without a policy" test ! -e "$snap/repositories/batch-jobs/lifecycle-policy.json"
for dir in "$snap"/repositories/*/; do
  enc=$(basename "$dir")
  name=$(sed -n 's/^    "repositoryName": "\(.*\)",$/\1/p' "$dir/repository.json")
  equals "repository.json of $enc names its repository" "${enc//%2F//}" "$name"
  for page in "$dir"/images/page-*.json; do
    check "$enc: every image of $(basename "$page") is of its repository" \
      test "$(grep -c '^            "repositoryName": ' "$page" || true)" = \
      "$(grep -c "^            \"repositoryName\": \"${enc//%2F//}\"," "$page" || true)"
  done
done
equals "last pages have no NextToken" "" \
  "$(grep -l NextToken "$snap/repositories/payments/images/page-0003.json" "$snap/repositories/web/images/page-0002.json" || true)"
check "earlier pages keep their NextToken" grep -q '^    "NextToken": ' "$snap/repositories/payments/images/page-0002.json"
equals "empty repository: one empty page" '{
    "imageDetails": []
}' "$(cat "$snap/repositories/sandbox%2Fscratch/images/page-0001.json")"
equals "manifest batch holds both indexes, in page order" "$oci_index
$docker_list" "$(sed -n 's/^                "imageDigest": "\(.*\)"$/\1/p' "$snap/repositories/web/manifests/batch-0001.json")"
check "manifest batch has no failures" grep -qx '    "failures": \[\]' "$snap/repositories/web/manifests/batch-0001.json"
equals "snapshot.json" '{
    "format": "ecrlp-registry-snapshot",
    "version": 1,
    "createdAt": "2026-11-28T06:00:00Z",
    "region": "us-east-1",
    "repositoryFilter": ""
}' "$(cat "$snap/snapshot.json")"

# The calls: read-only, JSON, paginated, imageStatus=ANY, each exactly as often as needed.
equals "only read-only operations" "batch-get-image
describe-images
describe-repositories
get-lifecycle-policy" "$(sed 's/.* ecr \([a-z-]*\) .*/\1/' "$tmp/all.log" | sort -u)"
equals "describe-repositories calls" 2 "$(calls all describe-repositories)"
equals "describe-images calls" 10 "$(calls all describe-images)"
equals "get-lifecycle-policy calls" 6 "$(calls all get-lifecycle-policy)"
equals "batch-get-image calls" 1 "$(calls all batch-get-image)"
equals "every call has --output json --region us-east-1" 19 "$(grep -c '^--output json --region us-east-1 ecr ' "$tmp/all.log" || true)"
equals "every describe-images has --filter imageStatus=ANY" 10 "$(grep -c 'describe-images .*--filter imageStatus=ANY' "$tmp/all.log" || true)"

if ((update_fixture)); then
  rm -rf -- "$fixture"
  mkdir -p -- "$(dirname -- "$fixture")"
  cp -R -- "$snap" "$fixture"
  echo "updated $fixture"
fi
check "snapshot equals the committed fixture tests/data/registry/snapshot" diff -r "$fixture" "$snap"

# Without SOURCE_DATE_EPOCH and --region: createdAt is now, the region comes from the ARNs.
before=$(date -u +%Y-%m-%dT%H:%M:%SZ)
run now -- --page-size=5 "$tmp/now"
after=$(date -u +%Y-%m-%dT%H:%M:%SZ)
equals "export without --region exits 0" 0 "$status"
created=$(sed -n 's/^    "createdAt": "\(.*\)",$/\1/p' "$tmp/now/snapshot.json")
check "createdAt ($created) is the time of the export" test "$before" '<' "$created" -o "$before" = "$created"
check "createdAt ($created) is not later than the export" test "$created" '<' "$after" -o "$created" = "$after"
check "same snapshot apart from createdAt" diff -r -I '^    "createdAt": "' "$fixture" "$tmp/now"
equals "no --region passed on" 0 "$(grep -c -- '--region' "$tmp/now.log" || true)"

# ---- --repositories GLOB ------------------------------------------------------------------------
run glob -- --page-size 5 --repositories 'team-a/*' "$tmp/glob"
equals "--repositories exits 0" 0 "$status"
equals "--repositories 'team-a/*' keeps team-a/api only" "./repositories
./repositories/team-a%2Fapi
./repositories/team-a%2Fapi/images
./repositories/team-a%2Fapi/images/page-0001.json
./repositories/team-a%2Fapi/images/page-0002.json
./repositories/team-a%2Fapi/lifecycle-policy.json
./repositories/team-a%2Fapi/repository.json
./snapshot.json" "$(files_of "$tmp/glob")"
check "the filter is recorded" grep -qx '    "repositoryFilter": "team-a/\*"' "$tmp/glob/snapshot.json"
equals "filtered-out repositories are never read" "" "$(grep -E 'ecr (describe-images|get-lifecycle-policy|batch-get-image) ' "$tmp/glob.log" | grep -v -- '--repository-name team-a/api ' || true)"
check "the filtered repository is identical" diff -r "$fixture/repositories/team-a%2Fapi" "$tmp/glob/repositories/team-a%2Fapi"
run glob2 -- --page-size 5 --repositories '[ab]*' "$tmp/glob2"
equals "--repositories '[ab]*' ('*' matches across '/')" "analytics%2Fetl batch-jobs" "$(cd "$tmp/glob2/repositories" && echo *)"
run none -- --page-size 5 --repositories 'nothing-*' "$tmp/none"
equals "a filter matching nothing exits 0" 0 "$status"
equals "a filter matching nothing: empty snapshot" "./repositories
./snapshot.json" "$(files_of "$tmp/none")"
equals "a filter matching nothing: summary" "exported 0 of 6 repositories (0 images, 0 lifecycle policies, 0 indexes in 0 manifest batches) to $tmp/none" "$(cat "$tmp/none.out")"

# ---- batches and --no-manifests -----------------------------------------------------------------
run batch1 ECRLP_EXPORT_BATCH_SIZE=1 -- --page-size 5 --repositories web "$tmp/batch1"
equals "batch size 1: two batches" "batch-0001.json batch-0002.json" "$(cd "$tmp/batch1/repositories/web/manifests" && echo *)"
equals "batch size 1: one id per call" 2 "$(grep -c 'batch-get-image .*--image-ids imageDigest=[^ ]* --accepted-media-types' "$tmp/batch1.log" || true)"
equals "batch size 1: same manifests" "$(sed -n '/"imageManifest"/p' "$fixture/repositories/web/manifests/batch-0001.json")" \
  "$(cat "$tmp/batch1/repositories/web/manifests/batch-000"{1,2}.json | sed -n '/"imageManifest"/p')"
run nomani -- --page-size 5 --no-manifests --repositories web "$tmp/nomani"
check "--no-manifests: no manifests directory" test ! -e "$tmp/nomani/repositories/web/manifests"
equals "--no-manifests: no batch-get-image" 0 "$(calls nomani batch-get-image)"

# ---- failures leave nothing behind --------------------------------------------------------------
expect_failure() {  # NAME DENY MESSAGE-REGEX
  mkdir "$tmp/f-$1"
  run "$1" FAKE_AWS_DENY="$2" -- --page-size 5 "$tmp/f-$1/snap"
  equals "$1: exits 1" 1 "$status"
  check "$1: says why" grep -qE "$3" "$tmp/$1.err"
  equals "$1: no OUT_DIR and no partial directory" "" "$(ls -A "$tmp/f-$1")"
  equals "$1: no summary on stdout" "" "$(cat "$tmp/$1.out")"
}
expect_failure deny_images describe-images:web \
  "error: aws ecr describe-images failed while listing the images of web \(exit 254\): An error occurred \(AccessDeniedException\) when calling the DescribeImages operation"
expect_failure deny_policy get-lifecycle-policy:payments \
  "error: aws ecr get-lifecycle-policy failed for payments \(exit 254\): .*AccessDeniedException"
expect_failure deny_list describe-repositories "error: aws ecr describe-repositories failed while listing repositories"
expect_failure deny_batch batch-get-image "error: aws ecr batch-get-image failed while fetching the index manifests of web"
mkdir "$tmp/f-size"
run default_size -- "$tmp/f-size/snap"
equals "a call the fake cannot answer (default --page-size 1000) fails the export" 1 "$status"
equals "... and leaves nothing" "" "$(ls -A "$tmp/f-size")"

# ---- the saved policies are valid ---------------------------------------------------------------
if [[ -n $ecrlp ]]; then
  for policy in "$snap"/repositories/*/lifecycle-policy.json; do
    checks=$((checks + 1))
    if ! out=$("$ecrlp" validate "$policy" 2>&1); then
      fail "ecrlp validate ${policy#"$snap"/}"
      printf '    %s\n' "$out"
    fi
  done
else
  echo "note: no ecrlp binary given, policies not validated"
fi

if ((failures)); then
  printf '%d of %d checks failed\n' "$failures" "$checks"
  exit 1
fi
printf 'all %d checks passed\n' "$checks"
