#!/usr/bin/env bash
# Builds the demo module (testdata/demo, the `hasher` WASI command) and copies
# it to testdata/demo.wasm. Runs from any cwd; the output is byte-for-byte
# reproducible on the same toolchain and Cargo.lock.
#
# `build-demo.sh v2` builds the second version instead (`--cfg demo_v2`: a
# string given with -s is printed in single quotes, and each hex byte is
# followed by a colon) into testdata/diff/demo-v2.wasm, for the diff fixtures.
#
# `build-demo.sh nogc` links the same program without the linker's garbage
# collection (`--no-gc-sections`) into testdata/edit/demo-nogc.wasm: a real
# module with dead code, for the `gc` fixtures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
here="$(pwd)"
target=wasm32-wasip1

if command -v rustup >/dev/null 2>&1 \
    && ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
fi

# Remap the absolute paths that end up in panic locations (the crate's own
# source and the registry sources under CARGO_HOME) so the bytes do not depend
# on who built it or where. Cargo prefers CARGO_ENCODED_RUSTFLAGS, so drop it.
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
unset CARGO_ENCODED_RUSTFLAGS
export RUSTFLAGS="--remap-path-prefix=$here/demo=demo --remap-path-prefix=$cargo_home=cargo"
variant="${1:-v1}"
out=demo.wasm
target_dir=demo/target
if [[ $variant == v2 ]]; then
    RUSTFLAGS="$RUSTFLAGS --cfg demo_v2"
    out=diff/demo-v2.wasm
    target_dir=demo/target-v2
elif [[ $variant == nogc ]]; then
    RUSTFLAGS="$RUSTFLAGS -C link-arg=--no-gc-sections"
    out=edit/demo-nogc.wasm
    target_dir=demo/target-nogc
fi

cargo build \
    --manifest-path demo/Cargo.toml \
    --target-dir "$target_dir" \
    --release --locked --target "$target"

# install -m 644: a data file, not the linker output's executable mode.
install -m 644 "$target_dir/$target/release/hasher.wasm" "$out"
echo "wrote $here/$out ($(wc -c <"$out") bytes)"
