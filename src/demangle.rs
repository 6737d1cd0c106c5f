//! Symbol names as people read them: Rust (legacy and v0) and C++ names are
//! demangled; anything else is returned as it is.

/// Demangles a Rust or C++ symbol name, dropping Rust's hash suffix.
pub fn demangle(name: &str) -> String {
    if let Ok(rust) = rustc_demangle::try_demangle(name) {
        return format!("{rust:#}");
    }
    if name.starts_with("_Z")
        && let Ok(symbol) = cpp_demangle::Symbol::new(name)
        && let Ok(text) = symbol.demangle(&cpp_demangle::DemangleOptions::default())
    {
        return text;
    }
    name.to_string()
}

/// A name for display: demangled unless `raw` is set.
pub fn display_name(name: &str, raw: bool) -> String {
    if raw {
        name.to_string()
    } else {
        demangle(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demangles_rust_and_cpp() {
        assert_eq!(
            demangle("_ZN6hasher4main17hfab1eee9f5624adbE"),
            "hasher::main"
        );
        assert_eq!(
            demangle("_RNvNtCsdHhIpgkcIfN_4core9panicking9panic_fmt"),
            "core::panicking::panic_fmt"
        );
        assert_eq!(demangle("_Z3addii"), "add(int, int)");
        assert_eq!(demangle("main"), "main");
        assert_eq!(demangle("_Znot a symbol"), "_Znot a symbol");
    }
}
