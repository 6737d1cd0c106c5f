//! Which function, global and type on the old side is which on the new one.
//! Functions are paired by rules tried in turn (imports by module and name,
//! export name, name-section name, normalised body, then position); each
//! rule pairs only what the earlier ones left, so the stronger evidence
//! wins.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::ops::Range;

use wasmparser::{BinaryReader, FunctionBody};

use crate::body::Reference;
use crate::error::DecodeError;
use crate::index::{ItemKind, ModuleIndex};

use super::report::MatchedBy;

/// Which old function is which new one.
#[derive(Debug, Default)]
pub(super) struct Matching {
    /// Old index to new index, for matched functions.
    pub(super) pairs: BTreeMap<u32, u32>,
    /// New index to old index.
    pub(super) back: HashMap<u32, u32>,
    /// How each old function was matched.
    pub(super) how: HashMap<u32, MatchedBy>,
    /// Old global index to new, and the reverse.
    pub(super) globals: BTreeMap<u32, u32>,
    pub(super) globals_back: HashMap<u32, u32>,
    /// New type index to an old type with the same text.
    pub(super) types_back: HashMap<u32, u32>,
}

/// Rounds of body hashing: each round names more callees, so a caller
/// whose callees were paired in the first can pair in the second.
const BODY_ROUNDS: usize = 2;

impl Matching {
    /// Pairs the two sides' types, globals and functions.
    pub(super) fn build(
        old: &[u8],
        new: &[u8],
        o: &ModuleIndex,
        n: &ModuleIndex,
    ) -> Result<Matching, DecodeError> {
        let mut m = Matching::default();
        m.match_types(o, n);
        m.match_globals(o, n);
        m.match_imports(o, n);
        m.match_exports(o, n);
        m.match_names(o, n);
        m.match_bodies(old, new, o, n)?;
        m.match_positions(o, n);
        Ok(m)
    }

    fn pair(&mut self, a: u32, b: u32, how: MatchedBy) {
        if self.pairs.contains_key(&a) || self.back.contains_key(&b) {
            return;
        }
        self.pairs.insert(a, b);
        self.back.insert(b, a);
        self.how.insert(a, how);
    }

    fn match_types(&mut self, o: &ModuleIndex, n: &ModuleIndex) {
        let mut first: HashMap<&str, u32> = HashMap::new();
        for (i, t) in o.types.iter().enumerate() {
            first.entry(t.as_str()).or_insert(i as u32);
        }
        for (i, t) in n.types.iter().enumerate() {
            if let Some(&a) = first.get(t.as_str()) {
                self.types_back.insert(i as u32, a);
            }
        }
    }

    /// Globals: imported ones by module and name, then by export name, then
    /// by name, then in order.
    fn match_globals(&mut self, o: &ModuleIndex, n: &ModuleIndex) {
        let (a, b) = (global_keys(o), global_keys(n));
        for (x, kx) in &a {
            if let Some((y, _)) = b.iter().find(|(y, ky)| {
                !self.globals_back.contains_key(y) && ky.iter().any(|k| kx.contains(k))
            }) {
                self.globals.insert(*x, *y);
                self.globals_back.insert(*y, *x);
            }
        }
        let rest_a: Vec<u32> = a
            .iter()
            .map(|(x, _)| *x)
            .filter(|x| !self.globals.contains_key(x))
            .collect();
        let rest_b: Vec<u32> = b
            .iter()
            .map(|(y, _)| *y)
            .filter(|y| !self.globals_back.contains_key(y))
            .collect();
        for (x, y) in rest_a.into_iter().zip(rest_b) {
            self.globals.insert(x, y);
            self.globals_back.insert(y, x);
        }
    }

    /// Imported functions: by module and name.
    fn match_imports(&mut self, o: &ModuleIndex, n: &ModuleIndex) {
        let imports = |index: &ModuleIndex| -> HashMap<(String, String), u32> {
            index
                .imports
                .iter()
                .filter(|i| i.kind == ItemKind::Func)
                .map(|i| ((i.module.clone(), i.name.clone()), i.index))
                .collect()
        };
        let new_imports = imports(n);
        for ((module, name), a) in imports(o) {
            if let Some(&b) = new_imports.get(&(module, name)) {
                self.pair(a, b, MatchedBy::Import);
            }
        }
    }

