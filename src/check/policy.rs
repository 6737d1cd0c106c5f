//! The policy file `wasmscope check` enforces (`wasmscope.toml`): its schema,
//! read with every value checked, and errors that point at the file, line
//! and column of what is wrong.
//!
//! ```toml
//! [capabilities]
//! deny = ["net", "fs-write"]      # names and groups as `caps` takes them
//! strict = false                   # true: linked but unreachable imports count
//!
//! [size]
//! max = "5 MiB"                    # a number of bytes, or a size with a unit
//! max-code = "2 MiB"
//! max-compressed = "1 MiB"
//! compression = "brotli"           # or "gzip" (the default)
//! max-growth = "2%"                # against --baseline OLD.wasm
//!
//! [features]
//! deny = ["threads", "memory64", "legacy-exceptions"]
//!
//! [imports]
//! allow-modules = ["wasi_snapshot_preview1"]
//! deny = ["env.*"]                 # globs on `module.name`
//!
//! [exports]
//! require = ["_start"]
//! deny = ["__*"]
//!
//! [custom]
//! forbid = [".debug_*", "sourceMappingURL"]
//! require = ["producers"]
//!
//! [functions]
//! max-size = "64 KiB"
//! max-count = 5000
//! ```

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::caps::{Capability, parse_list};
use crate::error::TextError;

/// A policy, every value checked.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Where it was read from.
    pub path: String,
    /// `[capabilities]`.
    pub capabilities: Option<Capabilities>,
    /// `[size]`.
    pub size: SizeLimits,
    /// `[features] deny`: proposals the module must not use.
    pub deny_features: Vec<Ruled<String>>,
    /// `[imports] allow-modules`: globs; an import from any other module is a
    /// violation.
    pub allow_import_modules: Option<Ruled<Vec<Pattern>>>,
    /// `[imports] deny`: globs on `module.name`.
    pub deny_imports: Option<Ruled<Vec<Pattern>>>,
    /// `[exports] require`: each glob must match an export.
    pub require_exports: Option<Ruled<Vec<Pattern>>>,
    /// `[exports] deny`: no export may match.
    pub deny_exports: Option<Ruled<Vec<Pattern>>>,
    /// `[custom] forbid`: no custom section may match.
    pub forbid_custom: Option<Ruled<Vec<Pattern>>>,
    /// `[custom] require`: each glob must match a custom section.
    pub require_custom: Option<Ruled<Vec<Pattern>>>,
    /// `[functions] max-size`, in bytes of body.
    pub max_function_size: Option<Ruled<u64>>,
    /// `[functions] max-count`: defined functions.
    pub max_functions: Option<Ruled<u64>>,
}

/// A value with the line of the policy it was written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ruled<T> {
    /// The value.
    pub value: T,
    /// Its line in the policy file, from 1.
    pub line: usize,
    /// How it was written (`"5 MiB"`).
    pub written: String,
}

/// `[capabilities]`.
#[derive(Debug, Clone)]
pub struct Capabilities {
    /// Refused capabilities.
    pub deny: Option<Ruled<Vec<Capability>>>,
    /// If set, every other capability (but neutral plumbing) is refused.
    pub allow: Option<Ruled<Vec<Capability>>>,
    /// Whether linked but unreachable imports count.
    pub strict: bool,
}

/// Which compressed size `max-compressed` limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// `gzip -9`.
    #[default]
    Gzip,
    /// `brotli` at quality 11.
    Brotli,
}

impl Compression {
    /// Its name in the policy.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Brotli => "brotli",
        }
    }
}

/// How much a module may grow against a baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Growth {
    /// Bytes.
    Bytes(u64),
    /// Percent of the baseline's size.
    Percent(f64),
}

/// `[size]`.
#[derive(Debug, Clone, Default)]
pub struct SizeLimits {
    /// The whole module.
    pub max: Option<Ruled<u64>>,
    /// The code section.
    pub max_code: Option<Ruled<u64>>,
    /// Data segments.
    pub max_data: Option<Ruled<u64>>,
    /// Custom sections, headers included.
    pub max_custom: Option<Ruled<u64>>,
    /// The whole module, compressed.
    pub max_compressed: Option<Ruled<u64>>,
    /// Which compression `max_compressed` measures.
    pub compression: Compression,
    /// Growth against `--baseline`.
    pub max_growth: Option<Ruled<Growth>>,
}

