//! Addresses and backtraces turned into source: what `wasmscope symbolize`
//! reports. Addresses come as a runtime prints them (module offsets,
//! code-section offsets, or a function and an offset in it); backtraces come
//! as text in the layouts of wasmtime, V8 (Node, Chrome, Deno), Firefox,
//! wasmer and WAMR, and each frame line is found, parsed and resolved.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::debuginfo::{DebugInfo, Found, Place};
use crate::index::ModuleIndex;

/// How an address on the command line counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// From the start of the module (what runtimes print).
    Module(u64),
    /// From the start of the code section's contents (what DWARF uses).
    Code(u64),
    /// From the start of a function's body: `FUNC+0xOFF`.
    InFunction {
        /// A function index or name.
        function: String,
        /// Offset from the body's start (after its size).
        offset: u64,
    },
}

/// A number in hex (`0x46d`) or decimal.
pub fn parse_number(text: &str) -> Option<u64> {
    let text = text.trim();
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

impl Address {
    /// Parses `0x46d`, `1133`, or `FUNC+0x1a` (FUNC an index, a name,
    /// `wasm-function[14]` or `<wasm function 14>`). Plain numbers are
    /// module offsets, or code-section offsets when `code_relative`.
    pub fn parse(text: &str, code_relative: bool) -> Result<Address, String> {
        let text = text.trim();
        if let Some(n) = parse_number(text) {
            return Ok(if code_relative {
                Address::Code(n)
            } else {
                Address::Module(n)
            });
        }
        if let Some((function, offset)) = text.rsplit_once('+')
            && let Some(offset) = parse_number(offset)
            && !function.is_empty()
        {
            return Ok(Address::InFunction {
                function: function_spec(function).to_string(),
                offset,
            });
        }
        Err(format!(
            "`{text}` is not an address (give 0x46d, a decimal offset, or FUNC+0xOFF)"
        ))
    }

    /// The module offset this address means.
    pub fn resolve(&self, index: &ModuleIndex, code_start: usize) -> Result<usize, String> {
        let too_big = |n: u64| format!("0x{n:x} is beyond any module");
        match self {
            Address::Module(n) => usize::try_from(*n).map_err(|_| too_big(*n)),
            Address::Code(n) => usize::try_from(*n)
                .ok()
                .and_then(|n| n.checked_add(code_start))
                .ok_or_else(|| too_big(*n)),
            Address::InFunction { function, offset } => {
                let func = index
                    .find_function(function)
                    .ok_or_else(|| format!("no function `{function}` in the module"))?;
                let body = index
                    .body(func)
                    .ok_or_else(|| format!("function {func} is imported: it has no code"))?;
                let offset = usize::try_from(*offset).map_err(|_| too_big(*offset))?;
                if offset >= body.len() {
                    return Err(format!(
                        "{function}+0x{offset:x} is past the end of function {func}'s body ({} bytes)",
                        body.len()
                    ));
                }
                Ok(body.start + offset)
            }
        }
    }
}

/// `wasm-function[14]` and `<wasm function 14>` name function 14.
fn function_spec(text: &str) -> &str {
    let text = text.trim();
    text.strip_prefix("wasm-function[")
        .and_then(|t| t.strip_suffix(']'))
        .or_else(|| {
            text.strip_prefix("<wasm function ")
                .and_then(|t| t.strip_suffix('>'))
        })
        .unwrap_or(text)
}

/// Which runtime's layout a backtrace line has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TraceFormat {
    /// `    3:   0x46d - app.wasm!func` (wasmtime).
    Wasmtime,
    /// `    at func (wasm://wasm/8c5e0b4e:wasm-function[14]:0x46d)` (V8).
    V8,
    /// `func@http://host/app.wasm:wasm-function[14]:0x46d` (Firefox).
    Firefox,
    /// `    at func (app.wasm[14]:0x46d)` (wasmer).
    Wasmer,
    /// `#03: 0x046d - func` (WAMR).
    Wamr,
    /// `<wasm function 14>+0x1a` or `wasm-function[14]+0x1a` anywhere.
    FunctionOffset,
}

