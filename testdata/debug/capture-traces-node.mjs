// Runs the trapping debug fixtures under Node (V8) and saves each trap's
// `err.stack` exactly as V8 formats it.
//
//     node testdata/debug/capture-traces-node.mjs
//
// Writes, for each fixture F in tally, cdemo-dwarf4, cdemo-dwarf5, asdemo:
//
//     traces/node-F.txt          the module as built (with its name section),
//                                compiled from bytes: frames name the module
//                                `wasm://wasm/<hash>` (V8 makes the hash from
//                                the module's bytes)
//     traces/node-F-noname.txt   the same bytes minus the `name` custom
//                                section: frames read `wasm-function[N]`
//     traces/node-F-url.txt      compiled with WebAssembly.compileStreaming
//                                from a Response whose `url` is the module's
//                                file:// URL, so frames carry that URL
//
// Each file holds `err.stack` byte for byte (V8 ends it without a newline).
// The JavaScript frames at the bottom of each stack name this script's own
// path (file:///...), so they change with the checkout's location; the wasm
// frames do not. Error.stackTraceLimit is raised so no wasm frame is cut.
// Runs from any cwd; needs Node 20 or later (node:wasi, preview1).

import { readFileSync, writeFileSync, mkdirSync, existsSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';

Error.stackTraceLimit = 100;

const here = dirname(fileURLToPath(import.meta.url));
const traces = join(here, 'traces');

// name, module file, how to reach the trap (the same runs as capture-traces.py)
const fixtures = [
  ['tally', 'tally.wasm', { args: ['tally', '0', '5'] }],
  ['cdemo-dwarf4', 'cdemo-dwarf4.wasm', { args: ['cdemo', '0', '3', '4'] }],
  ['cdemo-dwarf5', 'cdemo-dwarf5.wasm', { args: ['cdemo', '0', '3', '4'] }],
  ['asdemo', 'asdemo.wasm', { call: ['percent', [7, 0]] }],
];

function readLeb(bytes, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [result, pos];
  }
}

// The module without its custom sections called `name`; everything else is
// copied byte for byte.
function withoutCustomSection(bytes, name) {
  const parts = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const start = pos;
    const id = bytes[pos];
    const [size, body] = readLeb(bytes, pos + 1);
    const end = body + size;
    pos = end;
    if (id === 0) {
      const [len, at] = readLeb(bytes, body);
      if (Buffer.from(bytes.subarray(at, at + len)).toString('utf8') === name) continue;
    }
    parts.push(bytes.subarray(start, end));
  }
  return Buffer.concat(parts);
}

// A Response that reports the URL the module was "fetched" from. V8 names
// the module's script after the streaming source's URL.
class FileResponse extends Response {
  #url;
  constructor(bytes, url) {
    super(bytes, { headers: { 'content-type': 'application/wasm' } });
    this.#url = url;
  }
  get url() {
    return this.#url;
  }
}

async function trap(module, how) {
  let instance;
  let wasi;
  if (how.args) {
    // Guest stdout/stderr go to /dev/null: only the trap is wanted here.
    // Imported here: importing node:wasi prints an ExperimentalWarning.
    const { WASI } = await import('node:wasi');
    const devNull = openSync('/dev/null', 'w');
    wasi = new WASI({ version: 'preview1', args: how.args, env: {}, stdout: devNull, stderr: devNull });
    instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  } else {
    instance = await WebAssembly.instantiate(module, {});
  }
  try {
    if (wasi) {
      wasi.start(instance);
    } else {
      const [name, args] = how.call;
      instance.exports[name](...args);
    }
  } catch (err) {
    return err.stack;
  }
  throw new Error('the module returned without trapping');
}

// One fixture and variant per process: V8 caches compiled modules by their
// bytes within a process, and a cache hit reuses the first compilation's
// script name, so a streaming compile after a plain one of the same bytes
// would still print `wasm://wasm/...` instead of the URL.
async function captureOne(name, suffix) {
  const [, file, how] = fixtures.find(([n]) => n === name);
  const path = join(here, file);
  const bytes = readFileSync(path);
  const compile = {
    '': () => WebAssembly.compile(bytes),
    '-noname': () => WebAssembly.compile(withoutCustomSection(bytes, 'name')),
    '-url': () => WebAssembly.compileStreaming(new FileResponse(bytes, pathToFileURL(path).href)),
  }[suffix];
  const out = join(traces, `node-${name}${suffix}.txt`);
  writeFileSync(out, await trap(await compile(), how));
  console.log(`wrote ${out}`);
}

function main() {
  mkdirSync(traces, { recursive: true });
  for (const [name, file] of fixtures) {
    const path = join(here, file);
    if (!existsSync(path)) {
      console.error(`capture-traces-node.mjs: skipping ${name}: ${path} missing (run build.sh)`);
      continue;
    }
    for (const suffix of ['', '-noname', '-url']) {
      // --no-warnings: node:wasi's ExperimentalWarning is noise here.
      execFileSync(process.execPath, ['--no-warnings', fileURLToPath(import.meta.url), name, suffix],
        { stdio: 'inherit' });
    }
  }
}

if (process.argv.length > 2) {
  await captureOne(process.argv[2], process.argv[3] ?? '');
} else {
  main();
}
