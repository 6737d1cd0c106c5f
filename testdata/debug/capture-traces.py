#!/usr/bin/env python3
"""Runs the trapping debug fixtures under wasmtime (PyPI `wasmtime`) and saves
each trap's text, wasm backtrace included, exactly as wasmtime formats it.

    python3 testdata/debug/capture-traces.py

Writes, for each fixture F in tally, cdemo-dwarf4, cdemo-dwarf5, asdemo:

    traces/wasmtime-F.txt          the module as built (with its name section)
    traces/wasmtime-F-noname.txt   the same bytes minus the `name` custom
                                   section, so frames read
                                   `<unknown>!<wasm function N>`
    traces/wasmtime-F-details.txt  as built, with WASMTIME_BACKTRACE_DETAILS=1:
                                   wasmtime symbolizes frames itself from
                                   DWARF (fixtures without DWARF: skipped)

The text saved is `str(error)` of the exception wasmtime raises, with a
final newline added if it has none. The module bytes are read from the
committed fixtures (see build.sh), so the traces match them; rerun this
script after rebuilding them. Runs from any cwd.
"""

import os
import sys
from pathlib import Path

import wasmtime

HERE = Path(__file__).resolve().parent
TRACES = HERE / "traces"

# name, module file, how to reach the trap
FIXTURES = [
    # A first number of 0 makes checked_ratio panic (panic = "abort": the
    # panic ends in wasi-libc's abort, an `unreachable`).
    ("tally", "tally.wasm", {"argv": ["tally", "0", "5"]}),
    # WHOLE = 0: integer division by zero in the inlined `percent`.
    ("cdemo-dwarf4", "cdemo-dwarf4.wasm", {"argv": ["cdemo", "0", "3", "4"]}),
    ("cdemo-dwarf5", "cdemo-dwarf5.wasm", {"argv": ["cdemo", "0", "3", "4"]}),
    # Not a WASI command: call the export with den = 0 (explicit unreachable).
    ("asdemo", "asdemo.wasm", {"call": ("percent", [7, 0])}),
]


def read_leb_u32(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte & 0x80 == 0:
            return result, pos


def without_custom_section(module: bytes, name: str) -> bytes:
    """The module with every custom section called `name` dropped; all other
    sections are copied byte for byte."""
    assert module[:8] == b"\0asm\1\0\0\0", "not a core wasm module"
    out = bytearray(module[:8])
    pos = 8
    while pos < len(module):
        start = pos
        section_id = module[pos]
        size, body = read_leb_u32(module, pos + 1)
        end = body + size
        if section_id == 0:
            name_len, name_start = read_leb_u32(module, body)
            if module[name_start:name_start + name_len] == name.encode():
                pos = end
                continue
        out += module[start:end]
        pos = end
    return bytes(out)


def has_dwarf(module: bytes) -> bool:
    return b".debug_info" in module


def run(module_bytes: bytes, how: dict, details: bool) -> str:
    """Instantiates and runs the module; returns the trap's text."""
    # wasmtime reads WASMTIME_BACKTRACE_DETAILS when the engine's config is
    # created, so set it (or clear it) before making the engine.
    if details:
        os.environ["WASMTIME_BACKTRACE_DETAILS"] = "1"
    else:
        os.environ.pop("WASMTIME_BACKTRACE_DETAILS", None)
    engine = wasmtime.Engine(wasmtime.Config())
    store = wasmtime.Store(engine)
    module = wasmtime.Module(engine, module_bytes)
    linker = wasmtime.Linker(engine)
    if "argv" in how:
        wasi = wasmtime.WasiConfig()
        wasi.argv = how["argv"]
        # The guest's own output (the panic message, usage lines) is not
        # part of the trace; keep it out of the way.
        wasi.stdout_file = os.devnull
        wasi.stderr_file = os.devnull
        store.set_wasi(wasi)
        linker.define_wasi()
        instance = linker.instantiate(store, module)
        entry, args = instance.exports(store)["_start"], []
    else:
        instance = linker.instantiate(store, module)
        export, args = how["call"]
        entry = instance.exports(store)[export]
    try:
        entry(store, *args)
    except (wasmtime.Trap, wasmtime.WasmtimeError) as err:
        text = str(err)
        return text if text.endswith("\n") else text + "\n"
    raise SystemExit("capture-traces.py: the module returned without trapping")


def main() -> int:
    TRACES.mkdir(exist_ok=True)
    for name, file, how in FIXTURES:
        path = HERE / file
        if not path.exists():
            print(f"capture-traces.py: skipping {name}: {path} missing (run build.sh)",
                  file=sys.stderr)
            continue
        module = path.read_bytes()
        variants = [("", module, False),
                    ("-noname", without_custom_section(module, "name"), False)]
        if has_dwarf(module):
            variants.append(("-details", module, True))
        for suffix, data, details in variants:
            out = TRACES / f"wasmtime-{name}{suffix}.txt"
            out.write_text(run(data, how, details))
            print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
