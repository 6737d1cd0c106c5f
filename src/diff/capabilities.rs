//! The capabilities each side's reachable code needs, from the capability
//! audit, and those that only one side needs.

use crate::caps;
use crate::error::DecodeError;
use crate::index::ModuleIndex;

use super::Side;
use super::report::{CapabilityChange, Change, Pair};

/// The capabilities each side's reachable code needs, and the changes.
pub(super) type CapabilityReport = (Pair<Vec<&'static str>>, Vec<CapabilityChange>);

/// A capability with the reachable imports that need it.
type Need = (caps::Capability, Vec<String>);

/// Audits both sides: what each needs, then what the new side needs that the
/// old did not (added) and the reverse (removed).
pub(super) fn capability_changes(
    old: &Side,
    new: &Side,
    o: &ModuleIndex,
    n: &ModuleIndex,
) -> Result<CapabilityReport, DecodeError> {
    let x = needed(&caps::audit(old.name, old.bytes, o)?);
    let y = needed(&caps::audit(new.name, new.bytes, n)?);
    let mut out = only_in(Change::Added, &y, &x);
    out.extend(only_in(Change::Removed, &x, &y));
    let names = |list: &[Need]| list.iter().map(|(c, _)| c.name()).collect();
    Ok((
        Pair {
            old: names(&x),
            new: names(&y),
        },
        out,
    ))
}

fn needed(c: &caps::Caps) -> Vec<Need> {
    c.needed(false)
        .map(|u| {
            let imports = u
                .imports
                .iter()
                .filter(|i| i.reachable)
                .map(|i| format!("{}::{}", i.module, i.name))
                .collect();
            (u.capability(), imports)
        })
        .collect()
}

/// The needs of `side` that `other` lacks, reported as `change`.
fn only_in(change: Change, side: &[Need], other: &[Need]) -> Vec<CapabilityChange> {
    side.iter()
        .filter(|(cap, _)| !other.iter().any(|(c, _)| c == cap))
        .map(|(cap, imports)| CapabilityChange {
            change,
            name: cap.name(),
            meaning: cap.meaning(),
            imports: imports.clone(),
        })
        .collect()
}