/// A glob (`.debug_*`, `env.*`), as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    glob: glob::Pattern,
}

impl Pattern {
    /// Whether `text` matches (`*` matches any run of characters, dots and
    /// slashes included).
    pub fn matches(&self, text: &str) -> bool {
        self.glob.matches(text)
    }

    /// The glob as written.
    pub fn as_str(&self) -> &str {
        self.glob.as_str()
    }
}

// The file as TOML reads it: every table and key known, values with where
// they were written.

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    capabilities: Option<CapabilitiesTable>,
    size: Option<SizeTable>,
    features: Option<FeaturesTable>,
    imports: Option<ImportsTable>,
    exports: Option<ExportsTable>,
    custom: Option<CustomTable>,
    functions: Option<FunctionsTable>,
}

type Names = Spanned<Vec<Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CapabilitiesTable {
    deny: Option<Names>,
    allow: Option<Names>,
    strict: Option<bool>,
}

/// A size: a number of bytes, or text with a unit.
#[derive(Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(i64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SizeTable {
    max: Option<Spanned<SizeValue>>,
    max_code: Option<Spanned<SizeValue>>,
    max_data: Option<Spanned<SizeValue>>,
    max_custom: Option<Spanned<SizeValue>>,
    max_compressed: Option<Spanned<SizeValue>>,
    compression: Option<Spanned<String>>,
    max_growth: Option<Spanned<SizeValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FeaturesTable {
    deny: Option<Names>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ImportsTable {
    allow_modules: Option<Names>,
    deny: Option<Names>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ExportsTable {
    require: Option<Names>,
    deny: Option<Names>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CustomTable {
    forbid: Option<Names>,
    require: Option<Names>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FunctionsTable {
    max_size: Option<Spanned<SizeValue>>,
    max_count: Option<Spanned<i64>>,
}

/// The most a policy file may hold: a policy is a page of settings.
pub const MAX_POLICY_BYTES: usize = 1 << 20;

/// Reads a policy from its text; `path` names it in errors.
pub fn parse(path: &str, text: &str) -> Result<Policy, TextError> {
    let at = Locator { path, text };
    if text.len() > MAX_POLICY_BYTES {
        return Err(at.error(0..0, "a policy file of more than 1 MiB is not a policy"));
    }
    let file: File = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        at.error(span, e.message().trim())
    })?;
    let mut policy = Policy {
        path: path.to_string(),
        ..Policy::default()
    };
    if let Some(c) = file.capabilities {
        let list = |names: Option<Names>| -> Result<Option<Ruled<Vec<Capability>>>, TextError> {
            let Some(names) = names else { return Ok(None) };
            let mut all = Vec::new();
            for name in names.get_ref() {
                let found = parse_list(name.get_ref()).map_err(|e| at.error(name.span(), &e))?;
                all.extend(found);
            }
            Ok(Some(at.ruled(&names, all)))
        };
        policy.capabilities = Some(Capabilities {
            deny: list(c.deny)?,
            allow: list(c.allow)?,
            strict: c.strict.unwrap_or(false),
        });
    }
    if let Some(s) = file.size {
        let size = |v: Option<Spanned<SizeValue>>| -> Result<Option<Ruled<u64>>, TextError> {
            v.map(|v| {
                let bytes = bytes_of(v.get_ref()).map_err(|e| at.error(v.span(), &e))?;
                Ok(at.ruled(&v, bytes))
            })
            .transpose()
        };
        policy.size = SizeLimits {
            max: size(s.max)?,
            max_code: size(s.max_code)?,
            max_data: size(s.max_data)?,
            max_custom: size(s.max_custom)?,
            max_compressed: size(s.max_compressed)?,
            compression: match s.compression {
                None => Compression::Gzip,
                Some(c) => match c.get_ref().as_str() {
                    "gzip" => Compression::Gzip,
                    "brotli" => Compression::Brotli,
                    other => {
                        return Err(at.error(
                            c.span(),
                            &format!("unknown compression `{other}`; known: gzip, brotli"),
                        ));
                    }
                },
            },
            max_growth: s
                .max_growth
                .map(|v| {
                    let growth = growth_of(v.get_ref()).map_err(|e| at.error(v.span(), &e))?;
                    Ok(at.ruled(&v, growth))
                })
                .transpose()?,
        };
    }
    if let Some(f) = file.features
        && let Some(names) = f.deny
    {
        for name in names.get_ref() {
            let known = crate::features::feature_names();
            let wanted = name.get_ref().to_ascii_lowercase().replace('_', "-");
            if !known.contains(&wanted) {
                return Err(at.error(
                    name.span(),
                    &format!(
                        "unknown feature `{}`; known: {}",
                        name.get_ref(),
                        known.join(", ")
                    ),
                ));
            }
            policy.deny_features.push(at.ruled(name, wanted));
        }
    }
    let globs = |names: Option<Names>| -> Result<Option<Ruled<Vec<Pattern>>>, TextError> {
        let Some(names) = names else { return Ok(None) };
        let mut all = Vec::new();
        for name in names.get_ref() {
            let glob = glob::Pattern::new(name.get_ref())
                .map_err(|e| at.error(name.span(), &format!("not a glob: {}", e.msg)))?;
            all.push(Pattern { glob });
        }
        Ok(Some(at.ruled(&names, all)))
    };
    if let Some(i) = file.imports {
        policy.allow_import_modules = globs(i.allow_modules)?;
        policy.deny_imports = globs(i.deny)?;
    }
    if let Some(e) = file.exports {
        policy.require_exports = globs(e.require)?;
        policy.deny_exports = globs(e.deny)?;
    }
    if let Some(c) = file.custom {
        policy.forbid_custom = globs(c.forbid)?;
        policy.require_custom = globs(c.require)?;
    }
    if let Some(f) = file.functions {
        policy.max_function_size = f
            .max_size
            .map(|v| {
                let bytes = bytes_of(v.get_ref()).map_err(|e| at.error(v.span(), &e))?;
                Ok(at.ruled(&v, bytes))
            })
            .transpose()?;
        policy.max_functions = f
            .max_count
            .map(|v| match u64::try_from(*v.get_ref()) {
                Ok(n) => Ok(at.ruled(&v, n)),
                Err(_) => Err(at.error(v.span(), "a count cannot be negative")),
            })
            .transpose()?;
    }
    Ok(policy)
}

/// Turns byte spans of the text into lines and columns.
struct Locator<'a> {
    path: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    /// Line and column (from 1, the column in characters) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize, &str) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() + 1;
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        let rest = self.text.get(line_start..).unwrap_or_default();
        let source_line = rest.split('\n').next().unwrap_or_default();
        (line, column, source_line.trim_end_matches('\r'))
    }

    fn error(&self, span: Range<usize>, message: &str) -> TextError {
        let (line, column, source_line) = self.position(span.start);
        TextError {
            path: self.path.to_string(),
            line,
            column,
            message: message.to_string(),
            source_line: source_line.to_string(),
        }
    }

    fn ruled<S, T>(&self, written: &Spanned<S>, value: T) -> Ruled<T> {
        let span = written.span();
        Ruled {
            value,
            line: self.position(span.start).0,
            written: self.text.get(span).unwrap_or_default().trim().to_string(),
        }
    }
}

