//! WABT-compatible tools.

pub mod objdump;
