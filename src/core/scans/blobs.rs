//! The content-addressed store under `files/`: a file's bytes at `files/ab/cd/<sha256>`,
//! stored once, never changed.
//!
//! Writing is in two steps round the database transaction that records the file:
//! [`Blobs::stage`] writes the bytes to `files/.incoming/<sha256>` (a temporary name first,
//! synced, renamed), the transaction commits, then [`Blobs::publish`] renames it into place
//! and syncs the folder. A crash before the commit leaves a staged blob no row names: removed.
//! A crash after it leaves a staged blob a row names: moved into place. [`Blobs::recover`]
//! does both, and runs before each import and each `verify`, so a row never names a
//! half-written file and nothing is left behind.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::error::{Error, Result};

/// The staging folder's name inside `files/`.
const INCOMING: &str = ".incoming";

pub struct Blobs {
    root: PathBuf,
}

/// The SHA-256 of some bytes, lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn io(context: &str, path: &Path, e: std::io::Error) -> Error {
    Error::io(format!("{context} {}", path.display()), e)
}

/// A full disk says so in words the clerk can act on.
fn write_error(path: &Path, e: std::io::Error) -> Error {
    if e.raw_os_error() == Some(28) || e.kind() == std::io::ErrorKind::StorageFull {
        Error::failed("scan-disk-full").arg("path", path.display())
    } else {
        io("cannot write", path, e)
    }
}

impl Blobs {
    pub fn new(files_dir: &Path) -> Blobs {
        Blobs { root: files_dir.to_path_buf() }
    }

    /// Where the file with this hash lives.
    pub fn path(&self, sha: &str) -> PathBuf {
        let (a, b) = (sha.get(0..2).unwrap_or("00"), sha.get(2..4).unwrap_or("00"));
        self.root.join(a).join(b).join(sha)
    }

    fn incoming(&self) -> PathBuf {
        self.root.join(INCOMING)
    }

    /// A staged file carries the process's id: another process's recovery leaves it alone
    /// while that process lives (it is between its commit and its publish).
    fn staged(&self, sha: &str) -> PathBuf {
        self.incoming().join(format!("{sha}.{}", std::process::id()))
    }

    /// Whether the file is in place.
    pub fn exists(&self, sha: &str) -> bool {
        self.path(sha).is_file()
    }

