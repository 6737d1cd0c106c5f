//! The browser's WIT view model: a component's world from its WIT, each
//! function placed in the nested core module behind it (from the
//! component's wiring) with what it reaches or is reached from, and each
//! import's capability (from the audit).

use wasmscope_tui as tui;

use crate::caps::Caps;
use crate::index::{ItemKind, ModuleIndex};
use crate::wiring::{CoreFunc, Wiring};
use crate::wit::{FunctionReport, TypeReport, WitReport};

/// The WIT view of a component.
pub(super) fn model(
    report: &WitReport,
    wiring: &Wiring,
    caps: &Caps,
    index: &ModuleIndex,
    labels: &[String],
) -> tui::Wit {
    let cx = Places { index, labels };
    let items = report
        .imports
        .iter()
        .map(|i| (i, false))
        .chain(report.exports.iter().map(|e| (e, true)))
        .filter(|(item, _)| item.kind != "type")
        .map(|(item, export)| {
            let interface = (item.kind == "interface").then_some(item.name.as_str());
            let functions = report
                .functions_of(&item.name, export)
                .into_iter()
                .map(|f| {
                    if export {
                        exported(f, interface, wiring, &cx)
                    } else {
                        imported(f, interface, wiring, caps, &cx)
                    }
                })
                .collect();
            let types = item
                .interface
                .as_ref()
                .or_else(|| report.interfaces.iter().find(|i| i.name == item.name))
                .map(|i| i.types.iter().map(wit_type).collect())
                .unwrap_or_default();
            tui::WitItem {
                name: item.name.clone(),
                export,
                functions,
                types,
            }
        })
        .collect();
    tui::Wit {
        world: report
            .world
            .clone()
            .unwrap_or_else(|| format!("(none: a WIT package, {})", report.package)),
        items,
    }
}

/// Names nested modules and finds an import's position in one.
struct Places<'a> {
    index: &'a ModuleIndex,
    labels: &'a [String],
}

impl Places<'_> {
    fn place(&self, at: CoreFunc, lowered: bool) -> tui::WitPlace {
        let import = lowered
            .then(|| {
                self.index.nested.get(at.module).and_then(|m| {
                    m.imports
                        .iter()
                        .position(|i| i.kind == ItemKind::Func && i.index == at.func)
                })
            })
            .flatten();
        tui::WitPlace {
            module: at.module,
            label: self
                .labels
                .get(at.module)
                .cloned()
                .unwrap_or_else(|| format!("module {}", at.module)),
            function: at.func,
            import,
        }
    }
}

fn imported(
    f: &FunctionReport,
    interface: Option<&str>,
    wiring: &Wiring,
    caps: &Caps,
    cx: &Places,
) -> tui::WitFunction {
    let module = interface.unwrap_or_default();
    let capability = caps
        .capabilities
        .iter()
        .find(|c| {
            c.imports
                .iter()
                .any(|i| i.component && !i.possible && i.module == module && i.name == f.abi_name)
        })
        .filter(|c| c.capability() != crate::caps::Capability::Neutral)
        .map(|c| c.name.to_string());
    let places = wiring
        .import(interface, &f.abi_name)
        .and_then(|p| wiring.imports.get(p))
        .map(|i| {
            i.lowered_into
                .iter()
                .map(|&at| cx.place(at, true))
                .collect()
        })
        .unwrap_or_default();
    tui::WitFunction {
        name: f.qualified_name(),
        signature: f.signature.clone(),
        capability,
        places,
        reach: wiring.reached_by(interface, &f.abi_name),
    }
}

fn exported(
    f: &FunctionReport,
    interface: Option<&str>,
    wiring: &Wiring,
    cx: &Places,
) -> tui::WitFunction {
    let export = wiring
        .exports
        .iter()
        .find(|e| e.interface.as_deref() == interface && e.name == f.abi_name);
    let places = export
        .and_then(|e| e.lifted_from)
        .map(|at| vec![cx.place(at, false)])
        .unwrap_or_default();
    let reach = export
        .map(|e| {
            e.reaches
                .iter()
                .filter_map(|&p| wiring.imports.get(p))
                .map(|i| match &i.interface {
                    Some(interface) => format!("{interface}#{}", i.name),
                    None => i.name.clone(),
                })
                .chain(e.reaches_interfaces.iter().map(|i| format!("{i}#*")))
                .collect()
        })
        .unwrap_or_default();
    tui::WitFunction {
        name: f.qualified_name(),
        signature: f.signature.clone(),
        capability: None,
        places,
        reach,
    }
}

fn wit_type(t: &TypeReport) -> tui::WitType {
    let text = match (&t.target, &t.from) {
        (_, Some(from)) => format!("use {from}"),
        (Some(target), None) => target.clone(),
        (None, None) => t
            .members
            .iter()
            .map(|m| match &m.ty {
                Some(ty) => format!("{}: {ty}", m.name),
                None => m.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", "),
    };
    tui::WitType {
        name: t.name.clone(),
        kind: t.kind.to_string(),
        text,
    }
}