/// Bytes of a size: a number, or a number with a unit (`B`, `KB`, `KiB`,
/// `MB`, `MiB`, `GB`, `GiB`; `k`/`K` and `M` alone are the binary ones).
fn bytes_of(value: &SizeValue) -> Result<u64, String> {
    match value {
        SizeValue::Bytes(n) => {
            u64::try_from(*n).map_err(|_| "a size cannot be negative".to_string())
        }
        SizeValue::Text(text) => parse_size(text),
    }
}

/// Parses `5 MiB`, `1.5MB`, `300 KiB`, `1024`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| {
        format!("`{text}` is not a size: write bytes (`5242880`) or a number and a unit (`5 MiB`)")
    })?;
    let unit = unit.trim();
    let scale: f64 = match unit {
        "" | "B" | "b" | "bytes" => 1.0,
        "KB" | "kB" => 1e3,
        "KiB" | "K" | "k" => 1024.0,
        "MB" => 1e6,
        "MiB" | "M" => 1024.0 * 1024.0,
        "GB" => 1e9,
        "GiB" | "G" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "unknown size unit `{other}`; known: B, KB, KiB, MB, MiB, GB, GiB"
            ));
        }
    };
    let bytes = (number * scale).round();
    if !bytes.is_finite() || bytes > u64::MAX as f64 {
        return Err(format!("`{text}` is too large a size"));
    }
    Ok(bytes as u64)
}

