//! `gc`: removing what nothing reachable uses. Functions (imported ones
//! too), globals, tables, element and data segments are kept only when the
//! roots reach them: the exports, the start function, the user's extra
//! roots, and what instantiation itself does (active data segments; active
//! element segments of a table that is kept). Every index is then
//! renumbered, in the code, the other sections and the name section.
//!
//! The phases each have a home: `module` reads what gc looks at,
//! `reachability` marks what is kept, `declarations` keeps `ref.func`
//! targets declared, `renumber` numbers what is kept afresh, `rewrite`
//! writes the sections, `names` the name section, and `report` says what
//! went.

mod declarations;
mod module;
mod names;
mod reachability;
mod renumber;
mod report;
mod rewrite;

use super::{Edit, Layout, assemble, core_module_only};
use crate::error::{Error, Result};
use crate::print::FunctionSelector;
use declarations::Declarations;
use module::Module;
use reachability::{KeptExports, Live, mark, roots};

/// Extra roots and which exports to keep.
#[derive(Debug, Clone, Default)]
pub struct GcOptions {
    /// When not empty, only these function exports are kept (and are the
    /// roots); other function exports are removed. Exports of memories,
    /// tables, globals and tags always stay.
    pub keep_exports: Vec<String>,
    /// Functions kept (with what they use) even when nothing reaches them.
    pub roots: Vec<FunctionSelector>,
}

/// Removes what nothing reachable uses from the core module `bytes`.
pub fn gc(bytes: &[u8], name: &str, opts: &GcOptions) -> Result<Edit> {
    let layout = Layout::read(bytes).map_err(|e| e.in_file(name))?;
    refuse_unlinked(&layout, name)?;
    let m = Module::read(bytes).map_err(|e| e.in_file(name))?;
    m.check_bodies(name)?;

    let exports = KeptExports::new(&m, opts, name)?;
    let roots = roots(&m, &exports, opts, name)?;
    let (mut live, ref_funcs) = mark(&m, roots).map_err(|e| e.in_file(name))?;
    let declarations = Declarations::new(&m, &mut live, ref_funcs, &exports, name)?;
    let identity = keeps_every_index(&m, &live, &declarations);

    let mut edit = Edit::default();
    report::removals(&m, &live, &layout, identity, &exports, &mut edit);
    let kept = rewrite::Kept {
        bytes,
        name,
        layout: &layout,
        module: &m,
        live: &live,
        declarations: &declarations,
        exports: &exports,
        identity,
    };
    // The sections are written even when nothing goes: a module gc cannot
    // re-encode is refused either way.
    let pieces = rewrite::sections(&kept)?;
    edit.bytes = if edit.changes.is_empty() {
        bytes.to_vec()
    } else {
        assemble(bytes, &layout, &pieces)
    };
    if !identity && let Some(note) = report::shorter_numbers_note(&layout, &edit) {
        edit.notes.push(note);
    }
    Ok(edit)
}

/// Refuses what gc cannot renumber: a component, and an object file, whose
/// relocations the linker still needs.
fn refuse_unlinked(layout: &Layout, name: &str) -> Result<()> {
    core_module_only(layout, name, "gc")?;
    if layout.is_object_file() {
        return Err(Error::Other(format!(
            "{name}: is a relocatable object file (it has a `linking` section); gc works on linked modules"
        )));
    }
    Ok(())
}

