"""Runs a WASI preview1 command under the wasmtime engine (the `wasmtime`
Python package) with exactly the grants of a `wasmtime run` command line as
`wasmscope caps` prints it: --dir=HOST[::GUEST] and --env NAME=VALUE, with the
words after the module as its arguments. `-S` and `-W` options are ignored
(a preview1 command needs none of them). Exits with the module's exit code.

usage: run-with-grants.py MODULE.wasm 'wasmtime run --dir=. ... app.wasm ARGS'
"""
import shlex
import sys

import wasmtime


def main():
    module_path, line = sys.argv[1], sys.argv[2]
    words = shlex.split(line)
    if words[:2] != ["wasmtime", "run"]:
        sys.exit(f"not a `wasmtime run` line: {line}")
    dirs, env, argv = [], [], None
    i = 2
    while i < len(words):
        word = words[i]
        if argv is not None:
            argv.append(word)
        elif word.startswith("--dir="):
            dirs.append(word[len("--dir="):])
        elif word in ("--dir", "--env", "-S", "-W"):
            value = words[i + 1]
            i += 1
            if word == "--dir":
                dirs.append(value)
            elif word == "--env":
                name, _, val = value.partition("=")
                env.append((name, val))
        elif word.startswith("-"):
            sys.exit(f"unsupported option {word}")
        else:
            argv = [word]  # the module, then its arguments
        i += 1

    engine = wasmtime.Engine()
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    config = wasmtime.WasiConfig()
    config.argv = argv or [module_path]
    config.env = env
    config.inherit_stdin()
    config.inherit_stdout()
    config.inherit_stderr()
    for d in dirs:
        host, _, guest = d.partition("::")
        config.preopen_dir(host, guest or host)
    store.set_wasi(config)
    module = wasmtime.Module.from_file(engine, module_path)
    instance = linker.instantiate(store, module)
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as trap:
        sys.stdout.flush()
        sys.exit(trap.code)


if __name__ == "__main__":
    main()
