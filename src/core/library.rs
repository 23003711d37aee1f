//! The library folder: `dangan.sqlite3` (the one source of truth), `files/` (attachments),
//! `index/` (derived search index), `logs/`, the lock files and the audit head file.
//!
//! Several processes may have one library open and write at once (the app, scripts, the
//! scanner's watcher): each write action is one short `BEGIN IMMEDIATE` transaction, and
//! SQLite's own locking admits one at a time. The lock files are only taken for a moment:
//! `dangan.lock` while creating a library or migrating its schema, `index.lock` while one
//! process applies changes to (or rebuilds) the search index, `audit.head.lock` while one
//! process moves the `audit.head` file. SQLite's locking is not safe on network filesystems,
//! so a library on one is refused ([`network_filesystem`]).

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::model::audit::Head;
use crate::model::error::{Error, Message, Result};
use crate::store::{self, Db, migrate};

/// The newest database schema this program knows.
pub fn schema_version() -> i64 {
    migrate::latest()
}

/// File and folder names inside a library.
#[derive(Debug, Clone)]
pub struct Paths {
    pub root: PathBuf,
    pub db: PathBuf,
    pub files: PathBuf,
    pub index: PathBuf,
    pub logs: PathBuf,
    pub lock: PathBuf,
    pub lock_owner: PathBuf,
    pub index_lock: PathBuf,
    pub audit_head: PathBuf,
    pub audit_head_lock: PathBuf,
}

impl Paths {
    pub fn new(root: &Path) -> Paths {
        Paths {
            root: root.to_path_buf(),
            db: root.join("dangan.sqlite3"),
            files: root.join("files"),
            index: root.join("index"),
            logs: root.join("logs"),
            lock: root.join("dangan.lock"),
            lock_owner: root.join("dangan.lock.owner"),
            index_lock: root.join("index.lock"),
            audit_head: root.join("audit.head"),
            audit_head_lock: root.join("audit.head.lock"),
        }
    }
}

/// How a process uses the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads and writes. Takes no lock for the library's lifetime: each write action is one
    /// short transaction, and other processes write between them.
    Write,
    /// Reads, plus the audit rows reads produce (logins, confidential views); every other
    /// change is refused.
    Read,
}

/// An open library.
pub struct Library {
    paths: Paths,
    pub(crate) db: Db,
    access: Access,
    /// `dangan.lock`, held by `create` until the library is initialised.
    pub(crate) init_lock: Option<File>,
    /// The search index, opened at first use (see `core::index`).
    pub(crate) search: Option<crate::search::SearchIndex>,
    /// The index bookmark this process's reader was last reloaded at (see `core::index`).
    pub(crate) reader_txn: Option<i64>,
    /// Every audit head as found when the library was opened, before this process wrote
    /// anything (its login included): what `verify` checks.
    pub(crate) opened_heads: Option<OpenedHeads>,
    /// Set by a bulk job for its duration: writes leave the search index to its end.
    pub(crate) defer_index: bool,
}

/// The audit heads as found at open: the `audit.head` file's text (read first: it only moves
/// after a commit, so it can never be ahead of the database read after it), then the last row,
/// the writer head and `meta`'s head in one snapshot.
#[derive(Debug, Clone)]
pub struct OpenedHeads {
    pub file_raw: Option<String>,
    pub db: store::audit::Heads,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library").field("root", &self.paths.root).field("access", &self.access).finish()
    }
}

fn create_dir(path: &Path) -> Result<()> {
    fs::create_dir_all(path)
        .map_err(|e| read_only_or_io(path, e, Message::new("io-create-folder").arg("path", path.display())))
}

fn read_only_or_io(path: &Path, e: std::io::Error, what: Message) -> Error {
    if e.kind() == std::io::ErrorKind::PermissionDenied || e.raw_os_error() == Some(30) {
        Error::ReadOnly { path: path.to_path_buf(), detail: e.to_string() }
    } else {
        Error::io(what, e)
    }
}

