//! Files of the library that only its owner may read, and small files written without ever
//! following a symbolic link.
//!
//! On Unix the library folder is created `0700` and the database `0600` whatever the umask
//! (SQLite gives its `-wal` and `-shm` files the database's mode). `audit.head` and
//! `dangan.lock.owner` are written to a fresh temporary file (`create_new`: never an existing
//! file or link) and renamed over the old one, and a symbolic link in their place is refused:
//! a link planted in a shared folder cannot make Dangan overwrite or reveal another file.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::model::error::{Error, Result};

/// Makes `dir` (already created) readable by its owner only.
pub fn make_private_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::io(format!("cannot make {} private to its owner", dir.display()), e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Creates `path` as an empty file readable by its owner only, if it does not exist (so that
/// SQLite opens a file with that mode rather than creating one with the umask's).
pub fn create_private_file(path: &Path) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => restrict_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(format!("cannot create {}", path.display()), e)),
    }
}

/// Makes an existing file readable by its owner only (the umask may have taken bits away at
/// creation; this sets exactly `0600`).
pub fn restrict_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(format!("cannot make {} private to its owner", path.display()), e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn refuse_link(path: &Path) -> std::io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(std::io::Error::other(format!(
            "{} is a symbolic link; Dangan never writes through one. Delete the link (it is not \
             part of a library) and try again",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// Replaces `path` with `bytes`, atomically and never through a symbolic link: a new
/// owner-only temporary file beside it (one per process), synced, then renamed over it.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    refuse_link(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    // A stale temporary file of a killed process with the same id: remove it (not through a
    // link: remove_file deletes the link itself).
    let _ = fs::remove_file(&tmp);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    };
    write().inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Reads a small file, refusing a symbolic link in its place; `None` if absent or unreadable.
pub fn read_no_follow(path: &Path) -> Option<String> {
    refuse_link(path).ok()?;
    fs::read_to_string(path).ok()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_planted_symlink_is_neither_followed_nor_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let head = dir.path().join("audit.head");
        std::os::unix::fs::symlink(&victim, &head).unwrap();
        assert!(write_private(&head, b"1 abc\n").is_err());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(read_no_follow(&head).is_none());
        fs::remove_file(&head).unwrap();
        write_private(&head, b"1 abc\n").unwrap();
        assert_eq!(read_no_follow(&head).unwrap(), "1 abc\n");
        assert_eq!(fs::metadata(&head).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