/// Whether every index stays: with nothing but exports removed, only the
/// export section changes and the rest is copied as it is.
fn keeps_every_index(m: &Module<'_>, live: &Live, declarations: &Declarations) -> bool {
    let untouched = |keep: &[bool]| keep.iter().all(|k| *k);
    untouched(&live.func)
        && untouched(&live.global)
        && untouched(&live.table)
        && untouched(&live.elem)
        && untouched(&live.data)
        && declarations.all_kept(m)
        && declarations.undeclared.is_empty()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn run(text: &str, opts: &GcOptions) -> Edit {
        let bytes = crate::parse::parse_text(text, "t.wat").unwrap();
        let edit = gc(&bytes, "t.wat", opts).unwrap();
        super::super::check(&edit.bytes, "t.wat").unwrap();
        edit
    }

    fn removed(edit: &Edit) -> Vec<String> {
        edit.changes
            .iter()
            .map(|c| format!("{} {}", c.kind, c.name))
            .collect()
    }

    #[test]
    fn unreachable_functions_globals_and_imports_go() {
        let edit = run(
            r#"(module
                (import "env" "used" (func $used))
                (import "env" "unused" (func $unused))
                (global $g (mut i32) (i32.const 0))
                (global $dead (mut i32) (i32.const 1))
                (func $main (export "main") call $used call $helper global.get $g drop)
                (func $helper)
                (func $dead call $unused global.get $dead drop))"#,
            &GcOptions::default(),
        );
        assert_eq!(
            removed(&edit),
            vec!["function dead", "function import env::unused", "global #1"]
        );
        let index = crate::index::ModuleIndex::build(&edit.bytes).unwrap();
        let names: Vec<Option<&str>> = (0..3).map(|f| index.function_name(f)).collect();
        assert_eq!(names, vec![Some("used"), Some("main"), Some("helper")]);
    }

    #[test]
    fn a_kept_table_keeps_its_segment_and_functions() {
        let edit = run(
            r#"(module
                (type $t (func))
                (table 2 funcref)
                (elem (i32.const 0) $a $b)
                (func $a) (func $b) (func $c)
                (func (export "go") (call_indirect (type $t) (i32.const 0))))"#,
            &GcOptions::default(),
        );
        assert_eq!(removed(&edit), vec!["function c"]);
    }

    #[test]
    fn an_unused_table_goes_with_its_segment() {
        let edit = run(
            r#"(module
                (table 2 funcref)
                (elem (i32.const 0) $a $b)
                (func $a) (func $b)
                (func (export "go")))"#,
            &GcOptions::default(),
        );
        assert_eq!(
            removed(&edit),
            vec!["function a", "function b", "table #0", "element segment #0"]
        );
    }

    #[test]
    fn passive_data_goes_unless_used() {
        let edit = run(
            r#"(module
                (memory 1)
                (data (i32.const 0) "active")
                (data $used "used")
                (data $unused "unused!")
                (func (export "go") (memory.init $used (i32.const 0) (i32.const 0) (i32.const 4))))"#,
            &GcOptions::default(),
        );
        assert_eq!(removed(&edit), vec!["data segment #2"]);
    }

    #[test]
    fn ref_func_keeps_its_declaration() {
        let edit = run(
            r#"(module
                (table 1 funcref)
                (elem (i32.const 0) $f)
                (elem declare func $g $h)
                (func $f) (func $g) (func $h)
                (func (export "go") (result funcref) ref.func $g))"#,
            &GcOptions::default(),
        );
        assert_eq!(
            removed(&edit),
            vec!["function f", "function h", "table #0", "element segment #0"]
        );
    }

    #[test]
    fn a_reference_declared_only_by_a_removed_segment_is_declared_anew() {
        // The passive segment is never used, but it is what declares $f
        // for `ref.func`.
        for text in [
            r#"(module (elem func $f) (func $f)
                (func (export "go") (result funcref) ref.func $f))"#,
            r#"(module (table 1 funcref) (elem (i32.const 0) $f) (elem func $f) (func $f)
                (func (export "go") (result funcref) ref.func $f))"#,
        ] {
            let edit = run(text, &GcOptions::default());
            assert!(
                removed(&edit).contains(&"element segment #0".to_string())
                    || removed(&edit).contains(&"element segment #1".to_string()),
                "{:?}",
                removed(&edit)
            );
        }
    }

    #[test]
    fn keep_export_and_root_choose_the_roots() {
        let text = r#"(module
            (func $a (export "a")) (func $b (export "b")) (func $c)
            (memory (export "memory") 1))"#;
        let edit = run(
            text,
            &GcOptions {
                keep_exports: vec!["a".into()],
                roots: vec![FunctionSelector::Name("c".into())],
            },
        );
        assert_eq!(removed(&edit), vec!["function export b", "function b"]);
        let index = crate::index::ModuleIndex::build(&edit.bytes).unwrap();
        let exports: Vec<&str> = index.exports.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(exports, vec!["a", "memory"]);
        let bytes = crate::parse::parse_text(text, "t.wat").unwrap();
        let err = gc(
            &bytes,
            "t.wat",
            &GcOptions {
                keep_exports: vec!["memory".into()],
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("no function export named `memory`")
        );
    }

    #[test]
    fn nothing_to_remove_leaves_the_bytes_alone() {
        let bytes =
            crate::parse::parse_text(r#"(module (func (export "a") call $b) (func $b))"#, "t.wat")
                .unwrap();
        let edit = gc(&bytes, "t", &GcOptions::default()).unwrap();
        assert!(edit.changes.is_empty());
        assert_eq!(edit.bytes, bytes);
    }

    #[test]
    fn demo_keeps_every_reachable_function_and_stays_valid() {
        let bytes = crate::demo::BYTES;
        let edit = gc(bytes, "demo", &GcOptions::default()).unwrap();
        super::super::check(&edit.bytes, "demo").unwrap();
        let before = crate::index::ModuleIndex::build(bytes).unwrap();
        let graph = crate::callgraph::CallGraph::build(bytes, &before).unwrap();
        let reachable = graph.reachable();
        let after = crate::index::ModuleIndex::build(&edit.bytes).unwrap();
        let kept: BTreeSet<&str> = (0..after.functions.len() as u32)
            .filter_map(|f| after.function_name(f))
            .collect();
        for (f, r) in reachable.iter().enumerate() {
            let name = before.function_name(f as u32).unwrap();
            assert_eq!(kept.contains(name), *r, "{name}");
        }
    }
}