impl Library {
    /// Creates the folder layout (if missing) and opens the library for writing. Used by
    /// `init` and `demo`; refuses a folder that already holds an initialised library, or one
    /// that holds other things (a library never spills into someone's documents).
    pub fn create(root: &Path) -> Result<Library> {
        if root.exists() && !root.is_dir() {
            return Err(Error::usage("library-is-file").arg("path", root.display()));
        }
        let paths = Paths::new(root);
        if root.is_dir() && !paths.db.exists() {
            let foreign = fs::read_dir(root)
                .map_err(|e| {
                    read_only_or_io(root, e, Message::new("io-read-folder").arg("path", root.display()))
                })?
                .filter_map(|e| e.ok())
                .any(|e| {
                    !matches!(
                        e.file_name().to_str(),
                        Some(
                            "files"
                                | "index"
                                | "logs"
                                | "dangan.lock"
                                | "dangan.lock.owner"
                                | "index.lock"
                                | "audit.head.lock"
                        )
                    )
                });
            if foreign {
                return Err(Error::conflict("library-folder-not-empty").arg("path", root.display()));
            }
        }
        for dir in [&paths.root, &paths.files, &paths.index, &paths.logs] {
            create_dir(dir)?;
        }
        refuse_network_share(root)?;
        crate::core::files::make_private_dir(&paths.root)?;
        // Two programs creating a library in one folder at once: the second waits, then finds
        // the first one's library and is refused below.
        let init_lock = open_lock_file(&paths.lock, &paths.root)?;
        lock_within(&paths, &init_lock, LOCK_PATIENCE)?;
        crate::core::files::create_private_file(&paths.db)?;
        let lib = Library::open_paths(paths, Access::Write, Some(init_lock))?;
        if lib.is_initialised()? {
            if store::get_meta(lib.db.conn(), store::DEMO_UNFINISHED)?.is_some() {
                return Err(Error::conflict("demo-unfinished").arg("path", root.display()));
            }
            return Err(Error::conflict("library-exists").arg("path", root.display()));
        }
        Ok(lib)
    }

    /// Whether `root` holds a finished library (one with users). A folder without a database,
    /// or whose `init` was interrupted, is not one; a damaged or too-new library is an error.
    pub fn is_library(root: &Path) -> Result<bool> {
        let paths = Paths::new(root);
        if !paths.db.exists() || migrate::probe(&paths.db)? == migrate::Probe::Empty {
            return Ok(false);
        }
        Library::open_paths(paths, Access::Read, None)?.is_initialised()
    }