/// A frame found in a line of a backtrace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceFrame {
    /// The layout it was found in.
    pub format: TraceFormat,
    /// Where the address is.
    pub address: Address,
    /// The function index the line gives, to check against the address.
    pub function: Option<u32>,
    /// Byte range of the frame's function and location in the line, which a
    /// symbolized line replaces.
    pub span: std::ops::Range<usize>,
    /// What comes before the frame on its line (indent, frame number).
    pub lead: String,
}

macro_rules! pattern {
    ($name:ident, $re:literal) => {
        static $name: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new($re).ok());
    };
}

pattern!(WASMTIME, r"^(\s*\d+:\s+)0x([0-9a-fA-F]+) - (.*)$");
pattern!(WAMR, r"^(\s*#\d+:\s*)0x([0-9a-fA-F]+) - (.*)$");
pattern!(
    V8,
    r"^(\s*at )(?:(.*?) \()?[^\s()]*?:?wasm-function\[(\d+)\]:0x([0-9a-fA-F]+)\)?\s*$"
);
// V8 before 2020: a decimal offset from the start of the function's body.
pattern!(
    V8_BODY,
    r"^(\s*at )(?:(.*?) \()?[^\s()]*?:?wasm-function\[(\d+)\]:(\d+)\)?\s*$"
);
pattern!(
    FIREFOX,
    r"^(\s*)(.*?)@[^\s@]*?:?wasm-function\[(\d+)\]:0x([0-9a-fA-F]+)\s*$"
);
pattern!(
    WASMER,
    r"^(\s*at )(.*?) \([^()\[\]]*\[(\d+)\]:0x([0-9a-fA-F]+)\)\s*$"
);
pattern!(
    FUNCTION_OFFSET,
    r"(?:<wasm function (\d+)>|wasm-function\[(\d+)\])\s*\+\s*0x([0-9a-fA-F]+)"
);

/// Finds the wasm frame in one line of a backtrace, if it has one.
pub fn parse_frame(line: &str) -> Option<TraceFrame> {
    // Lines longer than any frame are not frames (and not worth a regex).
    if line.len() > 4096 {
        return None;
    }
    let hex = |s: &str| u64::from_str_radix(s, 16).ok();
    let index = |s: &str| s.parse::<u32>().ok();
    for (format, re) in [
        (TraceFormat::Wasmtime, &WASMTIME),
        (TraceFormat::Wamr, &WAMR),
    ] {
        if let Some(c) = re.as_ref().and_then(|re| re.captures(line)) {
            let lead = c.get(1)?;
            let whole = c.get(0)?;
            return Some(TraceFrame {
                format,
                address: Address::Module(hex(c.get(2)?.as_str())?),
                function: c.get(3).and_then(|n| wasm_function_index(n.as_str())),
                span: lead.end()..whole.end(),
                lead: lead.as_str().to_string(),
            });
        }
    }
    for (format, re) in [
        (TraceFormat::V8, &V8),
        (TraceFormat::Firefox, &FIREFOX),
        (TraceFormat::Wasmer, &WASMER),
    ] {
        if let Some(c) = re.as_ref().and_then(|re| re.captures(line)) {
            let lead = c.get(1)?;
            return Some(TraceFrame {
                format,
                address: Address::Module(hex(c.get(4)?.as_str())?),
                function: index(c.get(3)?.as_str()),
                span: lead.end()..line.trim_end().len(),
                lead: lead.as_str().to_string(),
            });
        }
    }
    if let Some(c) = V8_BODY.as_ref().and_then(|re| re.captures(line)) {
        let lead = c.get(1)?;
        let function = c.get(3)?.as_str();
        return Some(TraceFrame {
            format: TraceFormat::V8,
            address: Address::InFunction {
                function: function.to_string(),
                offset: c.get(4)?.as_str().parse().ok()?,
            },
            function: index(function),
            span: lead.end()..line.trim_end().len(),
            lead: lead.as_str().to_string(),
        });
    }
    let c = FUNCTION_OFFSET.as_ref()?.captures(line)?;
    let function = c.get(1).or(c.get(2))?.as_str();
    let whole = c.get(0)?;
    Some(TraceFrame {
        format: TraceFormat::FunctionOffset,
        address: Address::InFunction {
            function: function.to_string(),
            offset: hex(c.get(3)?.as_str())?,
        },
        function: index(function),
        span: whole.range(),
        lead: line.get(..whole.start())?.to_string(),
    })
}

