//! The arguments that say where a module's debug info is, shared by the
//! commands that show source files and lines.

use std::path::PathBuf;

use wasmscope::debuginfo::{DebugOptions, PrefixMap};

/// Where the debug info is, besides the module itself.
#[derive(Debug, Clone, clap::Args)]
pub struct DebugArgs {
    /// Read DWARF from this file (a separate debug file, as `strip
    /// --split-debug` writes) instead of the module or the file its
    /// `external_debug_info` section names.
    #[arg(long, value_name = "FILE")]
    pub debug_file: Option<PathBuf>,

    /// Read this source map instead of the one the module's
    /// `sourceMappingURL` section names.
    #[arg(long, value_name = "FILE")]
    pub source_map: Option<PathBuf>,

    /// Source files the debug info names under OLD are read from NEW
    /// (repeatable; the longest matching OLD wins).
    #[arg(long, value_name = "OLD=NEW")]
    pub source_prefix: Vec<PrefixMap>,
}

impl DebugArgs {
    /// The library's options, with raw or demangled names.
    pub fn options(&self, raw_names: bool) -> DebugOptions {
        DebugOptions {
            debug_file: self.debug_file.clone(),
            source_map: self.source_map.clone(),
            prefixes: self.source_prefix.clone(),
            raw_names,
        }
    }
}