/// A growth: bytes, a size, or a percentage (`2%`).
fn growth_of(value: &SizeValue) -> Result<Growth, String> {
    if let SizeValue::Text(text) = value
        && let Some(number) = text.trim().strip_suffix('%')
    {
        let percent: f64 = number
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not a percentage"))?;
        if !percent.is_finite() || percent < 0.0 {
            return Err(format!("`{text}` is not a percentage of 0 or more"));
        }
        return Ok(Growth::Percent(percent));
    }
    bytes_of(value).map(Growth::Bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        match parse("wasmscope.toml", text) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => format!("{}:{}: {}", e.line, e.column, e.message),
        }
    }

    #[test]
    fn every_rule_is_read() {
        let p = parse(
            "p.toml",
            r#"
[capabilities]
deny = ["net", "fs-write"]
strict = true

[size]
max = "5 MiB"
max-code = 2000000
max-data = "1.5MB"
max-custom = "100 KiB"
max-compressed = "1 MiB"
compression = "brotli"
max-growth = "2%"

[features]
deny = ["threads", "legacy_exceptions"]

[imports]
allow-modules = ["wasi_snapshot_preview1"]
deny = ["env.*"]

[exports]
require = ["_start"]
deny = ["__*"]

[custom]
forbid = [".debug_*"]
require = ["producers"]

[functions]
max-size = "64 KiB"
max-count = 5000
"#,
        )
        .unwrap();
        let caps = p.capabilities.unwrap();
        assert!(caps.strict);
        let deny = caps.deny.unwrap();
        assert_eq!(deny.line, 3);
        assert!(
            deny.value.contains(&Capability::NetTcp) && deny.value.contains(&Capability::FsWrite)
        );
        let max = p.size.max.unwrap();
        assert_eq!(
            (max.value, max.line, max.written.as_str()),
            (5 << 20, 7, "\"5 MiB\"")
        );
        assert_eq!(p.size.max_code.unwrap().value, 2_000_000);
        assert_eq!(p.size.max_data.unwrap().value, 1_500_000);
        assert_eq!(p.size.max_custom.unwrap().value, 100 * 1024);
        assert_eq!(p.size.compression, Compression::Brotli);
        assert_eq!(p.size.max_growth.unwrap().value, Growth::Percent(2.0));
        let features: Vec<&str> = p.deny_features.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(features, ["threads", "legacy-exceptions"]);
        assert!(p.deny_imports.unwrap().value[0].matches("env.abort"));
        assert!(p.forbid_custom.unwrap().value[0].matches(".debug_info"));
        assert_eq!(p.max_function_size.unwrap().value, 65536);
        assert_eq!(p.max_functions.unwrap().value, 5000);
    }

    #[test]
    fn mistakes_point_at_their_line_and_column() {
        assert_eq!(
            error("[size]\nmax = \"5 parsecs\"\n"),
            "2:7: unknown size unit `parsecs`; known: B, KB, KiB, MB, MiB, GB, GiB"
        );
        let unknown = error("[size]\nmaximum = 5\n");
        assert!(
            unknown.starts_with("2:1: unknown field `maximum`"),
            "{unknown}"
        );
        let table = error("[sizes]\nmax = 5\n");
        assert!(table.starts_with("1:2: unknown field `sizes`"), "{table}");
        let ty = error("[capabilities]\nstrict = \"yes\"\n");
        assert!(ty.starts_with("2:10: "), "{ty}");
        let cap = error("[capabilities]\ndeny = [\"files\"]\n");
        assert!(cap.starts_with("2:9: unknown capability `files`"), "{cap}");
        assert!(
            error("[features]\ndeny = [\"warp-drive\"]\n")
                .starts_with("2:9: unknown feature `warp-drive`")
        );
        assert!(error("[size]\ncompression = \"zip\"\n").starts_with("2:15: unknown compression"));
        assert!(
            error("[size]\nmax-growth = \"lots%\"\n")
                .starts_with("2:14: `lots%` is not a percentage")
        );
        assert!(
            error("[functions]\nmax-count = -1\n").starts_with("2:13: a count cannot be negative")
        );
        assert!(error("[custom]\nforbid = [\"[\"]\n").starts_with("2:11: not a glob"));
        assert!(error("[size\n").starts_with("1:"));
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("1 KiB"), Ok(1024));
        assert_eq!(parse_size("1KB"), Ok(1000));
        assert_eq!(parse_size(" 2.5 MiB "), Ok(2_621_440));
        assert!(parse_size("MiB").is_err());
        assert!(parse_size("1e999 GiB").is_err());
    }
}
