//! The name section after gc: names of removed items go, the others follow
//! their items to their new indices.

use wasmparser::BinaryReader;

use super::renumber::Maps;

/// The name section renumbered: names of removed items go, the others follow
/// their items; subsections gc does not renumber are copied.
pub(super) fn renumbered(data: &[u8], maps: &Maps) -> Vec<u8> {
    let mut out = wasm_encoder::NameSection::new();
    let mut reader = BinaryReader::new(data, 0);
    let map_of = |id: u8| -> Option<&Vec<Option<u32>>> {
        match id {
            1..=3 | 12 => Some(&maps.func),
            5 => Some(&maps.table),
            7 => Some(&maps.global),
            8 => Some(&maps.elem),
            9 => Some(&maps.data),
            _ => None,
        }
    };
    while !reader.eof() {
        let Ok(id) = reader.read_u8() else { break };
        let Ok(len) = reader.read_var_u32() else {
            break;
        };
        let Ok(sub) = reader.read_bytes(len as usize) else {
            break;
        };
        let Some(map) = map_of(id) else {
            out.raw(id, sub);
            continue;
        };
        let inner = BinaryReader::new(sub, 0);
        let mut encoded = Vec::new();
        if matches!(id, 2 | 3 | 12) {
            let mut names = wasm_encoder::IndirectNameMap::new();
            if let Ok(list) = wasmparser::IndirectNameMap::new(inner) {
                for naming in list.into_iter().flatten() {
                    if let Some(Some(new)) = map.get(naming.index as usize) {
                        let mut inner = wasm_encoder::NameMap::new();
                        for n in naming.names.flatten() {
                            inner.append(n.index, n.name);
                        }
                        names.append(*new, &inner);
                    }
                }
            }
            wasm_encoder::Encode::encode(&names, &mut encoded);
        } else {
            let mut names = wasm_encoder::NameMap::new();
            if let Ok(list) = wasmparser::NameMap::new(inner) {
                for naming in list.into_iter().flatten() {
                    if let Some(Some(new)) = map.get(naming.index as usize) {
                        names.append(*new, naming.name);
                    }
                }
            }
            wasm_encoder::Encode::encode(&names, &mut encoded);
        }
        out.raw(id, &encoded);
    }
    out.as_custom().data.into_owned()
}