    /// Exported functions: by export name.
    fn match_exports(&mut self, o: &ModuleIndex, n: &ModuleIndex) {
        let exports = |index: &ModuleIndex| -> Vec<(String, u32)> {
            index
                .exports
                .iter()
                .filter(|e| e.kind == ItemKind::Func)
                // An invalid module may export a function it does not
                // have: such an export matches nothing.
                .filter(|e| (e.index as usize) < index.functions.len())
                .map(|e| (e.name.clone(), e.index))
                .collect()
        };
        let new_exports: HashMap<String, u32> = exports(n).into_iter().collect();
        for (name, a) in exports(o) {
            if let Some(&b) = new_exports.get(&name) {
                self.pair(a, b, MatchedBy::Export);
            }
        }
    }

    /// Names from the name section, where unique on both sides: as written,
    /// then demangled, since a Rust symbol's hash changes from build to
    /// build while the function stays the same.
    fn match_names(&mut self, o: &ModuleIndex, n: &ModuleIndex) {
        for demangled in [false, true] {
            let new_names = unique_names(n, demangled);
            for (name, a) in unique_names(o, demangled) {
                if let Some(&b) = new_names.get(&name) {
                    self.pair(a, b, MatchedBy::Name);
                }
            }
        }
    }

    /// Bodies that are the same once indices are replaced by what they
    /// refer to.
    fn match_bodies(
        &mut self,
        old: &[u8],
        new: &[u8],
        o: &ModuleIndex,
        n: &ModuleIndex,
    ) -> Result<(), DecodeError> {
        for _ in 0..BODY_ROUNDS {
            let a = self.unmatched_by_hash(old, o, true)?;
            let b = self.unmatched_by_hash(new, n, false)?;
            let mut found = false;
            for (h, olds) in &a {
                let Some(news) = b.get(h) else { continue };
                if let ([x], [y]) = (olds.as_slice(), news.as_slice()) {
                    self.pair(*x, *y, MatchedBy::Body);
                    found = true;
                } else if olds.len() == news.len() {
                    self.pair_copies(olds, news, o, n);
                    found = true;
                }
            }
            if !found {
                break;
            }
        }
        Ok(())
    }

    /// The functions of one side not yet paired, grouped by body hash.
    fn unmatched_by_hash(
        &self,
        bytes: &[u8],
        index: &ModuleIndex,
        old_side: bool,
    ) -> Result<HashMap<u64, Vec<u32>>, DecodeError> {
        use rayon::prelude::*;
        let unmatched: Vec<(u32, Range<usize>)> = index
            .defined_functions()
            .filter(|f| {
                if old_side {
                    !self.pairs.contains_key(&f.index)
                } else {
                    !self.back.contains_key(&f.index)
                }
            })
            .filter_map(|f| Some((f.index, f.body.clone()?)))
            .collect();
        // Hashed on every core, gathered in order.
        let hashed: Vec<Result<u64, DecodeError>> = unmatched
            .par_iter()
            .map(|(_, body)| self.body_hash(bytes, index, body.clone(), old_side))
            .collect();
        let mut by_hash: HashMap<u64, Vec<u32>> = HashMap::new();
        for ((func, _), h) in unmatched.iter().zip(hashed) {
            by_hash.entry(h?).or_default().push(*func);
        }
        Ok(by_hash)
    }

    /// Copies of one body (generic code instantiated more than once, often
    /// under one name), as many on each side: the same names first, then
    /// in order.
    fn pair_copies(&mut self, olds: &[u32], news: &[u32], o: &ModuleIndex, n: &ModuleIndex) {
        let name = |index: &ModuleIndex, f: u32| index.function_name(f).map(str::to_string);
        for &x in olds {
            if let Some(&y) = news
                .iter()
                .find(|&&y| !self.back.contains_key(&y) && name(o, x) == name(n, y))
            {
                self.pair(x, y, MatchedBy::Body);
            }
        }
        let rest_old: Vec<u32> = olds
            .iter()
            .copied()
            .filter(|x| !self.pairs.contains_key(x))
            .collect();
        let rest_new: Vec<u32> = news
            .iter()
            .copied()
            .filter(|y| !self.back.contains_key(y))
            .collect();
        for (x, y) in rest_old.into_iter().zip(rest_new) {
            self.pair(x, y, MatchedBy::Body);
        }
    }

    /// Last: what is left, in order, where the types agree. Functions with
    /// names of their own that matched nothing are different functions, not
    /// the same one moved: only unnamed ones take part.
    fn match_positions(&mut self, o: &ModuleIndex, n: &ModuleIndex) {
        let a = unnamed_left(o, &|i| self.pairs.contains_key(&i));
        let b = unnamed_left(n, &|i| self.back.contains_key(&i));
        for ((x, tx), (y, ty)) in a.iter().zip(b.iter()) {
            if tx == ty {
                self.pair(*x, *y, MatchedBy::Position);
            }
        }
    }

