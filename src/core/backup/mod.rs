//! Backups: one tar file an administrator can open with standard tools, holding
//!
//! - `manifest.json` (first): what the backup is (format, id, library, schema, when, who, the
//!   audit head), the database copy's SHA-256 and size, every stored file's SHA-256 and size
//!   and which backup holds it (this one, or a base it was made on);
//! - `dangan.sqlite3`: the database as of one moment, copied with SQLite's online backup
//!   while the library is in use;
//! - `labels/…`: the library's own label stocks;
//! - `files/ab/cd/<sha256>`: the scanned files (all of them, or for an incremental backup
//!   only those its base chain does not hold: stored files never change);
//! - `END` (last): the manifest's SHA-256, so a file cut short or a manifest altered is told
//!   apart from a whole backup.
//!
//! The file is written under a temporary name beside the target, synced, then renamed: a
//! crash or a full disk never leaves a file with the target's name that is not whole.
//! Reading a backup ([`restore`]) checks every entry against the manifest.

pub mod restore;
pub mod rotate;
pub mod schedule;

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::scans::blobs::Blobs;
use crate::core::session::{Change, Session};
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::store;

pub use restore::{BackupCheck, RestoreReport, check_backup, restore};

/// The `format` field of every manifest.
pub const FORMAT: &str = "dangan-backup";
/// The manifest layout this program writes and reads.
pub const VERSION: u32 = 1;

pub const MANIFEST: &str = "manifest.json";
pub const DATABASE: &str = "dangan.sqlite3";
pub const END: &str = "END";

/// What a backup holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// This backup's id (hex).
    pub id: String,
    pub library_id: String,
    pub schema_version: i64,
    /// When the database copy was taken (RFC 3339, UTC).
    pub created_at: String,
    pub created_by: String,
    pub program: String,
    pub audit_head: HeadRef,
    pub customers: i64,
    pub database: Item,
    /// The library's own label stocks (`labels/NAME`).
    #[serde(default)]
    pub labels: Vec<Item>,
    /// The backup this one was made on (an incremental backup), and its manifest's SHA-256.
    pub base: Option<BaseRef>,
    /// Every stored file the database names.
    pub files: Vec<FileItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeadRef {
    pub seq: i64,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaseRef {
    pub id: String,
    pub manifest_sha256: String,
    /// The base's file name when this backup was made (a hint: bases are found by id).
    pub file_name: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileItem {
    pub sha256: String,
    pub size: u64,
    /// The backup holding this file's bytes: this one when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_by: Option<String>,
}

impl Manifest {
    pub fn is_incremental(&self) -> bool {
        self.base.is_some()
    }

    /// The ids of the other backups this one needs.
    pub fn needs(&self) -> std::collections::BTreeSet<&str> {
        self.files.iter().filter_map(|f| f.held_by.as_deref()).collect()
    }
}

/// The entry name of a stored file.
pub fn file_entry(sha: &str) -> String {
    format!("files/{}/{}/{sha}", sha.get(0..2).unwrap_or("00"), sha.get(2..4).unwrap_or("00"))
}

/// What `backup` did.
#[derive(Debug, Clone, Serialize)]
pub struct BackupReport {
    pub file: PathBuf,
    pub id: String,
    pub incremental: bool,
    pub base: Option<String>,
    pub customers: i64,
    pub audit_seq: i64,
    /// Stored files the library has, and those written into this file.
    pub files: usize,
    pub files_written: usize,
    pub database_bytes: u64,
    /// The backup file's size.
    pub bytes: u64,
    pub seconds: f64,
    pub mb_per_s: f64,
    pub manifest_sha256: String,
    /// Older backups `--keep` removed.
    pub removed: Vec<PathBuf>,
}

/// Bytes done of bytes in all; called as the backup goes.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// A reader that hashes and counts what passes through it.
pub(crate) struct Hashing<R> {
    pub inner: R,
    pub hasher: Sha256,
    pub bytes: u64,
}

impl<R: Read> Hashing<R> {
    pub fn new(inner: R) -> Hashing<R> {
        Hashing { inner, hasher: Sha256::new(), bytes: 0 }
    }
    pub fn hex(self) -> String {
        hex::encode(self.hasher.finalize())
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Whether an I/O error is the disk being full.
pub(crate) fn disk_full(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(28) || e.kind() == std::io::ErrorKind::StorageFull
}

/// Writing to the backup's file failed: a full disk says what to do.
fn write_failed(path: &Path, e: std::io::Error) -> Error {
    if disk_full(&e) {
        Error::failed("backup-disk-full").arg("path", path.display())
    } else {
        Error::io(crate::model::error::Message::new("backup-write-failed").arg("path", path.display()), e)
    }
}

/// A new backup's id: unique enough across machines and time.
fn new_id(library_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(library_id.as_bytes());
    h.update(crate::core::now().as_bytes());
    h.update(std::process::id().to_le_bytes());
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.update(d.as_nanos().to_le_bytes());
    }
    hex::encode(&h.finalize()[..8])
}

/// A file removed when dropped unless kept: the temporary files of a backup being written.
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_file(p);
        }
    }
}