    /// Opens an existing library.
    pub fn open(root: &Path, access: Access) -> Result<Library> {
        let paths = Paths::new(root);
        if !paths.db.exists() {
            return Err(Error::NoLibrary(root.to_path_buf()));
        }
        let mut lib = Library::open_paths(paths, access, None)?;
        if !lib.is_initialised()? {
            return Err(Error::conflict("library-unfinished").arg("path", root.display()));
        }
        if store::get_meta(lib.db.conn(), store::DEMO_UNFINISHED)?.is_some() {
            return Err(Error::conflict("demo-unfinished").arg("path", root.display()));
        }
        let mut file_raw = crate::core::files::read_no_follow(&lib.paths.audit_head);
        let db = lib.db.read(|tx| store::audit::heads(tx))?;
        // A process that committed between the two reads moves the file a moment later: wait
        // for it a little, so that a file still behind the database's heads means something.
        for _ in 0..HEAD_FILE_PATIENCE_STEPS {
            let behind = file_raw
                .as_deref()
                .and_then(|s| Head::decode(s.trim()))
                .is_some_and(|f| f.seq < db.writer.seq);
            if !behind {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
            file_raw = crate::core::files::read_no_follow(&lib.paths.audit_head);
        }
        lib.opened_heads = Some(OpenedHeads { file_raw, db });
        Ok(lib)
    }

    /// Opens a library that a demo left unfinished, for `demo::finish` only ([`Library::open`]
    /// refuses it).
    pub(crate) fn open_unfinished_demo(root: &Path) -> Result<Library> {
        Library::open_paths(Paths::new(root), Access::Write, None)
    }

    /// Opens the database and migrates it. `init_lock`: `dangan.lock`, already held by
    /// `create` (and kept until the library is initialised).
    fn open_paths(paths: Paths, access: Access, init_lock: Option<File>) -> Result<Library> {
        refuse_network_share(&paths.root)?;
        // Opening the lock file for writing is also the check that the folder is writable.
        let (lock_file, held) = match init_lock {
            Some(f) => (f, true),
            None => (open_lock_file(&paths.lock, &paths.root)?, false),
        };
        // Read-only first: a file we were pointed at is written only once it is known to be a
        // library (or one this process is creating).
        if !held && paths.db.exists() {
            match migrate::probe(&paths.db)? {
                migrate::Probe::Foreign => {
                    return Err(Error::conflict("library-foreign").arg("path", paths.db.display()));
                }
                migrate::Probe::Empty => {
                    return Err(Error::conflict("library-unfinished").arg("path", paths.root.display()));
                }
                migrate::Probe::Library(_) => {}
            }
        }
        let mut db = Db::open(&paths.db)?;
        if migrate::pending(db.conn(), &paths.db)? {
            // Migrating is the one moment that needs the library to itself; another process
            // migrating at the same time finishes first, and `apply` then finds nothing to do.
            if !held {
                lock_within(&paths, &lock_file, LOCK_PATIENCE)?;
            }
            store::migrate::apply(db.conn_mut(), &paths.db)?;
        }
        // Released here unless `create` holds it until the library is initialised.
        let init_lock = held.then_some(lock_file);
        Ok(Library {
            paths,
            db,
            access,
            init_lock,
            search: None,
            reader_txn: None,
            opened_heads: None,
            defer_index: false,
        })
    }

    /// Takes `file`'s lock without waiting; [`Error::Locked`] naming the holder if it is taken.
    pub(crate) fn take_lock(paths: &Paths, file: &File) -> Result<()> {
        match file.try_lock() {
            Ok(()) => {
                let owner = format!(
                    "pid {} ({}) since {}",
                    std::process::id(),
                    std::env::args().next().unwrap_or_else(|| "dangan".into()),
                    crate::core::now()
                );
                // Best effort: the owner note only improves the message a second process shows.
                let _ = crate::core::files::write_private(&paths.lock_owner, owner.as_bytes());
                Ok(())
            }
            Err(fs::TryLockError::WouldBlock) => {
                let holder = crate::core::files::read_no_follow(&paths.lock_owner)
                    .unwrap_or_else(|| "unknown process".into());
                Err(Error::Locked { path: paths.root.clone(), holder: holder.trim().to_string() })
            }
            Err(fs::TryLockError::Error(e)) => Err(Error::io("io-lock", e)),
        }
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    pub fn root(&self) -> &Path {
        &self.paths.root
    }

    pub fn access(&self) -> Access {
        self.access
    }

    pub fn is_initialised(&self) -> Result<bool> {
        Ok(store::users::count(self.db.conn())? > 0)
    }

    /// Runs one write transaction (SQLite admits one at a time across processes; see
    /// [`Db::write`]), then records the audit chain head outside the table and brings the
    /// search index up to date. The transaction has committed by then: failing to write the
    /// head file or the index is logged, not reported as a failure of the action.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        // The chain head this transaction continues from: the file is only moved on from it.
        let (out, chained_from) = self.db.write(|tx| {
            let w = store::writer_head(store::Tx::new(tx))?;
            Ok((f(tx)?, Head { seq: w.audit_seq, hash: w.audit_hash }))
        })?;
        // Only the process creating the library writes the first head file; after that a
        // missing or unreadable one is evidence until an admin re-anchors it (`anchor_head`).
        let create = self.init_lock.is_some();
        if let Err(e) = self.sync_head_file(create, &chained_from) {
            tracing::warn!(error = %e, "could not update audit.head; `dangan verify` will check the chain");
        }
        // Logins and views change no customer: nothing to index. A bulk job (an import) indexes
        // once at its end instead (the change log keeps every change meanwhile).
        if !self.defer_index && self.db.last_write().is_some_and(|(_, changed)| changed) {
            self.sync_index();
        }
        Ok(out)
    }

    /// Writes the current chain head to `audit.head` (atomically: temp file + rename).
    ///
    /// The file only ever moves forward along the chain: if the row it names is no longer in
    /// the log as it was (rows cut off, the log rewritten), it is left alone as evidence for
    /// `verify`, and a warning is logged. A missing or unreadable file is only written when
    /// `create` is set (the library is being created): with rows in the log, recreating it
    /// would erase the evidence of rows cut off with it (an admin re-anchors it instead).
    ///
    /// Nor does the file jump over rows no Dangan process vouches for: it is moved only by the
    /// process whose transaction continued from the row the file names (`chained_from`, the
    /// writer head its transaction read). Rows someone appended while moving the database's
    /// heads too leave the file behind, for `verify` to report. Several processes committing
    /// at once still move it: the one that continued from the file's row moves it to the
    /// newest head, under the lock.
    pub(crate) fn sync_head_file(&self, create: bool, chained_from: &Head) -> Result<()> {
        // Several processes commit and then move the file: one at a time, each reading the
        // database's head afresh under the lock, so a slower process never moves it back.
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.paths.audit_head_lock)
            .map_err(|e| Error::io("io-audit-head-lock", e))?;
        lock.lock().map_err(|e| Error::io("io-audit-head-lock", e))?;
        let Some(head) =
            store::get_meta(self.db.conn(), store::audit::HEAD_KEY)?.and_then(|s| Head::decode(&s))
        else {
            return Ok(());
        };
        if let Some(file) = self.read_head_file() {
            if file.seq >= head.seq {
                return Ok(());
            }
            if file != *chained_from {
                tracing::debug!(
                    file_seq = file.seq,
                    from = chained_from.seq,
                    "audit.head left to the writer that continued from it"
                );
                return Ok(());
            }
            if store::audit::hash_at(self.db.conn(), file.seq)?.as_deref() != Some(file.hash.as_str()) {
                tracing::warn!(
                    file_seq = file.seq,
                    "the audit log no longer holds the row audit.head names; run `dangan verify`"
                );
                return Ok(());
            }
        } else if !create {
            tracing::warn!(
                "audit.head is missing or unreadable; `dangan verify` reports it until an admin re-anchors it"
            );
            return Ok(());
        }
        // One temporary file per process (readers write heads too), never through a link.
        crate::core::files::write_private(&self.paths.audit_head, format!("{}\n", head.encode()).as_bytes())
            .map_err(|e| Error::io("io-audit-head", e))
        // `lock` is released here, after the rename.
    }

