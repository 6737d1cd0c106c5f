//! Writing results: to stdout, or to a file that appears whole or not at all.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::input::Source;

/// Output is written in blocks this large: printing a large module makes
/// hundreds of megabytes of text, and fewer, larger writes cost less.
pub const OUTPUT_BUFFER: usize = 1 << 18;

/// Writes a file atomically: the content goes to a temporary file in the same
/// directory, which replaces `path` only once `write` has succeeded. On any
/// failure nothing is left behind and an existing `path` is untouched.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let io_err = |source: io::Error| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".wasmscope-").suffix(".tmp");
    #[cfg(unix)]
    {
        // Temporary files are private by default; the result should get the
        // usual permissions (the umask still applies).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let temp = builder.tempfile_in(dir).map_err(io_err)?;
    let mut out = BufWriter::with_capacity(OUTPUT_BUFFER, temp);
    write(&mut out)?;
    let temp = out.into_inner().map_err(|e| io_err(e.into_error()))?;
    // No fsync: the rename alone means a killed or failing run never leaves a
    // partial file, which is the promise; syncing a large text output to
    // disk would cost more than the printing itself.
    temp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(())
}

/// Refuses to write over the input: an output path naming the input file
/// would change it, which only an explicit in-place edit may do.
pub fn ensure_not_input(input: &Source, output: &Path) -> Result<()> {
    let Source::File(input) = input else {
        return Ok(());
    };
    if same_file(input, output) {
        return Err(Error::Other(format!(
            "{}: refusing to overwrite the input file; write elsewhere with -o",
            output.display()
        )));
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| -> Option<PathBuf> { fs::canonicalize(p).ok() };
    matches!((canon(a), canon(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.wasm");
        fs::write(&path, b"old").expect("seed file");
        let result = write_atomic(&path, |w| {
            w.write_all(b"partial").map_err(|e| Error::Io {
                path: path.clone(),
                source: e,
            })?;
            Err(Error::Other("boom".into()))
        });
        assert!(result.is_err());
        assert_eq!(fs::read(&path).expect("still there"), b"old");
        let left: Vec<_> = fs::read_dir(dir.path()).expect("lists").collect();
        assert_eq!(left.len(), 1, "temporary file left behind");
    }

    #[test]
    fn refuses_to_overwrite_input() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("m.wasm");
        fs::write(&path, b"x").expect("seed file");
        let other = dir.path().join(".").join("m.wasm");
        assert!(ensure_not_input(&Source::File(path.clone()), &other).is_err());
        assert!(ensure_not_input(&Source::File(path), &dir.path().join("n.wasm")).is_ok());
    }
}