fn tar_header(size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(0o600);
    h.set_entry_type(tar::EntryType::Regular);
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    h.set_mtime(secs);
    h
}

/// Appends `size` bytes from `data` as entry `name`, returning their SHA-256; fails if the
/// source holds fewer bytes than it said (a tar entry must be exactly its header's size).
fn append(
    tar: &mut tar::Builder<impl Write>,
    out: &Path,
    name: &str,
    size: u64,
    data: impl Read,
) -> Result<std::result::Result<String, u64>> {
    let mut reader = Hashing::new(data.take(size));
    let mut header = tar_header(size);
    // Padding the entry if the source came up short keeps the tar readable; the caller then
    // abandons the whole file anyway.
    struct Padded<R>(R, u64);
    impl<R: Read> Read for Padded<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(buf)?;
            if n == 0 && self.1 > 0 {
                let k = (self.1 as usize).min(buf.len());
                buf[..k].fill(0);
                self.1 -= k as u64;
                return Ok(k);
            }
            self.1 = self.1.saturating_sub(n as u64);
            Ok(n)
        }
    }
    let mut padded = Padded(&mut reader, size);
    tar.append_data(&mut header, name, &mut padded).map_err(|e| write_failed(out, e))?;
    let got = reader.bytes;
    if got != size {
        return Ok(Err(got));
    }
    Ok(Ok(reader.hex()))
}

/// Where to write a backup and on what.
#[derive(Debug, Clone, Default)]
pub struct BackupOptions {
    /// The backup file to write (refused if it exists).
    pub out: PathBuf,
    /// A previous backup of this library: the new one holds only the files it lacks.
    pub base: Option<PathBuf>,
}

/// A backup whose database copy is taken and whose manifest is made: what is left (the long
/// part, the scanned files) needs no session ([`Prepared::write`]), so the app goes on working.
pub struct Prepared {
    started: Instant,
    out: PathBuf,
    dir: PathBuf,
    snap: TempFile,
    part_path: PathBuf,
    manifest: Manifest,
    manifest_bytes: Vec<u8>,
    manifest_sha: String,
    files_dir: PathBuf,
    labels_dir: PathBuf,
}

/// A backup file written, not yet recorded in the audit log ([`Session::record_backup`]).
pub struct Written {
    report: BackupReport,
    library_id: String,
}

impl Written {
    pub fn file(&self) -> &Path {
        &self.report.file
    }

    pub fn library_id(&self) -> &str {
        &self.library_id
    }
}

impl Session {
    /// Writes a backup of the open library to `opts.out` (see the module's notes). Other
    /// processes may go on writing meanwhile: the database is copied as of one moment, and
    /// the files it names never change.
    pub fn backup(&mut self, opts: &BackupOptions, progress: Progress<'_>) -> Result<BackupReport> {
        let prepared = self.prepare_backup(opts)?;
        let written = prepared.write(progress)?;
        self.record_backup(written)
    }

    /// The first step of a backup: checks, the database copy (beside `opts.out`), the manifest.
    pub fn prepare_backup(&mut self, opts: &BackupOptions) -> Result<Prepared> {
        self.require(Permission::Maintain)?;
        let started = Instant::now();
        let out = &opts.out;
        if out.exists() {
            return Err(Error::conflict("backup-out-exists").arg("path", out.display()));
        }
        let dir = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(Error::missing("backup-out-folder-missing").arg("path", dir.display()));
        }
        let base = match &opts.base {
            Some(p) => Some(restore::read_manifest(p)?),
            None => None,
        };
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let pid = std::process::id();
        let snap_path = dir.join(format!(".{name}.{pid}.db.tmp"));
        let part_path = dir.join(format!(".{name}.{pid}.part"));
        let _ = fs::remove_file(&snap_path);
        let _ = fs::remove_file(&part_path);
        let snap_guard = TempFile(Some(snap_path.clone()));
        // 1. The database as of now.
        store::backup::snapshot(self.lib.db.conn(), &snap_path).map_err(|e| match e {
            Error::Io { source, .. } if disk_full(&source) => {
                Error::failed("backup-disk-full").arg("path", dir.display())
            }
            other => other,
        })?;
        let info = store::backup::describe(&snap_path)?;
        let db_size = fs::metadata(&snap_path).map_err(|e| write_failed(&snap_path, e))?.len();
        let db_sha =
            crate::core::scans::blobs::hash_file(&snap_path).map_err(|e| write_failed(&snap_path, e))?;
        if let Some((m, _)) = &base
            && m.library_id != info.library_id
        {
            return Err(Error::conflict("backup-base-other-library")
                .arg("path", opts.base.as_ref().map(|p| p.display().to_string()).unwrap_or_default()));
        }

