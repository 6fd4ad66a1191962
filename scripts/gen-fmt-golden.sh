#!/usr/bin/env bash
# Regenerates the `fmt` golden files under test/golden/fmt/ with Packer 1.6.6 as the reference.
#
#   scripts/gen-fmt-golden.sh [corpus-dir]     (default: ../shared/corpus relative to the repository)
#
# For every HCL input it stores the input and, next to it, either
#   <input>.golden    the bytes `packer fmt` wrote (formatting succeeded), or
#   <input>.refused   Packer's message (it refused to format, e.g. because of a syntax error).
# Inputs:
#   corpus/<path>     every *.hcl file of the shared corpus (templates, var files, directory cases and the HCL
#                     specification suite), copied byte for byte;
#   extra/<name>.hcl  hand-written cases for tricky formatting (kept in the repository, not copied).
#
# Packer 1.6.6 has no `fmt -` (stdin), so each input is formatted in place in a scratch directory under a
# name Packer accepts (*.pkr.hcl or *.pkrvars.hcl; formatting does not depend on which).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-$repo/../shared/corpus}"
golden="$repo/test/golden/fmt"
packer="${PACKER:-packer}"
export CHECKPOINT_DISABLE=1

command -v "$packer" >/dev/null || { echo "packer not found (set PACKER=...)" >&2; exit 1; }
[ -d "$corpus" ] || { echo "corpus not found: $corpus" >&2; exit 1; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# format_one <input file> <output base (input path inside the golden tree)>
format_one() {
  local in="$1" base="$2" name tmp rc
  case "$in" in
    *.pkr.hcl | *.pkrvars.hcl) name="input.${in##*/}" ;;
    *) name="input.pkrvars.hcl" ;;
  esac
  rm -rf "$scratch/w" && mkdir -p "$scratch/w"
  tmp="$scratch/w/$name"
  cp "$in" "$tmp"
  rm -f "$base.golden" "$base.refused"
  set +e
  (cd "$scratch/w" && "$packer" fmt "$name") >"$scratch/out" 2>&1
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    cp "$tmp" "$base.golden"
    formatted=$((formatted + 1))
  else
    # Keep Packer's message, with the scratch file name replaced by a stable placeholder.
    { echo "rc=$rc"; sed "s#$name#INPUT#g" "$scratch/out"; } >"$base.refused"
    refused=$((refused + 1))
  fi
}

formatted=0
refused=0

# Corpus inputs: copied, then formatted.
rm -rf "$golden/corpus"
while IFS= read -r -d '' f; do
  rel="${f#"$corpus"/}"
  dest="$golden/corpus/$rel"
  mkdir -p "$(dirname "$dest")"
  cp "$f" "$dest"
  format_one "$f" "$dest"
done < <(find "$corpus" -type f -name '*.hcl' ! -name '*.pkrtpl.hcl' -print0 | sort -z)

# Hand-written inputs.
if [ -d "$golden/extra" ]; then
  while IFS= read -r -d '' f; do
    format_one "$f" "$f"
  done < <(find "$golden/extra" -type f -name '*.hcl' -print0 | sort -z)
fi

echo "formatted: $formatted, refused: $refused"