    /// A hash of a body in which every function, global and type index is
    /// replaced by what it stands for on the old side's numbering.
    pub(super) fn body_hash(
        &self,
        bytes: &[u8],
        index: &ModuleIndex,
        body: Range<usize>,
        old_side: bool,
    ) -> Result<u64, DecodeError> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let function_key = |f: u32| -> (u8, u32) {
            let old = if old_side {
                Some(f).filter(|f| self.pairs.contains_key(f))
            } else {
                self.back.get(&f).copied()
            };
            match old {
                Some(o) => (1, o),
                None => (2, 0),
            }
        };
        let global_key = |g: u32| -> (u8, u32) {
            let old = if old_side {
                Some(g)
            } else {
                self.globals_back.get(&g).copied()
            };
            old.map_or((2, 0), |o| (1, o))
        };
        let type_key =
            |t: u32| -> String { index.types.get(t as usize).cloned().unwrap_or_default() };
        let data = bytes
            .get(body.clone())
            .ok_or_else(|| DecodeError::new(body.start, "function body out of bounds"))?;
        let reader = FunctionBody::new(BinaryReader::new(data, body.start as u64));
        let mut locals = reader.get_locals_reader()?;
        for _ in 0..locals.get_count() {
            let (count, ty) = locals.read()?;
            (count, format!("{ty:?}")).hash(&mut h);
        }
        crate::body::instructions(bytes, body, |at, reference| match reference {
            Some(Reference::Call(f) | Reference::FuncRef(f)) => {
                ("call", function_key(f)).hash(&mut h)
            }
            Some(Reference::Global(g)) => ("global", global_key(g)).hash(&mut h),
            Some(Reference::CallIndirect {
                type_index,
                table_index,
            }) => ("call_indirect", type_key(type_index), table_index).hash(&mut h),
            _ => bytes.get(at).unwrap_or_default().hash(&mut h),
        })?;
        Ok(h.finish())
    }
}

/// Each global's keys: how it is imported, exported and named. Two globals
/// sharing a key are the same one.
fn global_keys(index: &ModuleIndex) -> Vec<(u32, Vec<String>)> {
    index
        .globals
        .iter()
        .map(|g| {
            let mut keys = Vec::new();
            for i in &index.imports {
                if i.kind == ItemKind::Global && i.index == g.index {
                    keys.push(format!("import {}::{}", i.module, i.name));
                }
            }
            for e in &index.exports {
                if e.kind == ItemKind::Global && e.index == g.index {
                    keys.push(format!("export {}", e.name));
                }
            }
            if let Some(name) = &g.name {
                keys.push(format!("name {name}"));
            }
            (g.index, keys)
        })
        .collect()
}

/// Function names that occur once on this side, to their function: a name
/// shared by several functions says nothing about which is which.
fn unique_names(index: &ModuleIndex, demangled: bool) -> HashMap<String, u32> {
    let name_of = |f: &crate::index::Function| {
        f.name.as_deref().map(|n| {
            if demangled {
                crate::demangle::demangle(n)
            } else {
                n.to_string()
            }
        })
    };
    let mut count: HashMap<String, usize> = HashMap::new();
    for f in &index.functions {
        if let Some(name) = name_of(f) {
            *count.entry(name).or_insert(0) += 1;
        }
    }
    index
        .functions
        .iter()
        .filter_map(|f| {
            let name = name_of(f)?;
            (count.get(&name) == Some(&1)).then_some((name, f.index))
        })
        .collect()
}

