#!/bin/sh
# Builds the Emscripten fixtures from app.c with Debian's emscripten
# package (3.1.6): `apt-get install emscripten`. Its JavaScript optimiser
# needs the acorn package, which Debian does not ship with it:
#   npm install --prefix /tmp/acorn acorn@8 && export NODE_PATH=/tmp/acorn/node_modules
#
# app.wasm + app.js   -Oz: imports and exports minified to a.a, a.b...,
#                     the real names only in the glue (asmLibraryArg).
# app-names.wasm      -O2: the same program with its names kept, the
#                     reference the glue's names are checked against.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
emcc -Oz app.c -o "$work/app.js"
emcc -O2 app.c -o "$work/app-names.js"
cp "$work/app.js" "$work/app.wasm" .
cp "$work/app-names.wasm" .
