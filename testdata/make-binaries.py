#!/usr/bin/env python3
"""Generate the binary fixtures in this directory that text cannot express:
malformed and invalid modules, and a valid one with non-canonical encodings.

Self-contained (stdlib only); every module is hand-assembled below.
Run:  python3 testdata/make-binaries.py

Outputs (next to this script):
  invalid-type-mismatch.wasm  Well-formed binary of invalid-type-mismatch.wat
                              (byte-identical to what `wat` produces, incl. a
                              "name" section). Decodes fine but FAILS VALIDATION:
                              function 2 ($bad) is declared (result i32) but
                              its body is `i64.const 1`.
  truncated.wasm              A valid module's bytes cut off part-way through
                              the code section (inside the 2nd function body,
                              in the middle of an i32.const LEB immediate).
  bad-magic.wasm              Starts with "\\0asn" instead of "\\0asm".
  bad-version.wasm            Correct magic, but version 0x0e instead of 0x01.
  malformed-section.wasm      A custom section whose declared size (200) runs
                              past the end of the file.
  malformed-leb.wasm          A type-section size encoded as an over-long
                              LEB128 (six bytes with the continuation bit set
                              throughout, then the file ends).
  overlong-leb.wasm           VALID, but `i32.const 1000` and the code section
                              size use padded (over-long) LEB128s, which text
                              cannot express: a round trip changes the bytes.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC = b"\x00asm"
VERSION = b"\x01\x00\x00\x00"
I32, I64 = 0x7F, 0x7E


def uleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def vec(items):
    items = list(items)
    return uleb(len(items)) + b"".join(items)


def name(s):
    b = s.encode("utf-8")
    return uleb(len(b)) + b


def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


def functype(params, results):
    return b"\x60" + vec(bytes([p]) for p in params) + vec(bytes([r]) for r in results)


def body(code, locals_=()):
    b = vec(locals_) + code + b"\x0b"  # end
    return uleb(len(b)) + b


def name_section(module_name, func_names, local_names):
    """The "name" custom section: module (0), function (1), local (2) subsections."""
    subs = b""
    subs += bytes([0]) + uleb(len(name(module_name))) + name(module_name)
    fn = vec(uleb(i) + name(n) for i, n in func_names)
    subs += bytes([1]) + uleb(len(fn)) + fn
    ln = vec(uleb(f) + vec(uleb(i) + name(n) for i, n in locs) for f, locs in local_names)
    subs += bytes([2]) + uleb(len(ln)) + ln
    return section(0, name("name") + subs)


def type_mismatch_module():
    """invalid-type-mismatch.wat, hand-assembled."""
    types = section(1, vec([
        functype([I32, I32], [I32]),  # type 0: $ok_add
        functype([], [I64]),          # type 1: $ok_const
        functype([], [I32]),          # type 2: $bad
    ]))
    funcs = section(3, vec([uleb(0), uleb(1), uleb(2)]))
    code = section(10, vec([
        body(b"\x20\x00" b"\x20\x01" b"\x6a"),  # local.get 0; local.get 1; i32.add
        body(b"\x42" + sleb(42)),               # i64.const 42
        body(b"\x42" + sleb(1)),                # i64.const 1   <-- wrong type
    ]))
    names = name_section(
        "invalid_type_mismatch",
        [(0, "ok_add"), (1, "ok_const"), (2, "bad")],
        [(0, [(0, "a"), (1, "b")])],
    )
    return MAGIC + VERSION + types + funcs + code + names


def valid_module():
    """A small valid module with two exported i32 -> i32 functions.

    Returns (bytes, offset) where offset points into the middle of the second
    function body's instructions, a good place to truncate.
    """
    types = section(1, vec([functype([I32], [I32])]))
    funcs = section(3, vec([uleb(0), uleb(0)]))
    exports = section(7, vec([
        name("square") + b"\x00" + uleb(0),
        name("add1000") + b"\x00" + uleb(1),
    ]))
    body0 = body(b"\x20\x00\x20\x00\x6c")                 # x * x
    body1 = body(b"\x20\x00\x41" + sleb(1000) + b"\x6a")  # x + 1000
    code = section(10, vec([body0, body1]))
    head = MAGIC + VERSION + types + funcs + exports
    # Keep: code section id + size (1 byte) + count (1 byte) + all of body0,
    # then from body1 its size (1) + local-decl count (1) + `local.get 0` (2)
    # + the `i32.const` opcode and the first byte of its 2-byte LEB (2).
    cut = len(head) + 3 + len(body0) + 1 + 1 + 2 + 2
    return head + code, cut


def main():
    outputs = {}

    outputs["invalid-type-mismatch.wasm"] = type_mismatch_module()

    good, cut = valid_module()
    outputs["truncated.wasm"] = good[:cut]

    outputs["bad-magic.wasm"] = b"\x00asn" + VERSION + good[8:]

    outputs["bad-version.wasm"] = MAGIC + b"\x0e\x00\x00\x00" + good[8:]

    # custom section claims 200 bytes but only ~10 follow
    payload = name("oops") + b"abcde"
    outputs["malformed-section.wasm"] = MAGIC + VERSION + bytes([0]) + uleb(200) + payload

    # type section (id 1) whose size LEB128 never terminates (6 bytes, all 0x80+)
    outputs["malformed-leb.wasm"] = MAGIC + VERSION + b"\x01" + b"\x80\x80\x80\x80\x80\x80"

    # Same as the valid module, with padded LEB128s: five bytes for the
    # immediate of `i32.const 1000` and for the code section's size.
    types = section(1, vec([functype([I32], [I32])]))
    funcs = section(3, vec([uleb(0)]))
    exports = section(7, vec([name("add1000") + b"\x00" + uleb(0)]))
    padded_1000 = bytes([0xE8, 0x87, 0x80, 0x80, 0x00])
    code_payload = vec([body(b"\x20\x00\x41" + padded_1000 + b"\x6a")])
    n = len(code_payload)
    padded_size = bytes([(n & 0x7F) | 0x80, 0x80, 0x80, 0x80, 0x00])
    code = b"\x0a" + padded_size + code_payload
    outputs["overlong-leb.wasm"] = MAGIC + VERSION + types + funcs + exports + code

    for fname, data in outputs.items():
        with open(os.path.join(HERE, fname), "wb") as f:
            f.write(data)
        print(f"wrote {fname} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