/// The defined, unnamed functions not yet paired, in order, with their
/// type's text.
fn unnamed_left(index: &ModuleIndex, matched: &dyn Fn(u32) -> bool) -> Vec<(u32, String)> {
    index
        .defined_functions()
        .filter(|f| !matched(f.index) && f.name.is_none())
        .map(|f| {
            (
                f.index,
                index
                    .types
                    .get(f.type_index as usize)
                    .cloned()
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> (Vec<u8>, ModuleIndex) {
        let bytes = crate::parse::parse_text(text, "t.wat").expect("parses");
        let index = ModuleIndex::build(&bytes).expect("indexes");
        (bytes, index)
    }

    fn matching(old: &str, new: &str) -> Matching {
        let (ob, o) = index(old);
        let (nb, n) = index(new);
        Matching::build(&ob, &nb, &o, &n).expect("matches")
    }

    /// The pairs, old index to (new index, how).
    fn pairs(m: &Matching) -> Vec<(u32, u32, MatchedBy)> {
        m.pairs.iter().map(|(&a, &b)| (a, b, m.how[&a])).collect()
    }

    #[test]
    fn functions_pair_by_export_name() {
        let m = matching(
            r#"(module
                 (func (export "a") i32.const 1 drop)
                 (func (export "b") i32.const 2 drop))"#,
            r#"(module
                 (func (export "b") i32.const 3 drop)
                 (func (export "a") i32.const 4 drop))"#,
        );
        assert_eq!(
            pairs(&m),
            [(0, 1, MatchedBy::Export), (1, 0, MatchedBy::Export)]
        );
    }

    #[test]
    fn functions_pair_by_name_section_name() {
        let m = matching(
            "(module (func $a i32.const 1 drop) (func $b i32.const 2 drop))",
            "(module (func $b i32.const 3 drop) (func $a i32.const 4 drop))",
        );
        assert_eq!(
            pairs(&m),
            [(0, 1, MatchedBy::Name), (1, 0, MatchedBy::Name)]
        );
    }

    #[test]
    fn renamed_functions_pair_by_body() {
        let m = matching(
            "(module (func $a i32.const 1 drop) (func $b i32.const 2 drop))",
            "(module (func $c i32.const 2 drop) (func $d i32.const 1 drop))",
        );
        assert_eq!(
            pairs(&m),
            [(0, 1, MatchedBy::Body), (1, 0, MatchedBy::Body)]
        );
    }

    #[test]
    fn unnamed_functions_left_over_pair_by_position_where_types_agree() {
        let m = matching(
            "(module (func i32.const 1 drop) (func (param i32)) (func (result i32) i32.const 1))",
            "(module (func i32.const 2 drop) (func (param i32) local.get 0 drop) (func (param i64) local.get 0 drop))",
        );
        assert_eq!(
            pairs(&m),
            [(0, 0, MatchedBy::Position), (1, 1, MatchedBy::Position)]
        );
    }

    #[test]
    fn named_functions_that_match_nothing_are_not_paired_by_position() {
        let m = matching(
            "(module (func $a i32.const 1 drop))",
            "(module (func $b i32.const 2 drop))",
        );
        assert!(m.pairs.is_empty());
    }

    #[test]
    fn an_added_function_is_left_unpaired() {
        let m = matching(
            "(module (func $a i32.const 1 drop))",
            "(module (func $b i32.const 9 drop) (func $a i32.const 1 drop))",
        );
        assert_eq!(pairs(&m), [(0, 1, MatchedBy::Name)]);
        assert!(!m.back.contains_key(&0));
    }

    #[test]
    fn a_removed_function_is_left_unpaired() {
        let m = matching(
            "(module (func $b i32.const 9 drop) (func $a i32.const 1 drop))",
            "(module (func $a i32.const 1 drop))",
        );
        assert_eq!(pairs(&m), [(1, 0, MatchedBy::Name)]);
    }

    #[test]
    fn imported_functions_pair_by_module_and_name() {
        let m = matching(
            r#"(module (import "env" "f" (func)) (import "env" "g" (func)))"#,
            r#"(module (import "env" "g" (func)) (import "env" "f" (func)))"#,
        );
        assert_eq!(
            pairs(&m),
            [(0, 1, MatchedBy::Import), (1, 0, MatchedBy::Import)]
        );
    }

    #[test]
    fn types_pair_by_text_with_the_first_old_type() {
        let m = matching(
            "(module (type (func)) (type (func (param i32))) (type (func)))",
            "(module (type (func (param i32))) (type (func (param i64))) (type (func)))",
        );
        let mut back: Vec<(u32, u32)> = m.types_back.iter().map(|(&a, &b)| (a, b)).collect();
        back.sort();
        assert_eq!(back, [(0, 1), (2, 0)]);
    }

    #[test]
    fn globals_pair_by_export_name_then_in_order() {
        let m = matching(
            r#"(module
                 (global $x (export "x") i32 (i32.const 0))
                 (global i32 (i32.const 1)))"#,
            r#"(module
                 (global i32 (i32.const 5))
                 (global $y (export "x") i32 (i32.const 0)))"#,
        );
        let globals: Vec<(u32, u32)> = m.globals.iter().map(|(&a, &b)| (a, b)).collect();
        assert_eq!(globals, [(0, 1), (1, 0)]);
        assert_eq!(m.globals_back.get(&1), Some(&0));
    }
}