        // 2. The manifest: every file, and who holds it.
        let held: std::collections::HashMap<&str, String> = match &base {
            Some((m, _)) => m
                .files
                .iter()
                .map(|f| (f.sha256.as_str(), f.held_by.clone().unwrap_or_else(|| m.id.clone())))
                .collect(),
            None => Default::default(),
        };
        let labels_dir = self.lib.paths().root.join("labels");
        let mut labels = Vec::new();
        if let Ok(rd) = fs::read_dir(&labels_dir) {
            let mut names: Vec<_> = rd
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| restore::plain_name(n))
                .collect();
            names.sort();
            for n in names {
                let p = labels_dir.join(&n);
                let size = fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
                let sha = crate::core::scans::blobs::hash_file(&p).map_err(|e| {
                    Error::io(
                        crate::model::error::Message::new("backup-read-failed").arg("path", p.display()),
                        e,
                    )
                })?;
                labels.push(Item { name: format!("labels/{n}"), sha256: sha, size });
            }
        }
        let id = new_id(&info.library_id);
        let files: Vec<FileItem> = info
            .files
            .iter()
            .map(|(sha, size)| FileItem {
                sha256: sha.clone(),
                size: *size as u64,
                held_by: held.get(sha.as_str()).cloned(),
            })
            .collect();
        let manifest = Manifest {
            format: FORMAT.into(),
            version: VERSION,
            id: id.clone(),
            library_id: info.library_id.clone(),
            schema_version: info.schema_version,
            created_at: crate::core::now(),
            created_by: self.user.name.clone(),
            program: format!("dangan {}", env!("CARGO_PKG_VERSION")),
            audit_head: HeadRef { seq: info.audit_head.seq, hash: info.audit_head.hash.clone() },
            customers: info.customers,
            database: Item { name: DATABASE.into(), sha256: db_sha, size: db_size },
            labels,
            base: base.as_ref().map(|(m, sha)| BaseRef {
                id: m.id.clone(),
                manifest_sha256: sha.clone(),
                file_name: opts
                    .base
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                created_at: m.created_at.clone(),
            }),
            files,
        };
        let manifest_bytes = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| Error::failed("backup-write-failed").arg("path", e))?;
        let manifest_sha = hex::encode(Sha256::digest(&manifest_bytes));

        Ok(Prepared {
            started,
            out: out.clone(),
            dir,
            snap: snap_guard,
            part_path,
            manifest,
            manifest_bytes,
            manifest_sha,
            files_dir: self.lib.paths().files.clone(),
            labels_dir,
        })
    }

    /// The last step of a backup: the audit row saying it was made.
    pub fn record_backup(&mut self, written: Written) -> Result<BackupReport> {
        let report = written.report;
        let after = serde_json::json!({
            "file": report.file.display().to_string(),
            "id": report.id,
            "incremental": report.incremental,
            "base": report.base,
            "customers": report.customers,
            "audit_seq": report.audit_seq,
            "files": report.files,
            "files_written": report.files_written,
            "bytes": report.bytes,
            "manifest_sha256": report.manifest_sha256,
        })
        .to_string();
        self.change(Permission::Maintain, |tx, a| {
            a.log(
                tx,
                Change {
                    action: "backup",
                    entity: "library",
                    entity_id: "library",
                    dossier: None,
                    before: None,
                    after: Some(after),
                },
            )
        })?;
        Ok(report)
    }
}