    /// Writes `bytes` (whose hash is `sha`) to the staging folder, synced. Nothing to do when
    /// the file is already in place.
    pub fn stage(&self, sha: &str, bytes: &[u8]) -> Result<()> {
        if self.exists(sha) {
            return Ok(());
        }
        let dir = self.incoming();
        fs::create_dir_all(&dir).map_err(|e| write_error(&dir, e))?;
        let tmp = dir.join(format!("{sha}.{}.tmp", std::process::id()));
        let result = (|| {
            let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&tmp)?;
            f.write_all(bytes)?;
            crate::core::index::fault("scan-blob-half-written");
            // A test's stand-in for a disk that fills up half-way through a file.
            if std::env::var("DANGAN_FAULT").is_ok_and(|v| v == "scan-disk-full") {
                return Err(std::io::Error::from_raw_os_error(28));
            }
            f.sync_all()?;
            crate::core::index::fault("scan-blob-staged");
            fs::rename(&tmp, self.staged(sha))?;
            sync_dir(&dir)
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&tmp);
            return Err(write_error(&tmp, e));
        }
        Ok(())
    }

    /// Moves a staged file into place (after the transaction naming it committed).
    pub fn publish(&self, sha: &str) -> Result<()> {
        let staged = self.staged(sha);
        if !staged.exists() {
            return Ok(());
        }
        let target = self.path(sha);
        let parent = target.parent().map(Path::to_path_buf).unwrap_or_else(|| self.root.clone());
        fs::create_dir_all(&parent).map_err(|e| write_error(&parent, e))?;
        fs::rename(&staged, &target).map_err(|e| io("cannot move into place", &target, e))?;
        sync_dir(&parent).map_err(|e| io("cannot sync", &parent, e))?;
        Ok(())
    }

    /// A staged copy of `sha` by any process (`<sha>.<pid>`, not a half-written `.tmp`): the
    /// bytes of a file whose transaction committed a moment ago and that is not yet in place.
    pub fn staged_any(&self, sha: &str) -> Option<PathBuf> {
        let entries = fs::read_dir(self.incoming()).ok()?;
        entries.flatten().map(|e| e.path()).find(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let mut parts = name.split('.');
            parts.next() == Some(sha)
                && parts.next().is_some_and(|pid| pid.parse::<u32>().is_ok())
                && parts.next().is_none()
        })
    }

    /// Drops a staged file whose transaction failed.
    pub fn discard(&self, sha: &str) {
        let _ = fs::remove_file(self.staged(sha));
    }

    /// Finishes or removes what a crash left in the staging folder: `recorded(sha)` says
    /// whether a row names the hash. Returns (moved into place, removed).
    pub fn recover(&self, mut recorded: impl FnMut(&str) -> Result<bool>) -> Result<(usize, usize)> {
        let dir = self.incoming();
        let Ok(entries) = fs::read_dir(&dir) else { return Ok((0, 0)) };
        let (mut moved, mut removed) = (0, 0);
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            // `<sha>.<pid>` staged, `<sha>.<pid>.tmp` half-written; only a dead process's
            // (or, should ids be reused, one more than a day old) is finished or removed.
            let mut parts = name.split('.');
            let (Some(sha), Some(pid)) = (parts.next(), parts.next().and_then(|p| p.parse::<u32>().ok()))
            else {
                continue;
            };
            let tmp = parts.next() == Some("tmp");
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 86_400);
            if !(stale || (pid != std::process::id() && !process_alive(pid))) {
                continue;
            }
            if tmp || sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                let _ = fs::remove_file(&path);
                removed += 1;
                continue;
            }
            let name = sha.to_string();
            if recorded(&name)? {
                // Check the bytes before they go in place: a staged file was synced whole, but
                // a disk that lied is caught here rather than by the next verify.
                if hash_file(&path).ok().as_deref() == Some(name.as_str()) {
                    let target = self.path(&name);
                    if let Some(parent) = target.parent() {
                        fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
                    }
                    fs::rename(&path, &target).map_err(|e| io("cannot move into place", &target, e))?;
                    moved += 1;
                } else {
                    let _ = fs::remove_file(&path);
                    removed += 1;
                }
            } else {
                let _ = fs::remove_file(&path);
                removed += 1;
            }
        }
        Ok((moved, removed))
    }

    pub fn read(&self, sha: &str) -> Result<Vec<u8>> {
        let path = self.path(sha);
        fs::read(&path).map_err(|e| io("cannot read", &path, e))
    }

    /// Every file in the store (hash, size), found by walking `files/` (not the staging
    /// folder).
    pub fn walk(&self) -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        let Ok(top) = fs::read_dir(&self.root) else { return out };
        for a in top.flatten().filter(|e| e.file_name() != INCOMING) {
            let Ok(mid) = fs::read_dir(a.path()) else { continue };
            for b in mid.flatten() {
                let Ok(files) = fs::read_dir(b.path()) else { continue };
                for f in files.flatten() {
                    if f.path().is_file() {
                        out.push((f.file_name().to_string_lossy().into_owned(), f.path()));
                    }
                }
            }
        }
        out
    }
}

/// A regular file found under `files/` (the staging folder aside).
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    /// The hash its place names (`ab/cd/<sha256>`), or `None` for a file in no such place
    /// (put there by hand, or left by another program).
    pub sha256: Option<String>,
    pub size: u64,
}

impl Blobs {
    /// Every regular file under `files/` at any depth except the staging folder; symbolic
    /// links and other odd entries are listed too (never followed), as not in place.
    pub fn entries(&self) -> Vec<Entry> {
        let mut out = Vec::new();
        let mut stack = vec![(self.root.clone(), 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            let Ok(rd) = fs::read_dir(&dir) else { continue };
            for e in rd.flatten() {
                let path = e.path();
                let Ok(ft) = e.file_type() else { continue };
                if ft.is_dir() {
                    if !(depth == 0 && e.file_name() == INCOMING) {
                        stack.push((path, depth + 1));
                    }
                    continue;
                }
                let name = e.file_name().to_string_lossy().into_owned();
                let placed = ft.is_file()
                    && depth == 2
                    && name.len() == 64
                    && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
                    && self.path(&name) == path;
                let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                out.push(Entry { path, sha256: placed.then_some(name), size });
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }
}

/// The SHA-256 of a file, read in blocks.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

fn process_alive(pid: u32) -> bool {
    #[cfg(target_os = "linux")]
    {
        Path::new(&format!("/proc/{pid}")).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        true
    }
}