/// `app.wasm!<wasm function 14>` (wasmtime) and `$f14` (WAMR) name
/// function 14.
fn wasm_function_index(text: &str) -> Option<u32> {
    if let Some(n) = text.trim().strip_prefix("$f")
        && let Ok(index) = n.parse()
    {
        return Some(index);
    }
    let start = text.find("<wasm function ")? + "<wasm function ".len();
    let rest = text.get(start..)?;
    rest.get(..rest.find('>')?)?.parse().ok()
}

/// One address, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The address as given.
    pub input: String,
    /// Where it is in the module and what made it.
    #[serde(flatten)]
    pub place: Place,
}

/// A frame of a backtrace, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedFrame {
    /// The line of the input it is on, from 1.
    pub line: usize,
    /// The input line as it was.
    pub text: String,
    /// The runtime layout it was read as.
    pub format: TraceFormat,
    /// Where it is in the module and what made it.
    #[serde(flatten)]
    pub place: Place,
    /// The byte range of the line that the resolved frame replaces.
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
    /// What came before the frame on its line.
    #[serde(skip)]
    pub lead: String,
}

/// What `symbolize` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The module's name as given.
    pub module: String,
    /// Which debug info answered.
    pub debug_info: Found,
    /// Addresses given on the command line, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Resolved>,
    /// Frames read from a backtrace, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backtrace: Option<Vec<ResolvedFrame>>,
}

/// A problem with one address: the report is not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AddressError(pub String);

/// Resolves addresses given as text (all of them in one pass: see
/// [`DebugInfo::lookup_all`]).
pub fn addresses(
    debug: &DebugInfo<'_>,
    index: &ModuleIndex,
    inputs: &[String],
    code_relative: bool,
) -> Result<Vec<Resolved>, AddressError> {
    let offsets = inputs
        .iter()
        .map(|input| {
            let address = Address::parse(input, code_relative).map_err(AddressError)?;
            let offset = address
                .resolve(index, debug.code_start())
                .map_err(AddressError)?;
            if index.function_at(offset).is_none() {
                return Err(AddressError(format!(
                    "{input}: 0x{offset:x} is not in any function's code{}",
                    index
                        .section_at(offset)
                        .map(|s| format!(" (it is in the {} section)", s.describe()))
                        .unwrap_or_default()
                )));
            }
            Ok(offset)
        })
        .collect::<Result<Vec<usize>, AddressError>>()?;
    Ok(inputs
        .iter()
        .zip(debug.lookup_all(&offsets))
        .map(|(input, place)| Resolved {
            input: input.clone(),
            place,
        })
        .collect())
}

/// Finds and resolves every wasm frame in a backtrace. Lines that are not
/// frames are skipped.
pub fn backtrace(debug: &DebugInfo<'_>, index: &ModuleIndex, text: &str) -> Vec<ResolvedFrame> {
    text.lines()
        .enumerate()
        .filter_map(|(n, line)| resolve_line(debug, index, n + 1, line))
        .collect()
}