impl Prepared {
    /// Writes the backup file: the tar under a temporary name, synced, renamed into place.
    pub fn write(self, progress: Progress<'_>) -> Result<Written> {
        let Prepared {
            started,
            out,
            dir,
            snap: snap_guard,
            part_path,
            manifest,
            manifest_bytes,
            manifest_sha,
            files_dir,
            labels_dir,
        } = self;
        let out = &out;
        let part_guard = TempFile(Some(part_path.clone()));
        let snap_path = snap_guard.0.clone().unwrap_or_default();
        let db_size = manifest.database.size;
        let id = manifest.id.clone();
        // 3. The tar, under a temporary name.
        let to_write: Vec<&FileItem> = manifest.files.iter().filter(|f| f.held_by.is_none()).collect();
        let total = db_size
            + manifest.labels.iter().map(|l| l.size).sum::<u64>()
            + to_write.iter().map(|f| f.size).sum::<u64>();
        let mut done = 0u64;
        progress(0, total);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        // A backup holds every customer's data: readable by its owner only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&part_path).map_err(|e| write_failed(&part_path, e))?;
        let mut tar = tar::Builder::new(BufWriter::with_capacity(1 << 20, file));
        tar.mode(tar::HeaderMode::Deterministic);
        append(&mut tar, out, MANIFEST, manifest_bytes.len() as u64, &manifest_bytes[..])?
            .map_err(|_| Error::failed("backup-write-failed").arg("path", out.display()))?;
        let snap = File::open(&snap_path).map_err(|e| write_failed(&snap_path, e))?;
        match append(&mut tar, out, DATABASE, db_size, snap)? {
            Ok(sha) if sha == manifest.database.sha256 => {}
            _ => return Err(Error::failed("backup-source-changed").arg("path", snap_path.display())),
        }
        done += db_size;
        progress(done, total);
        for l in &manifest.labels {
            let p = labels_dir.join(l.name.trim_start_matches("labels/"));
            let f = File::open(&p).map_err(|e| {
                Error::io(crate::model::error::Message::new("backup-read-failed").arg("path", p.display()), e)
            })?;
            match append(&mut tar, out, &l.name, l.size, f)? {
                Ok(sha) if sha == l.sha256 => {}
                _ => return Err(Error::failed("backup-source-changed").arg("path", p.display())),
            }
            done += l.size;
        }
        let blobs = Blobs::new(&files_dir);
        for f in &to_write {
            let path = stored_file(&blobs, &f.sha256).ok_or_else(|| {
                Error::failed("backup-library-file-missing").arg("path", blobs.path(&f.sha256).display())
            })?;
            let src = File::open(&path).map_err(|e| {
                Error::io(
                    crate::model::error::Message::new("backup-read-failed").arg("path", path.display()),
                    e,
                )
            })?;
            match append(&mut tar, out, &file_entry(&f.sha256), f.size, src)? {
                Ok(sha) if sha == f.sha256 => {}
                _ => return Err(Error::failed("backup-library-file-changed").arg("path", path.display())),
            }
            done += f.size;
            progress(done, total);
        }
        append(&mut tar, out, END, manifest_sha.len() as u64, manifest_sha.as_bytes())?
            .map_err(|_| Error::failed("backup-write-failed").arg("path", out.display()))?;
        let buf = tar.into_inner().map_err(|e| write_failed(out, e))?;
        let file = buf.into_inner().map_err(|e| write_failed(out, e.into_error()))?;
        file.sync_all().map_err(|e| write_failed(out, e))?;
        drop(file);
        drop(snap_guard);
        // The name appears only now, whole. A file that appeared meanwhile is not replaced.
        if out.exists() {
            return Err(Error::conflict("backup-out-exists").arg("path", out.display()));
        }
        fs::rename(&part_path, out).map_err(|e| write_failed(out, e))?;
        part_guard.keep();
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        let bytes = fs::metadata(out).map(|m| m.len()).unwrap_or(0);
        let seconds = started.elapsed().as_secs_f64();
        let report = BackupReport {
            file: out.clone(),
            id: id.clone(),
            incremental: manifest.is_incremental(),
            base: manifest.base.as_ref().map(|b| b.id.clone()),
            customers: manifest.customers,
            audit_seq: manifest.audit_head.seq,
            files: manifest.files.len(),
            files_written: to_write.len(),
            database_bytes: db_size,
            bytes,
            seconds,
            mb_per_s: if seconds > 0.0 {
                (bytes as f64 / 1_048_576.0 / seconds * 10.0).round() / 10.0
            } else {
                0.0
            },
            manifest_sha256: manifest_sha.clone(),
            removed: Vec::new(),
        };
        Ok(Written { report, library_id: manifest.library_id.clone() })
    }
}

/// A stored file's bytes: in place, or (between another process's commit and its move into
/// place) still in the staging folder for a moment.
fn stored_file(blobs: &Blobs, sha: &str) -> Option<PathBuf> {
    for _ in 0..50 {
        let p = blobs.path(sha);
        if p.is_file() {
            return Some(p);
        }
        if let Some(staged) = blobs.staged_any(sha) {
            return Some(staged);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    None
}
