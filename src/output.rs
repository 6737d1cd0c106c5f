//! Writing results: to stdout, or to a file that appears whole or not at all.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::input::Source;

/// Output is written in blocks this large: printing a large module makes
/// hundreds of megabytes of text, and fewer, larger writes cost less.
pub const OUTPUT_BUFFER: usize = 1 << 18;

/// A size in a human unit: `512 B`, `98.3 KiB`, `6.1 MiB`.
pub fn human_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KIB {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else if b < KIB * KIB * KIB {
        format!("{:.1} MiB", b / KIB / KIB)
    } else {
        format!("{:.1} GiB", b / KIB / KIB / KIB)
    }
}

/// Writes raw bytes (a module, a section's data) to an output, with the
/// error type every writer here uses.
pub fn write_bytes(out: &mut dyn Write, bytes: &[u8]) -> Result<()> {
    out.write_all(bytes).map_err(|source| Error::Io {
        path: "<output>".into(),
        source,
    })
}

/// Writes a file atomically: the content goes to a temporary file in the same
/// directory, which replaces `path` only once `write` has succeeded. On any
/// failure nothing is left behind and an existing `path` is untouched.
///
/// On Linux the temporary file has no name while it is written (O_TMPFILE),
/// so a process killed part-way leaves nothing either: the kernel frees the
/// file. It is named in one step when `path` is new; an existing `path` is
/// replaced by linking the file under a temporary name and renaming that
/// over it, and only a kill between those two calls can leave the temporary
/// name behind (holding the whole new content). Elsewhere, or on a file
/// system without O_TMPFILE, a named temporary file is used, which a killed
/// process leaves behind.
///
/// A symbolic link is followed, so the file it points to is replaced and the
/// link stays. A path that is not a regular file (`/dev/null`, a named pipe,
/// a terminal) is written in place: renaming over it would replace the
/// device itself.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let io_err = |source: io::Error| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let target = follow_links(path);
    let existing = fs::metadata(&target).ok();
    if let Some(meta) = &existing
        && !meta.is_file()
    {
        if meta.is_dir() {
            return Err(io_err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            )));
        }
        let file = fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .map_err(io_err)?;
        let mut out = BufWriter::with_capacity(OUTPUT_BUFFER, file);
        write(&mut out)?;
        out.flush().map_err(io_err)?;
        return Ok(());
    }
    let path = target.as_path();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // A new file gets the usual permissions (the umask applies); a file
    // being replaced keeps its own mode.
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        existing
            .as_ref()
            .map_or(0o666, |m| m.permissions().mode() & 0o7777)
    };
    #[cfg(target_os = "linux")]
    if let Some(file) = unnamed::create(dir, mode) {
        if let Some(meta) = &existing {
            file.set_permissions(meta.permissions()).map_err(io_err)?;
        }
        let mut out = BufWriter::with_capacity(OUTPUT_BUFFER, file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| io_err(e.into_error()))?;
        return unnamed::link(&file, path, dir).map_err(io_err);
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".wasmscope-").suffix(".tmp");
    #[cfg(unix)]
    {
        // Temporary files are private by default.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(mode));
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

/// Files written without a name until they are whole.
#[cfg(target_os = "linux")]
mod unnamed {
    use std::fs::File;
    use std::io;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    use rustix::fs::{AtFlags, CWD, Mode, OFlags, linkat};
    use rustix::io::Errno;

    /// A new file in `dir` with no name, or `None` where the kernel or the
    /// file system cannot make one, or `/proc` is missing (naming the file
    /// goes through it).
    pub fn create(dir: &Path, mode: u32) -> Option<File> {
        if !Path::new("/proc/self/fd").is_dir() {
            return None;
        }
        let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(dir, flags, Mode::from_raw_mode(mode)).ok()?;
        Some(File::from(fd))
    }

    /// Names `file` `path`, replacing whatever has that name.
    pub fn link(file: &File, path: &Path, dir: &Path) -> io::Result<()> {
        let fd = format!("/proc/self/fd/{}", file.as_raw_fd());
        match linkat(CWD, fd.as_str(), CWD, path, AtFlags::SYMLINK_FOLLOW) {
            Err(Errno::EXIST) => {}
            other => return Ok(other?),
        }
        // A link cannot replace a file; a rename can, in one step.
        for attempt in 0..64u32 {
            let temp = dir.join(format!(".wasmscope-{}-{attempt}.tmp", std::process::id()));
            match linkat(CWD, fd.as_str(), CWD, &temp, AtFlags::SYMLINK_FOLLOW) {
                Ok(()) => {
                    return std::fs::rename(&temp, path).inspect_err(|_| {
                        let _ = std::fs::remove_file(&temp);
                    });
                }
                Err(Errno::EXIST) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "no free temporary name beside the output",
        ))
    }
}

/// Resolves symbolic links in the last component of `path`, so that the file
/// a link names is replaced instead of the link. A dangling link resolves to
/// the path it names.
fn follow_links(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    // A bounded number of hops: a link cycle must not hang.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => match fs::read_link(&current) {
                Ok(next) => {
                    current = match current.parent() {
                        Some(dir) if next.is_relative() => dir.join(next),
                        _ => next,
                    }
                }
                Err(_) => return current,
            },
            _ => return current,
        }
    }
    current
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
    matches!((real_path(a), real_path(b)), (Some(x), Some(y)) if x == y)
}

/// The absolute path of an existing file or directory with `.`, `..` and
/// links resolved, to tell whether two paths name the same file (`None` if
/// there is nothing there). WASI has no call that resolves a path, so there
/// the path is made absolute and its `.` and `..` are resolved by name;
/// links are not followed.
pub fn real_path(path: &Path) -> Option<PathBuf> {
    #[cfg(not(target_os = "wasi"))]
    {
        fs::canonicalize(path).ok()
    }
    #[cfg(target_os = "wasi")]
    {
        use std::path::Component;
        fs::metadata(path).ok()?;
        let mut real = PathBuf::new();
        for part in std::path::absolute(path).ok()?.components() {
            match part {
                Component::CurDir => {}
                Component::ParentDir => {
                    real.pop();
                }
                other => real.push(other),
            }
        }
        Some(real)
    }
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

    #[cfg(unix)]
    #[test]
    fn special_files_are_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        write_atomic(null, |w| {
            w.write_all(b"discarded").map_err(|e| Error::Io {
                path: null.to_path_buf(),
                source: e,
            })
        })
        .expect("writes to /dev/null");
        let meta = fs::metadata(null).expect("still there");
        assert!(meta.file_type().is_char_device(), "/dev/null was replaced");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_modes_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real.wat");
        fs::write(&real, b"old").expect("seed file");
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).expect("chmod");
        let link = dir.path().join("link.wat");
        std::os::unix::fs::symlink("real.wat", &link).expect("symlink");
        write_atomic(&link, |w| {
            w.write_all(b"new").map_err(|e| Error::Io {
                path: link.clone(),
                source: e,
            })
        })
        .expect("writes through the link");
        assert!(
            fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).expect("target"), b"new");
        let mode = fs::metadata(&real).expect("target").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
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
