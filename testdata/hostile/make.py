#!/usr/bin/env python3
"""Write the hostile modules in this directory: each one declares a huge
count or size that its bytes do not back, so a reader that allocates from
the declared number before the bytes exist would run out of memory.

Stdlib only. Run:  python3 testdata/hostile/make.py

Every module is tiny; what each claims:
  func-count.wasm      a function section declaring 2^32-1 functions
  code-count.wasm      a code section declaring 2^32-1 bodies
  type-count.wasm      a type section declaring 2^32-1 types
  import-count.wasm    an import section declaring 2^32-1 imports
  data-4gib.wasm       a data segment declaring 4 GiB (2^32-1 bytes) of data
  name-4gib.wasm       an export whose name declares 2^32-1 bytes
  custom-4gib.wasm     a custom section declaring 2^32-1 bytes
  locals-4g.wasm       a function declaring 2^32-1 locals
  locals-60k.wasm      a function declaring 40,000 then 20,000 locals (each
                       count allowed, the sum over the limit)
  br-table-4g.wasm     a br_table declaring 2^32-1 targets
  memory-4g-pages.wasm a memory of 2^32-1 pages, minimum and maximum
  names-5m.wasm        a name section declaring 5,000,000 function names
                       (names are optional: readers may ignore a bad one)
  export-past-functions.wasm
                       an export "f" of function 5, in a module without
                       functions
"""

import os
import runpy

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = b"\x00asm\x01\x00\x00\x00"
HUGE = 2**32 - 1


# LEB128, as the other fixtures' script writes it.
uleb = runpy.run_path(os.path.join(HERE, "..", "make-binaries.py"))["uleb"]


def section(sid, content):
    return bytes([sid]) + uleb(len(content)) + content


def name(s):
    b = s.encode()
    return uleb(len(b)) + b


# (func) with no params or results, and a module around one such function.
TYPE = section(1, uleb(1) + b"\x60\x00\x00")
FUNC = section(3, uleb(1) + uleb(0))


def body(code, locals_=b"\x00"):
    b = locals_ + code + b"\x0b"
    return uleb(len(b)) + b


MODULES = {
    "func-count.wasm": HEADER + TYPE + section(3, uleb(HUGE) + uleb(0)),
    "code-count.wasm": HEADER + TYPE + FUNC + section(10, uleb(HUGE) + body(b"")),
    "type-count.wasm": HEADER + section(1, uleb(HUGE) + b"\x60\x00\x00"),
    "import-count.wasm": HEADER
    + TYPE
    + section(2, uleb(HUGE) + name("wasi_snapshot_preview1") + name("fd_write") + b"\x00\x00"),
    "data-4gib.wasm": HEADER
    + section(5, uleb(1) + b"\x00" + uleb(1))
    + section(11, uleb(1) + b"\x00\x41\x00\x0b" + uleb(HUGE) + b"abc"),
    "name-4gib.wasm": HEADER
    + TYPE
    + FUNC
    + section(7, uleb(1) + uleb(HUGE) + b"run\x00\x00")
    + section(10, uleb(1) + body(b"")),
    "custom-4gib.wasm": HEADER + b"\x00" + uleb(HUGE) + name("big") + b"data",
    "locals-4g.wasm": HEADER
    + TYPE
    + FUNC
    + section(10, uleb(1) + body(b"", uleb(1) + uleb(HUGE) + b"\x7f")),
    "locals-60k.wasm": HEADER
    + TYPE
    + FUNC
    + section(10, uleb(1) + body(b"", uleb(2) + uleb(40000) + b"\x7f" + uleb(20000) + b"\x7e")),
    "br-table-4g.wasm": HEADER
    + TYPE
    + FUNC
    + section(10, uleb(1) + body(b"\x41\x00\x0e" + uleb(HUGE) + b"\x00\x00")),
    "memory-4g-pages.wasm": HEADER + section(5, uleb(1) + b"\x01" + uleb(HUGE) + uleb(HUGE)),
    "names-5m.wasm": HEADER
    + TYPE
    + FUNC
    + section(10, uleb(1) + body(b""))
    + section(0, name("name") + section(1, uleb(5_000_000) + uleb(0) + name("f"))),
    "export-past-functions.wasm": HEADER + section(7, uleb(1) + name("f") + b"\x00" + uleb(5)),
}

if __name__ == "__main__":
    for file, data in MODULES.items():
        with open(os.path.join(HERE, file), "wb") as f:
            f.write(data)
        print(f"{file}: {len(data)} bytes")
