//! The library folder: `dangan.sqlite3` (the one source of truth), `files/` (attachments),
//! `index/` (derived search index), `logs/`, the writer lock and the audit head file.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::model::audit::Head;
use crate::model::error::{Error, Result};
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
    pub audit_head: PathBuf,
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
            audit_head: root.join("audit.head"),
        }
    }
}

/// How a process uses the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Holds the writer lock for as long as the library is open: one writer at a time.
    Write,
    /// No writer lock: reads, plus the audit rows reads produce (logins, confidential views),
    /// which SQLite serialises safely.
    Read,
}

/// An open library.
pub struct Library {
    paths: Paths,
    pub(crate) db: Db,
    access: Access,
    _lock: Option<File>,
    /// The search index, opened at first use (see `core::index`).
    pub(crate) search: Option<crate::search::SearchIndex>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library").field("root", &self.paths.root).field("access", &self.access).finish()
    }
}

fn create_dir(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(|e| read_only_or_io(path, e, "cannot create folder"))
}

fn read_only_or_io(path: &Path, e: std::io::Error, what: &str) -> Error {
    if e.kind() == std::io::ErrorKind::PermissionDenied || e.raw_os_error() == Some(30) {
        Error::ReadOnly { path: path.to_path_buf(), detail: e.to_string() }
    } else {
        Error::io(format!("{what} {}", path.display()), e)
    }
}

impl Library {
    /// Creates the folder layout (if missing) and opens the library for writing. Used by
    /// `init` and `demo`; refuses a folder that already holds an initialised library, or one
    /// that holds other things (a library never spills into someone's documents).
    pub fn create(root: &Path) -> Result<Library> {
        if root.exists() && !root.is_dir() {
            return Err(Error::invalid(format!(
                "{} is a file, not a folder: choose a folder for the library",
                root.display()
            )));
        }
        let paths = Paths::new(root);
        if root.is_dir() && !paths.db.exists() {
            let foreign = fs::read_dir(root)
                .map_err(|e| read_only_or_io(root, e, "cannot read folder"))?
                .filter_map(|e| e.ok())
                .any(|e| {
                    !matches!(
                        e.file_name().to_str(),
                        Some("files" | "index" | "logs" | "dangan.lock" | "dangan.lock.owner")
                    )
                });
            if foreign {
                return Err(Error::refused(format!(
                    "the folder {} is not empty and holds no Dangan library: choose a new or empty folder",
                    root.display()
                )));
            }
        }
        for dir in [&paths.root, &paths.files, &paths.index, &paths.logs] {
            create_dir(dir)?;
        }
        crate::core::files::make_private_dir(&paths.root)?;
        crate::core::files::create_private_file(&paths.db)?;
        let lib = Library::open_paths(paths, Access::Write)?;
        if lib.is_initialised()? {
            return Err(Error::refused(format!(
                "a library already exists at {}: open it, or choose an empty folder",
                root.display()
            )));
        }
        Ok(lib)
    }

    /// Whether `root` holds a finished library (one with users). A folder without a database,
    /// or whose `init` was interrupted, is not one; a damaged or too-new library is an error.
    pub fn is_library(root: &Path) -> Result<bool> {
        let paths = Paths::new(root);
        if !paths.db.exists() {
            return Ok(false);
        }
        Library::open_paths(paths, Access::Read)?.is_initialised()
    }

    /// Opens an existing library.
    pub fn open(root: &Path, access: Access) -> Result<Library> {
        let paths = Paths::new(root);
        if !paths.db.exists() {
            return Err(Error::NoLibrary(root.to_path_buf()));
        }
        let lib = Library::open_paths(paths, access)?;
        if !lib.is_initialised()? {
            return Err(Error::refused(format!(
                "the library at {} was never finished (no users): run `dangan init --library {}` again",
                root.display(),
                root.display()
            )));
        }
        Ok(lib)
    }

    fn open_paths(paths: Paths, access: Access) -> Result<Library> {
        // Opening the lock file for writing is also the check that the folder is writable.
        let lock_file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .read(true)
            .open(&paths.lock)
            .map_err(|e| read_only_or_io(&paths.root, e, "cannot open the lock file"))?;
        let mut lock = None;
        if access == Access::Write {
            Self::take_lock(&paths, &lock_file)?;
            lock = Some(lock_file);
        }
        let mut db = Db::open(&paths.db)?;
        if migrate::pending(db.conn(), &paths.db)? {
            // Migrating needs the writer lock even for a reader.
            let guard = if lock.is_none() {
                let f = OpenOptions::new()
                    .write(true)
                    .open(&paths.lock)
                    .map_err(|e| read_only_or_io(&paths.root, e, "cannot open the lock file"))?;
                Self::take_lock(&paths, &f)?;
                Some(f)
            } else {
                None
            };
            store::migrate::apply(db.conn_mut(), &paths.db)?;
            drop(guard);
        }
        Ok(Library { paths, db, access, _lock: lock, search: None })
    }

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
            Err(fs::TryLockError::Error(e)) => Err(Error::io("cannot lock the library", e)),
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

    /// Runs one write transaction, then records the audit chain head outside the table. The
    /// transaction has committed by then: failing to write the head file is logged, not
    /// reported as a failure of the action.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let out = self.db.write(f)?;
        if let Err(e) = self.sync_head_file() {
            tracing::warn!(error = %e, "could not update audit.head; `dangan verify` will check the chain");
        }
        self.sync_index();
        Ok(out)
    }

    /// Writes the current chain head to `audit.head` (atomically: temp file + rename).
    ///
    /// The file only ever moves forward along the chain: if the row it names is no longer in
    /// the log as it was (rows cut off, the log rewritten), it is left alone as evidence for
    /// `verify`, and a warning is logged.
    pub(crate) fn sync_head_file(&self) -> Result<()> {
        let Some(head) =
            store::get_meta(self.db.conn(), store::audit::HEAD_KEY)?.and_then(|s| Head::decode(&s))
        else {
            return Ok(());
        };
        if let Some(file) = self.read_head_file() {
            if file.seq >= head.seq {
                return Ok(());
            }
            if store::audit::hash_at(self.db.conn(), file.seq)?.as_deref() != Some(file.hash.as_str()) {
                tracing::warn!(
                    file_seq = file.seq,
                    "the audit log no longer holds the row audit.head names; run `dangan verify`"
                );
                return Ok(());
            }
        }
        // One temporary file per process (readers write heads too), never through a link.
        crate::core::files::write_private(&self.paths.audit_head, format!("{}\n", head.encode()).as_bytes())
            .map_err(|e| Error::io("cannot record the audit head", e))
    }

    pub(crate) fn read_head_file(&self) -> Option<Head> {
        crate::core::files::read_no_follow(&self.paths.audit_head).and_then(|s| Head::decode(s.trim()))
    }
}