/// Resolves the frame on one line of a backtrace (`number` counts from 1),
/// if the line has one. A frame whose address is not in the module's code
/// is kept with no function (its `frames` are empty) and a warning, as is
/// one whose line names another function than the address is in: both mean
/// the backtrace came from another build.
pub fn resolve_line(
    debug: &DebugInfo<'_>,
    index: &ModuleIndex,
    number: usize,
    line: &str,
) -> Option<ResolvedFrame> {
    let frame = parse_frame(line)?;
    let mut place = match frame.address.resolve(index, debug.code_start()) {
        Ok(offset) => debug.lookup(offset),
        Err(why) => crate::debuginfo::Place {
            address: 0,
            code_offset: None,
            function_index: None,
            function_offset: None,
            origin: crate::debuginfo::Origin::None,
            frames: Vec::new(),
            warning: Some(why),
        },
    };
    if place.function_index.is_none() && place.warning.is_none() {
        place.warning = Some(format!(
            "0x{:x} is not in this module's code: is this the module that ran?",
            place.address
        ));
    } else if let (Some(said), Some(found)) = (frame.function, place.function_index)
        && said != found
    {
        place.warning = Some(format!(
            "the line says function {said} but 0x{:x} is in function {found}: is this the module that ran?",
            place.address
        ));
    }
    Some(ResolvedFrame {
        line: number,
        text: line.to_string(),
        format: frame.format,
        place,
        span: frame.span,
        lead: frame.lead,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_in_every_spelling() {
        assert_eq!(Address::parse("0x46d", false), Ok(Address::Module(0x46d)));
        assert_eq!(Address::parse("1133", false), Ok(Address::Module(1133)));
        assert_eq!(Address::parse("0X46D", true), Ok(Address::Code(0x46d)));
        let in_func = |f: &str, o| {
            Ok(Address::InFunction {
                function: f.to_string(),
                offset: o,
            })
        };
        assert_eq!(Address::parse("14+0x1a", false), in_func("14", 0x1a));
        assert_eq!(
            Address::parse("<wasm function 144>+0x1a", false),
            in_func("144", 0x1a)
        );
        assert_eq!(Address::parse("wasm-function[3]+5", false), in_func("3", 5));
        assert_eq!(
            Address::parse("tally::main+0x2", false),
            in_func("tally::main", 2)
        );
        assert_eq!(
            Address::parse("operator+0x2", false),
            in_func("operator", 2)
        );
        assert!(Address::parse("main", false).is_err());
        assert!(Address::parse("+0x2", false).is_err());
        assert!(Address::parse("0xzz", false).is_err());
        assert!(Address::parse("", false).is_err());
    }

    #[test]
    fn frames_are_found_in_each_runtime_layout() {
        let wasmtime =
            parse_frame("   14:    0x46d - tally.wasm!tally::checked_ratio::hb0092b928be856a9")
                .expect("wasmtime frame");
        assert_eq!(wasmtime.format, TraceFormat::Wasmtime);
        assert_eq!(wasmtime.address, Address::Module(0x46d));
        assert_eq!(wasmtime.lead, "   14:    ");
        let unnamed =
            parse_frame("    0:   0x9139 - <unknown>!<wasm function 144>").expect("frame");
        assert_eq!(unnamed.function, Some(144));

        let v8 = parse_frame("    at checked_ratio (wasm://wasm/8c5e0b4e:wasm-function[14]:0x46d)")
            .expect("v8 frame");
        assert_eq!((v8.format, v8.function), (TraceFormat::V8, Some(14)));
        assert_eq!(v8.address, Address::Module(0x46d));
        let anonymous =
            parse_frame("    at wasm://wasm/8c5e0b4e:wasm-function[14]:0x46d").expect("v8");
        assert_eq!(anonymous.format, TraceFormat::V8);
        let url = parse_frame("    at f (http://localhost:8080/app.wasm:wasm-function[2]:0x1f)")
            .expect("v8 url");
        assert_eq!(url.address, Address::Module(0x1f));

        let firefox = parse_frame("checked_ratio@http://host/app.wasm:wasm-function[14]:0x46d")
            .expect("firefox frame");
        assert_eq!(
            (firefox.format, firefox.function),
            (TraceFormat::Firefox, Some(14))
        );

        let old_v8 = parse_frame("    at rust_panic (wasm-function[101]:31)").expect("old v8");
        assert_eq!(old_v8.format, TraceFormat::V8);
        assert_eq!(
            old_v8.address,
            Address::InFunction {
                function: "101".to_string(),
                offset: 31
            }
        );

        let wasmer =
            parse_frame("    at __rust_start_panic (my_app.wasm[37]:0x1e46)").expect("wasmer");
        assert_eq!(
            (wasmer.format, wasmer.function),
            (TraceFormat::Wasmer, Some(37))
        );
        assert_eq!(wasmer.address, Address::Module(0x1e46));

        let wamr = parse_frame("#02: 0x0a2b - $f10").expect("wamr frame");
        assert_eq!(wamr.format, TraceFormat::Wamr);
        assert_eq!(wamr.address, Address::Module(0xa2b));

        let offset = parse_frame("error: trap in <wasm function 144>+0x1a").expect("func+off");
        assert_eq!(offset.format, TraceFormat::FunctionOffset);
        assert_eq!(
            offset.address,
            Address::InFunction {
                function: "144".to_string(),
                offset: 0x1a
            }
        );

        for not_a_frame in [
            "error while executing at wasm backtrace:",
            "    at Object.<anonymous> (/home/me/run.js:12:5)",
            "",
            "0x46d",
        ] {
            assert_eq!(parse_frame(not_a_frame), None, "{not_a_frame}");
        }
    }
}
