#!/usr/bin/env bash
# Rebuilds the debug-info fixtures in testdata/debug from their committed
# sources. Runs from any cwd. Each part is skipped, with a message saying why,
# when its tools are missing; the script fails only if a part that could run
# failed.
#
#   build.sh            all parts
#   build.sh tally      one or more of: tally cdemo asdemo
#
# Outputs (next to this script):
#   tally.wasm          Rust, wasm32-wasip1, release + line-tables-only DWARF
#   cdemo-dwarf4.wasm   C, clang -O2 -gdwarf-4, wasi-libc
#   cdemo-dwarf5.wasm   C, clang -O2 -gdwarf-5, wasi-libc
#   asdemo.wasm         AssemblyScript, with asdemo.wasm.map (source map)
#
# Every absolute path of this checkout is remapped to /build/<part> so the
# bytes do not depend on where the repository lives. Given the same
# toolchains (see README.md for the versions used) the outputs are
# byte-for-byte reproducible.
#
# Environment overrides: CLANG (default: clang), WASI_SYSROOT (default: /usr,
# Debian's wasi-libc layout; use wasi-sdk's share/wasi-sysroot otherwise).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
here="$(pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [[ $# -eq 0 ]]; then
    set -- tally cdemo asdemo
fi

skip() {
    echo "build.sh: skipping $1: $2" >&2
}

wrote() {
    echo "wrote $here/$1 ($(wc -c <"$1") bytes)"
}

build_tally() {
    local target=wasm32-wasip1
    if ! command -v cargo >/dev/null 2>&1; then
        skip tally "cargo not found"
        return
    fi
    if command -v rustup >/dev/null 2>&1 \
        && ! rustup target list --installed | grep -qx "$target"; then
        rustup target add "$target"
    fi
    # Remap this crate's directory and CARGO_HOME (the crate has no
    # dependencies, but keep the rule the demo build uses). Cargo prefers
    # CARGO_ENCODED_RUSTFLAGS over RUSTFLAGS, so drop it.
    local cargo_home="${CARGO_HOME:-$HOME/.cargo}"
    (
        unset CARGO_ENCODED_RUSTFLAGS
        export RUSTFLAGS="--remap-path-prefix=$here/tally=/build/tally --remap-path-prefix=$cargo_home=/cargo"
        cargo build \
            --manifest-path tally/Cargo.toml \
            --target-dir tally/target \
            --release --locked --target "$target"
    )
    # install -m 644: a data file, not the linker output's executable mode.
    install -m 644 "tally/target/$target/release/tally.wasm" tally.wasm
    wrote tally.wasm
}

build_cdemo() {
    local cc="${CLANG:-clang}"
    local sysroot="${WASI_SYSROOT:-/usr}"
    if ! command -v "$cc" >/dev/null 2>&1; then
        skip cdemo "$cc not found (set CLANG)"
        return
    fi
    if [[ ! -e $sysroot/include/wasm32-wasi/stdio.h && ! -e $sysroot/include/stdio.h ]] \
        || [[ ! -e $sysroot/lib/wasm32-wasi/libc.a && ! -e $sysroot/lib/libc.a ]]; then
        skip cdemo "no wasi-libc under $sysroot (install wasi-libc or set WASI_SYSROOT)"
        return
    fi
    local obj="$tmp/cdemo" v f
    mkdir -p "$obj"
    for v in 4 5; do
        # Compile and link as separate steps: when clang links with -O1 or
        # more it runs `wasm-opt` if one is on PATH, which rewrites (or, for
        # DWARF 5, crashes on) the debug info. Linking without -O skips it.
        for f in main stats; do
            (cd cdemo && "$cc" --target=wasm32-wasi --sysroot="$sysroot" \
                -O2 -gdwarf-$v -fdebug-prefix-map="$here/cdemo=/build/cdemo" \
                -c -o "$obj/$f-$v.o" "$f.c")
        done
        "$cc" --target=wasm32-wasi --sysroot="$sysroot" \
            -o "$obj/cdemo-dwarf$v.wasm" "$obj/main-$v.o" "$obj/stats-$v.o"
        install -m 644 "$obj/cdemo-dwarf$v.wasm" "cdemo-dwarf$v.wasm"
        wrote "cdemo-dwarf$v.wasm"
    done
}

build_asdemo() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        skip asdemo "node and npm are needed"
        return
    fi
    (
        cd asdemo
        # The exact compiler from package-lock.json.
        if [[ ! -x node_modules/.bin/asc ]]; then
            npm ci --no-audit --no-fund
        fi
        # --debug keeps the name section (and turns optimisation off, so the
        # functions stay separate frames); --runtime stub: no GC, no imports.
        # asc names the map `<outFile>.map` and writes the sourceMappingURL
        # section as `./asdemo.wasm.map`, relative to the module.
        node_modules/.bin/asc assembly/index.ts \
            --sourceMap --debug --runtime stub \
            --outFile ../asdemo.wasm
    )
    chmod 644 asdemo.wasm asdemo.wasm.map
    wrote asdemo.wasm
    wrote asdemo.wasm.map
}

for part in "$@"; do
    case "$part" in
        tally) build_tally ;;
        cdemo) build_cdemo ;;
        asdemo) build_asdemo ;;
        *)
            echo "build.sh: unknown part '$part' (expected tally, cdemo or asdemo)" >&2
            exit 2
            ;;
    esac
done