    /// Writes the database's current head to `audit.head` whatever the file said: only for an
    /// admin's audited re-anchoring (`Session::anchor_audit_head`).
    pub(crate) fn write_head_file(&self) -> Result<()> {
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.paths.audit_head_lock)
            .map_err(|e| Error::io("io-audit-head-lock", e))?;
        lock.lock().map_err(|e| Error::io("io-audit-head-lock", e))?;
        let head = store::audit::last_head(self.db.conn())?;
        crate::core::files::write_private(&self.paths.audit_head, format!("{}\n", head.encode()).as_bytes())
            .map_err(|e| Error::io("io-audit-head", e))
    }

    pub(crate) fn read_head_file(&self) -> Option<Head> {
        crate::core::files::read_no_follow(&self.paths.audit_head).and_then(|s| Head::decode(s.trim()))
    }
}

/// How many 20 ms steps opening waits for `audit.head` to catch up with a commit.
const HEAD_FILE_PATIENCE_STEPS: usize = 25;

/// How long opening waits for another process's migration (or library creation) to finish.
const LOCK_PATIENCE: Duration = Duration::from_secs(30);

fn open_lock_file(path: &Path, root: &Path) -> Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .read(true)
        .open(path)
        .map_err(|e| read_only_or_io(root, e, Message::new("io-lock-file")))
}

