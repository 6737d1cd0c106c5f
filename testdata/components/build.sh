#!/usr/bin/env bash
# Rebuilds the component fixtures in testdata/components from their
# committed sources. Runs from any cwd.
#
#   build.sh            all parts
#   build.sh calc       one or more of: calc greeter
#
# Outputs (next to this script):
#   calc-v1.wasm, calc-v2-compatible.wasm, calc-v2-breaking.wasm
#       components made by wit-component (the `assemble` crate) from
#       calc/*.wit: a core module for the world `calculator` whose functions
#       are `unreachable`, with the WIT embedded, made a component. v1 ->
#       v2-compatible adds an operation and an exported interface; v1 ->
#       v2-breaking retypes `add`, removes `largest` and imports a new
#       interface.
#   calc-*.core.wasm
#       the same core modules before they are made components: WIT in their
#       `component-type` custom section.
#   greeter.wasm
#       a Rust component (greeter/, wit-bindgen) built for wasm32-wasip2 by
#       cargo, as a user builds one.
#
# Paths of this checkout and of cargo's home are remapped so that the bytes
# do not depend on where the repository lives.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
here="$(pwd)"
cargo_home=${CARGO_HOME:-$HOME/.cargo}

if [[ $# -eq 0 ]]; then
    set -- calc greeter
fi

wrote() {
    echo "wrote $here/$1 ($(wc -c <"$1") bytes)"
}

for part in "$@"; do
    case $part in
    calc)
        cargo run --quiet --release --manifest-path assemble/Cargo.toml -- \
            "$here" calc/v1.wit calc/v2-compatible.wit calc/v2-breaking.wit
        for v in v1 v2-compatible v2-breaking; do
            wrote "calc-$v.wasm"
            wrote "calc-$v.core.wasm"
        done
        ;;
    greeter)
        rustup target list --installed | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2
        unset CARGO_ENCODED_RUSTFLAGS
        RUSTFLAGS="--remap-path-prefix=$here/greeter=/build/greeter --remap-path-prefix=$cargo_home=/cargo" \
            cargo build --quiet --release --target wasm32-wasip2 --manifest-path greeter/Cargo.toml
        cp greeter/target/wasm32-wasip2/release/greeter.wasm greeter.wasm
        wrote greeter.wasm
        ;;
    *)
        echo "build.sh: no part named $part (calc, greeter)" >&2
        exit 2
        ;;
    esac
done
