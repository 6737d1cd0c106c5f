//! Types written as text the way the text format writes them: tables,
//! memories and globals (function types print through wasmparser's own
//! `Display`).

fn limits(initial: u64, maximum: Option<u64>) -> String {
    match maximum {
        Some(max) => format!("{initial} {max}"),
        None => initial.to_string(),
    }
}

/// A table type as text: `1 10 funcref`, `i64 1 externref`.
pub fn table_type(t: &wasmparser::TableType) -> String {
    let index = if t.table64 { "i64 " } else { "" };
    let shared = if t.shared { " shared" } else { "" };
    format!(
        "{index}{}{shared} {}",
        limits(t.initial, t.maximum),
        t.element_type
    )
}

/// A memory type as text: `17`, `1 2 shared`, `i64 1`, with a custom page
/// size where there is one.
pub fn memory_type(m: &wasmparser::MemoryType) -> String {
    let mut text = String::new();
    if m.memory64 {
        text.push_str("i64 ");
    }
    text.push_str(&limits(m.initial, m.maximum));
    if m.shared {
        text.push_str(" shared");
    }
    if let Some(log2) = m.page_size_log2 {
        text.push_str(&format!(" (pagesize {})", 1u64 << log2.min(63)));
    }
    text
}

/// A global type as text: `i32`, `(mut i64)`.
pub fn global_type(g: &wasmparser::GlobalType) -> String {
    let ty = g.content_type.to_string();
    let ty = if g.shared {
        format!("(shared {ty})")
    } else {
        ty
    };
    if g.mutable { format!("(mut {ty})") } else { ty }
}
