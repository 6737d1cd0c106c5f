"""Runs wasmscope built for wasm32-wasip1 on a list of command lines under
the wasmtime engine (the `wasmtime` Python package), for `cargo xtask wasi`.

usage: wasi-run.py MODULE.wasm CACHE_DIR PLAN

The module is compiled once; the compiled code is kept in CACHE_DIR under
the module's SHA-256 and the engine's version, and loaded from there on
later runs (the code of other builds is removed). PLAN has one run a line, its fields separated by tabs:

    RESULT_DIR  STDIN  DIRS  ARG...

RESULT_DIR receives `stdout`, `stderr` and `status` (the exit code, or
`trap: MESSAGE` when the module trapped); STDIN is a file to read as stdin,
or empty for an empty stdin; DIRS are the directories granted, separated by
commas (empty for none), each `ro:HOST::GUEST` (read only) or
`rw:HOST::GUEST`; the ARGs follow the program's name. Every run has a store of its own and no environment
variables.
"""
import hashlib
import importlib.metadata
import os
import sys

import wasmtime


def compiled(engine, module_path, cache_dir):
    with open(module_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    version = importlib.metadata.version("wasmtime")
    cached = os.path.join(cache_dir, f"wasmscope-{digest}-wasmtime-{version}.cwasm")
    if os.path.isfile(cached):
        try:
            return wasmtime.Module.deserialize_file(engine, cached)
        except wasmtime.WasmtimeError:
            pass  # made by another engine configuration: compile again
    module = wasmtime.Module.from_file(engine, module_path)
    os.makedirs(cache_dir, exist_ok=True)
    partial = cached + ".partial"
    with open(partial, "wb") as f:
        f.write(module.serialize())
    os.replace(partial, cached)
    for name in os.listdir(cache_dir):
        if name.startswith("wasmscope-") and name.endswith(".cwasm"):
            if os.path.join(cache_dir, name) != cached:
                os.remove(os.path.join(cache_dir, name))  # an older build's
    return module


def run(engine, linker, module, fields):
    result, stdin, dirs, args = fields[0], fields[1], fields[2], fields[3:]
    os.makedirs(result, exist_ok=True)
    config = wasmtime.WasiConfig()
    config.argv = ["wasmscope", *args]
    config.env = []
    if stdin:
        config.stdin_file = stdin
    config.stdout_file = os.path.join(result, "stdout")
    config.stderr_file = os.path.join(result, "stderr")
    for grant in filter(None, dirs.split(",")):
        mode, _, grant = grant.partition(":")
        host, _, guest = grant.partition("::")
        config.preopen_dir(host, guest or host, fs_mutable=(mode == "rw"))
    store = wasmtime.Store(engine)
    store.set_wasi(config)
    status = "0"
    try:
        instance = linker.instantiate(store, module)
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as trap:
        status = str(trap.code)
    except wasmtime.Trap as trap:
        status = "trap: " + str(trap).splitlines()[0]
    with open(os.path.join(result, "status"), "w") as f:
        f.write(status + "\n")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    module_path, cache_dir, plan = sys.argv[1:]
    engine = wasmtime.Engine()
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    module = compiled(engine, module_path, cache_dir)
    with open(plan) as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                run(engine, linker, module, line.split("\t"))


if __name__ == "__main__":
    main()
