// asdemo: wasmscope's AssemblyScript source-map fixture (built by
// testdata/debug/build.sh into testdata/debug/asdemo.wasm + asdemo.wasm.map).
//
// percent(num, den) returns num as a percentage of den. A den of 0 reaches
// the explicit `unreachable()` in checkedRatio, a wasm trap, through scaled
// and percent. Lines that tests look up end with a marker comment (an
// at-sign plus a name, listed in testdata/debug/README.md); tests grep for
// the marker instead of hard-coding line numbers.

// Inlined by the compiler at every call site (AssemblyScript's @inline).
@inline
function hundredfold(value: i32): i32 {
  return value * 100; // @inline
}

function checkedRatio(num: i32, den: i32): i32 {
  if (den == 0) {
    unreachable(); // @trap
  }
  return num / den;
}

function scaled(num: i32, den: i32): i32 {
  return checkedRatio(hundredfold(num), den); // @call
}

export function percent(num: i32, den: i32): i32 {
  return scaled(num, den); // @call-export
}
