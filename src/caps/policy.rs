//! Policy: which capabilities a CI job accepts, and the lists of
//! capability names (`fs-read,net`) it is written in.

use super::audit::{CapabilityUse, Caps};
use super::vocabulary::{ALL, Capability};

/// Which capabilities a CI job accepts.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Refused capabilities.
    pub deny: Vec<Capability>,
    /// If set, everything not listed (and not neutral) is refused.
    pub allow: Option<Vec<Capability>>,
    /// Count linked-but-unreachable imports too.
    pub strict: bool,
}

impl Policy {
    /// The capabilities of `caps` this policy refuses.
    pub fn violations<'a>(&self, caps: &'a Caps) -> Vec<&'a CapabilityUse> {
        caps.needed(self.strict)
            .filter(|c| {
                self.deny.contains(&c.capability())
                    || self
                        .allow
                        .as_ref()
                        .is_some_and(|allowed| !allowed.contains(&c.capability()))
            })
            .collect()
    }
}

/// Parses `fs-read,net-tcp` (also accepting `fs` for every file capability
/// and `net` for every network one).
pub fn parse_list(list: &str) -> Result<Vec<Capability>, String> {
    use Capability::*;
    let mut out = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match item {
            "fs" => out.extend([FsWrite, FsRead, FsList, FsMeta, FsPreopens]),
            "net" => out.extend([
                NetInbound,
                NetOutbound,
                NetTcp,
                NetUdp,
                Dns,
                HttpOut,
                HttpIn,
            ]),
            "js" => out.extend([JsEval, JsHost]),
            name => out.push(Capability::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = ALL.iter().map(|c| c.name()).collect();
                format!(
                    "unknown capability `{name}`; known: fs, net, js, {}",
                    names.join(", ")
                )
            })?),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_expand_and_unknown_names_fail() {
        assert_eq!(parse_list("fs-read,net").map(|l| l.len()), Ok(8));
        assert_eq!(
            parse_list(" js , exit,"),
            Ok(vec![
                Capability::JsEval,
                Capability::JsHost,
                Capability::Exit
            ])
        );
        assert!(parse_list("files").is_err());
    }
}