/// Takes `file`'s lock, waiting up to `patience` for its holder to let go.
pub(crate) fn lock_within(paths: &Paths, file: &File, patience: Duration) -> Result<()> {
    let start = Instant::now();
    loop {
        match Library::take_lock(paths, file) {
            Err(Error::Locked { .. }) if start.elapsed() < patience => {
                std::thread::sleep(Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

/// Filesystem types on which SQLite's locking (and its WAL's shared memory) cannot be trusted:
/// network and cluster filesystems, and FUSE mounts of remote storage.
const NETWORK_FILESYSTEMS: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb2",
    "smb3",
    "smbfs",
    "ncpfs",
    "9p",
    "afs",
    "coda",
    "ceph",
    "glusterfs",
    "lustre",
    "gfs2",
    "ocfs2",
    "davfs",
    "fuse.sshfs",
    "fuse.davfs2",
    "fuse.glusterfs",
    "fuse.cephfs",
    "fuse.rclone",
    "fuse.s3fs",
    "fuse.gcsfuse",
    "fuse.smbnetfs",
    "fuse.curlftpfs",
];

/// Octal escapes of `/proc/self/mountinfo` (`\040` is a space) decoded.
fn unescape_mount_path(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && (b'0'..=b'3').contains(&b[i + 1])
            && b[i + 2..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The network filesystem type `path` lies on according to `mountinfo` (the text of Linux's
/// `/proc/self/mountinfo`), or `None` for a local one. `path` should be absolute and
/// canonical; the mount whose mount point is the longest prefix of it decides.
pub fn network_filesystem(mountinfo: &str, path: &Path) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in mountinfo.lines() {
        // "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
        let Some((left, right)) = line.split_once(" - ") else { continue };
        let Some(mount_point) = left.split(' ').nth(4) else { continue };
        let Some(fstype) = right.split(' ').next() else { continue };
        let mount_point = PathBuf::from(unescape_mount_path(mount_point));
        if !path.starts_with(&mount_point) {
            continue;
        }
        let depth = mount_point.components().count();
        // Later lines mount over earlier ones at the same point.
        if best.as_ref().is_none_or(|(d, _)| depth >= *d) {
            best = Some((depth, fstype.to_string()));
        }
    }
    let fstype = best?.1;
    NETWORK_FILESYSTEMS.contains(&fstype.as_str()).then_some(fstype)
}

/// Refuses a library folder on a network filesystem, where SQLite's locking is not safe.
///
/// Linux reads the mount table; on Windows a UNC path (`\\server\share`) is refused. Other
/// cases need the operating system's own answer and are not checked yet: a mapped network
/// drive on Windows (`GetDriveTypeW` = `DRIVE_REMOTE`) and macOS (`statfs`'s `f_fstypename`:
/// `smbfs`, `nfs`, `afpfs`, `webdav`) both need a system call this crate (which forbids
/// `unsafe`) would get through a small safe wrapper crate.
fn refuse_network_share(root: &Path) -> Result<()> {
    let path = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let found = network_share_of(&path);
    match found {
        None => Ok(()),
        Some(kind) => {
            Err(Error::conflict("library-network-share").arg("path", root.display()).arg("kind", kind))
        }
    }
}

#[cfg(target_os = "linux")]
fn network_share_of(path: &Path) -> Option<String> {
    let mountinfo = fs::read_to_string("/proc/self/mountinfo").ok()?;
    network_filesystem(&mountinfo, path)
}

#[cfg(windows)]
fn network_share_of(path: &Path) -> Option<String> {
    use std::path::{Component, Prefix};
    match path.components().next() {
        Some(Component::Prefix(p)) if matches!(p.kind(), Prefix::UNC(..) | Prefix::VerbatimUNC(..)) => {
            Some("UNC share".to_string())
        }
        _ => None,
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
fn network_share_of(_path: &Path) -> Option<String> {
    None
}
