#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# export-registry.sh: save a read-only snapshot of an Amazon ECR registry (repositories, images of
# every storage class, lifecycle policies, image-index manifests) for `ecrlp ... --registry DIR`.
# The layout is documented in docs/registry-snapshot.md. Needs bash, the AWS CLI and coreutils;
# no jq, no python.
set -euo pipefail

readonly prog=${0##*/}
readonly max_batch=100
readonly index_types=(
  application/vnd.oci.image.index.v1+json
  application/vnd.docker.distribution.manifest.list.v2+json
)
readonly accepted_media_types=(
  application/vnd.oci.image.manifest.v1+json
  application/vnd.oci.image.index.v1+json
  application/vnd.docker.distribution.manifest.v2+json
  application/vnd.docker.distribution.manifest.list.v2+json
)

usage() {
  cat <<EOF
Usage: $prog [--region R] [--profile P] [--repositories GLOB] [--page-size N] [--no-manifests] OUT_DIR

Saves a snapshot of an Amazon ECR registry into OUT_DIR (which must not exist, or be empty) for
\`ecrlp preview --registry OUT_DIR\`. Only read-only calls are made:
  aws ecr describe-repositories   every repository (ecr:DescribeRepositories)
  aws ecr describe-images         all images, --filter imageStatus=ANY (ecr:DescribeImages)
  aws ecr get-lifecycle-policy    each repository's policy, if any (ecr:GetLifecyclePolicy)
  aws ecr batch-get-image         the manifests of image indexes / manifest lists, at most
                                  $max_batch per call (ecr:BatchGetImage)

Options:
  --region R            AWS region (default: the CLI's configuration).
  --profile P           AWS CLI profile (default: the CLI's configuration).
  --repositories GLOB   Only repositories whose name matches the shell pattern GLOB, e.g.
                        'team-a/*' ('*' also matches '/'). Default: all.
  --page-size N         Images (and repositories) per saved page, 1..1000 (default 1000).
  --no-manifests        Skip batch-get-image: no manifests/ directories, so ecrlp cannot see which
                        images an index references.
  -h, --help            Show this help.

The snapshot is written to a temporary directory next to OUT_DIR and renamed into place at the
end: a failed export leaves nothing behind. Progress goes to stderr, a one-line summary to stdout.

Environment:
  SOURCE_DATE_EPOCH          If set, snapshot.json's createdAt (default: the start of the export).
  ECRLP_EXPORT_BATCH_SIZE    Image ids per batch-get-image call, 1..$max_batch (default $max_batch).
  AWS_*                      Read by the AWS CLI as usual.

Exit status: 0 done, 1 an AWS call failed or returned something unexpected, 2 usage error.
EOF
}

die() {
  printf '%s: error: %s\n' "$prog" "$*" >&2
  exit 1
}
usage_error() {
  printf '%s: %s\n' "$prog" "$*" >&2
  printf "Try '%s --help'.\n" "$prog" >&2
  exit 2
}
progress() { printf '%s: %s\n' "$prog" "$*" >&2; }

# ---- command line -----------------------------------------------------------------------------
region="" profile="" glob="" page_size=1000 manifests=1 out_dir=""
need_value() { (($2 >= 2)) || usage_error "option $1 needs a value"; }
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --region) need_value "$1" $#; region=$2; shift 2 ;;
    --region=*) region=${1#*=}; shift ;;
    --profile) need_value "$1" $#; profile=$2; shift 2 ;;
    --profile=*) profile=${1#*=}; shift ;;
    --repositories) need_value "$1" $#; glob=$2; shift 2 ;;
    --repositories=*) glob=${1#*=}; shift ;;
    --page-size) need_value "$1" $#; page_size=$2; shift 2 ;;
    --page-size=*) page_size=${1#*=}; shift ;;
    --no-manifests) manifests=0; shift ;;
    --) shift; break ;;
    -*) usage_error "unknown option '$1'" ;;
    *) [[ -z $out_dir ]] || usage_error "more than one OUT_DIR ('$out_dir', '$1')"; out_dir=$1; shift ;;
  esac
done
if (($#)); then
  [[ -z $out_dir && $# -eq 1 ]] || usage_error "more than one OUT_DIR"
  out_dir=$1
fi
[[ -n $out_dir ]] || usage_error "no OUT_DIR given"
if [[ ! $page_size =~ ^[1-9][0-9]*$ ]] || ((page_size > 1000)); then
  usage_error "--page-size must be a whole number from 1 to 1000, not '$page_size'"
fi
[[ $glob != *[[:cntrl:]]* ]] || usage_error "--repositories must not contain control characters"
batch_size=${ECRLP_EXPORT_BATCH_SIZE:-$max_batch}
if [[ ! $batch_size =~ ^[1-9][0-9]*$ ]] || ((batch_size > max_batch)); then
  usage_error "ECRLP_EXPORT_BATCH_SIZE must be a whole number from 1 to $max_batch, not '$batch_size'"
fi
if [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then
  [[ $SOURCE_DATE_EPOCH =~ ^[0-9]+$ ]] || usage_error "SOURCE_DATE_EPOCH must be whole seconds, not '$SOURCE_DATE_EPOCH'"
  created_at=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
else
  created_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
fi

out_dir=${out_dir%/}
[[ -n $out_dir ]] || usage_error "OUT_DIR must not be /"
if [[ -e $out_dir || -L $out_dir ]]; then
  [[ -d $out_dir && ! -L $out_dir ]] || usage_error "'$out_dir' exists and is not a directory"
  [[ -z $(ls -A -- "$out_dir") ]] || usage_error "'$out_dir' exists and is not empty"
fi
out_parent=$(dirname -- "$out_dir")
[[ -d $out_parent ]] || usage_error "the parent directory of '$out_dir' does not exist"
command -v aws >/dev/null || die "the AWS CLI ('aws') is not on PATH"

# ---- scratch space: the snapshot is built in $work and renamed to OUT_DIR at the end -----------
work="" scratch=""
cleanup() { rm -rf -- "${work:-}" "${scratch:-}"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
out_base=$(basename -- "$out_dir")
work=$(mktemp -d "$out_parent/.$out_base.partial.XXXXXX")
scratch=$(mktemp -d)
mkdir "$work/repositories"

export AWS_PAGER=""
aws_base=(aws --output json)
[[ -z $region ]] || aws_base+=(--region "$region")
[[ -z $profile ]] || aws_base+=(--profile "$profile")

# aws_ecr OUT_FILE OPERATION ARGS...: runs `aws ecr OPERATION ARGS...`, stdout to OUT_FILE, stderr
# to $scratch/stderr. Returns the CLI's exit status.
aws_ecr() {
  local out=$1
  shift
  "${aws_base[@]}" ecr "$@" >"$out" 2>"$scratch/stderr"
}
# The CLI's error message: its non-empty stderr lines, the second and later ones indented.
aws_message() { grep -v '^[[:space:]]*$' "$scratch/stderr" | sed '2,$s/^/    /' || true; }
# aws_ecr_or_die WHAT OUT_FILE OPERATION ARGS...
aws_ecr_or_die() {
  local what=$1
  shift
  local status=0
  aws_ecr "$@" || status=$?
  ((status == 0)) || die "aws ecr $2 failed while $what (exit $status): $(aws_message)"
}

# The CLI's pagination token of a saved page ("" when it is the last page).
next_token() { sed -n 's/^    "NextToken": "\(.*\)",\{0,1\}$/\1/p' "$1"; }

# paginate WHAT DIR MEMBER OPERATION ARGS...: saves the pages of a paginated call as
# DIR/page-0001.json, ... (checking each is the CLI's JSON with the array MEMBER) and prints the
# number of pages.
paginate() {
  local what=$1 dir=$2 member=$3
  shift 3
  local page=0 token="" previous="" file
  local -a extra=()
  while :; do
    page=$((page + 1))
    file=$(printf '%s/page-%04d.json' "$dir" "$page")
    aws_ecr_or_die "$what" "$file" "$@" --max-items "$page_size" "${extra[@]}"
    grep -q "^    \"$member\": \\[" "$file" || die "unexpected output of aws ecr $1 while $what (no \"$member\" array): $file"
    previous=$token
    token=$(next_token "$file")
    [[ -n $token ]] || break
    [[ $token != "$previous" ]] || die "aws ecr $1 returned the same NextToken twice while $what"
    extra=(--starting-token "$token")
  done
  printf '%d\n' "$page"
}

# ---- 1. repositories ----------------------------------------------------------------------------
progress "listing repositories${region:+ in $region}"
mkdir "$scratch/repos" "$scratch/items"
repo_pages=$(paginate "listing repositories" "$scratch/repos" repositories describe-repositories)
# Split every page into one file per repository item (the CLI's 4-space pretty JSON: items open
# with "{" indented 8 and their members are indented 12), printing "N<TAB>name" per item.
awk -v dir="$scratch/items" '
  /^    "repositories": \[$/ { inside = 1; next }
  inside && /^    \]/ { inside = 0; next }
  inside && /^        \{$/ { n++; file = sprintf("%s/%06d.json", dir, n); name = "" }
  inside && file != "" {
    line = substr($0, 9)
    if (line ~ /^\},?$/) line = "}"
    print line > file
    if ($0 ~ /^            "repositoryName": "/) {
      name = $0; sub(/^ *"repositoryName": "/, "", name); sub(/",?$/, "", name)
    }
    if ($0 ~ /^        \},?$/) { close(file); print n "\t" name; file = "" }
  }
' "$scratch"/repos/page-*.json >"$scratch/names"

first_arn=$(sed -n 's/^    "repositoryArn": "\(arn:[^"]*\)",\{0,1\}$/\1/p' "$scratch"/items/*.json 2>/dev/null | head -n 1 || true)
if [[ $first_arn =~ ^arn:[^:]+:ecr:([^:]+): ]]; then
  snapshot_region=${BASH_REMATCH[1]}
else
  snapshot_region=${region:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}
fi

selected=() total=0
declare -A item_of=()
while IFS=$'\t' read -r n name; do
  total=$((total + 1))
  # ECR repository names: lower-case components separated by "/" (never "%", never "..").
  [[ $name =~ ^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$ ]] ||
    die "describe-repositories returned an unexpected repository name '$name'"
  [[ -z ${item_of[$name]:-} ]] || die "describe-repositories listed '$name' twice"
  item_of[$name]=$n
  if [[ -n $glob ]]; then
    # shellcheck disable=SC2254 # GLOB is a pattern on purpose
    case $name in $glob) ;; *) continue ;; esac
  fi
  selected+=("$name")
done <"$scratch/names"
if ((${#selected[@]})); then
  mapfile -t selected < <(printf '%s\n' "${selected[@]}" | LC_ALL=C sort)
fi
by_glob=""
[[ -z $glob ]] || by_glob=" by '$glob'"
progress "$total repositories in $repo_pages page(s), ${#selected[@]} selected$by_glob"

# ---- 2. per repository: images, lifecycle policy, index manifests --------------------------------
images_total=0 policies=0 batches_total=0 indexes_total=0 i=0
for name in "${selected[@]}"; do
  i=$((i + 1))
  dir=$work/repositories/${name//\//%2F}
  mkdir "$dir" "$dir/images"
  mv -- "$scratch/items/$(printf '%06d' "${item_of[$name]}").json" "$dir/repository.json"

  pages=$(paginate "listing the images of $name" "$dir/images" imageDetails \
    describe-images --repository-name "$name" --filter imageStatus=ANY)
  images=$(cat "$dir"/images/page-*.json | grep -c '^        {$' || true)
  images_total=$((images_total + images))

  policy="no lifecycle policy"
  status=0
  aws_ecr "$dir/lifecycle-policy.json" get-lifecycle-policy --repository-name "$name" || status=$?
  if ((status == 0)); then
    grep -q '^    "lifecyclePolicyText": "' "$dir/lifecycle-policy.json" ||
      die "unexpected output of aws ecr get-lifecycle-policy for $name (no lifecyclePolicyText)"
    policy="lifecycle policy"
    policies=$((policies + 1))
  elif grep -q '(LifecyclePolicyNotFoundException)' "$scratch/stderr"; then
    rm -f -- "$dir/lifecycle-policy.json"
  else
    die "aws ecr get-lifecycle-policy failed for $name (exit $status): $(aws_message)"
  fi

  # Image indexes and manifest lists, from the saved pages (image items are indented 8, their
  # members 12).
  mapfile -t digests < <(awk -v t1="${index_types[0]}" -v t2="${index_types[1]}" '
    /^        \{$/ { digest = ""; media = ""; next }
    /^            "imageDigest": "/ { digest = $0; sub(/^ *"imageDigest": "/, "", digest); sub(/",?$/, "", digest) }
    /^            "imageManifestMediaType": "/ { media = $0; sub(/^ *"imageManifestMediaType": "/, "", media); sub(/",?$/, "", media) }
    /^        \},?$/ { if (media == t1 || media == t2) print digest }
  ' "$dir"/images/page-*.json)
  indexes_total=$((indexes_total + ${#digests[@]}))
  batches=0
  if ((manifests && ${#digests[@]})); then
    mkdir "$dir/manifests"
    for ((start = 0; start < ${#digests[@]}; start += batch_size)); do
      ids=()
      for digest in "${digests[@]:start:batch_size}"; do
        [[ $digest =~ ^[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$ ]] ||
          die "describe-images returned an unexpected digest '$digest' in $name"
        ids+=("imageDigest=$digest")
      done
      batches=$((batches + 1))
      file=$(printf '%s/manifests/batch-%04d.json' "$dir" "$batches")
      aws_ecr_or_die "fetching the index manifests of $name" "$file" batch-get-image \
        --repository-name "$name" --image-ids "${ids[@]}" --accepted-media-types "${accepted_media_types[@]}"
      grep -q '^    "images": \[' "$file" ||
        die "unexpected output of aws ecr batch-get-image for $name (no \"images\" array)"
      grep -qx '    "failures": \[\]' "$file" ||
        progress "warning: batch-get-image reported failures for $name, see $(basename -- "$file")"
    done
  fi
  batches_total=$((batches_total + batches))
  progress "[$i/${#selected[@]}] $name: $images images in $pages page(s), $policy, ${#digests[@]} index(es)"
done

# ---- 3. snapshot.json, then move into place -----------------------------------------------------
json_string() {  # escapes \ and " (the values never hold control characters)
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}
{
  printf '{\n'
  printf '    "format": "ecrlp-registry-snapshot",\n'
  printf '    "version": 1,\n'
  printf '    "createdAt": "%s",\n' "$created_at"
  printf '    "region": %s,\n' "$(json_string "$snapshot_region")"
  printf '    "repositoryFilter": %s\n' "$(json_string "$glob")"
  printf '}\n'
} >"$work/snapshot.json"

chmod "$(printf '%o' $((0777 & ~0$(umask))))" "$work"
[[ ! -d $out_dir ]] || rmdir -- "$out_dir"
mv -T -- "$work" "$out_dir"
work=""
printf 'exported %d of %d repositories (%d images, %d lifecycle policies, %d indexes in %d manifest batches) to %s\n' \
  "${#selected[@]}" "$total" "$images_total" "$policies" "$indexes_total" "$batches_total" "$out_dir"
