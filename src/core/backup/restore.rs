//! Reading backups: the manifest alone (to find bases, to rotate), a whole file checked entry
//! by entry (`backup verify`), and a restore into a new folder.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{DATABASE, END, FORMAT, Hashing, MANIFEST, Manifest, Progress, VERSION, file_entry};
use crate::core::library::{Access, Library};
use crate::core::session::Change;
use crate::core::verify::VerifyReport;
use crate::model::error::{Error, Message, Result};
use crate::model::permission::Permission;

/// A file name with nothing that could leave its folder.
pub(crate) fn plain_name(n: &str) -> bool {
    !n.is_empty()
        && n != "."
        && n != ".."
        && !n.starts_with('.')
        && !n.contains(['/', '\\', '\0'])
        && n.len() <= 200
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::missing("backup-file-missing").arg("path", path.display())
        } else {
            Error::io(Message::new("backup-read-failed").arg("path", path.display()), e)
        }
    })
}

fn not_a_backup(path: &Path) -> Error {
    Error::failed("backup-not-a-backup").arg("path", path.display())
}

fn cut_short(path: &Path, entry: &str) -> Error {
    Error::failed("backup-cut-short").arg("path", path.display()).arg("entry", entry)
}

fn altered(path: &Path, entry: &str) -> Error {
    Error::failed("backup-entry-altered").arg("path", path.display()).arg("entry", entry)
}

fn damaged(path: &Path, after: &str, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        return cut_short(path, after);
    }
    Error::failed("backup-damaged").arg("path", path.display()).arg("entry", after).arg("detail", e)
}

/// Parses the first entry's bytes as a manifest this program can read.
fn parse_manifest(path: &Path, bytes: &[u8]) -> Result<Manifest> {
    let m: Manifest = serde_json::from_slice(bytes).map_err(|_| not_a_backup(path))?;
    if m.format != FORMAT {
        return Err(not_a_backup(path));
    }
    if m.version > VERSION {
        return Err(Error::conflict("backup-newer-format").arg("path", path.display()));
    }
    Ok(m)
}

/// The manifest of a backup and its SHA-256, reading only the file's first entry.
pub fn read_manifest(path: &Path) -> Result<(Manifest, String)> {
    let mut archive = tar::Archive::new(BufReader::new(open(path)?));
    let mut entries = archive.entries().map_err(|_| not_a_backup(path))?;
    let mut first = match entries.next() {
        Some(Ok(e)) => e,
        _ => return Err(not_a_backup(path)),
    };
    if first.path().ok().as_deref() != Some(Path::new(MANIFEST)) {
        return Err(not_a_backup(path));
    }
    let size = first.header().size().unwrap_or(0);
    if size > 1 << 30 {
        return Err(not_a_backup(path));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    first.read_to_end(&mut bytes).map_err(|e| damaged(path, MANIFEST, &e))?;
    if bytes.len() as u64 != size {
        return Err(cut_short(path, MANIFEST));
    }
    let m = parse_manifest(path, &bytes)?;
    Ok((m, hex::encode(Sha256::digest(&bytes))))
}

/// One entry of a backup, as the reader hands it on.
pub(crate) enum Entry<'a> {
    Database,
    Label(&'a str),
    File(&'a str),
}

/// Reads a backup file through: the manifest first, each entry checked against it (size,
/// SHA-256) while `put` consumes it, the closing `END` last. Any entry wrong, missing or
/// extra is an error naming it.
fn read_through(
    path: &Path,
    mut put: impl FnMut(&Entry<'_>, &mut dyn Read) -> Result<()>,
    progress: Progress<'_>,
) -> Result<(Manifest, String)> {
    let total = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut archive = tar::Archive::new(BufReader::with_capacity(1 << 20, open(path)?));
    let entries = archive.entries().map_err(|_| not_a_backup(path))?;
    let mut manifest: Option<(Manifest, String)> = None;
    let mut expected: HashMap<String, (u64, String)> = HashMap::new();
    let mut last = String::from("-");
    let mut ended = false;
    let mut done = 0u64;
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) if manifest.is_none() => {
                tracing::debug!(error = %e, "not a tar file");
                return Err(not_a_backup(path));
            }
            Err(e) => return Err(damaged(path, &last, &e)),
        };
        let name = match entry.path() {
            Ok(p) => p.to_string_lossy().into_owned(),
            Err(e) => return Err(damaged(path, &last, &e)),
        };
        let size = entry.header().size().map_err(|e| damaged(path, &last, &e))?;
        if ended {
            return Err(altered(path, &name));
        }
        if manifest.is_none() {
            if name != MANIFEST || size > 1 << 30 {
                return Err(not_a_backup(path));
            }
            let mut bytes = Vec::with_capacity(size as usize);
            entry.read_to_end(&mut bytes).map_err(|e| damaged(path, MANIFEST, &e))?;
            if bytes.len() as u64 != size {
                return Err(cut_short(path, MANIFEST));
            }
            let m = parse_manifest(path, &bytes)?;
            expected.insert(DATABASE.into(), (m.database.size, m.database.sha256.clone()));
            for l in &m.labels {
                expected.insert(l.name.clone(), (l.size, l.sha256.clone()));
            }
            for f in m.files.iter().filter(|f| f.held_by.is_none()) {
                expected.insert(file_entry(&f.sha256), (f.size, f.sha256.clone()));
            }
            manifest = Some((m, hex::encode(Sha256::digest(&bytes))));
            last = name;
            continue;
        }
        let msha = manifest.as_ref().map(|(_, s)| s.clone()).unwrap_or_default();
        if name == END {
            let mut text = String::new();
            let _ = entry.by_ref().take(256).read_to_string(&mut text);
            if text.len() as u64 != size && size <= 256 {
                return Err(cut_short(path, END));
            }
            if text.trim() != msha.as_str() {
                return Err(altered(path, MANIFEST));
            }
            ended = true;
            last = name;
            continue;
        }
        let Some((want_size, want_sha)) = expected.remove(&name) else {
            return Err(altered(path, &name));
        };
        if size != want_size {
            return Err(altered(path, &name));
        }
        let item = if name == DATABASE {
            Entry::Database
        } else if let Some(l) = name.strip_prefix("labels/") {
            if !plain_name(l) {
                return Err(altered(path, &name));
            }
            Entry::Label(l)
        } else {
            Entry::File(&want_sha)
        };
        let mut reader = Hashing::new(&mut entry);
        put(&item, &mut reader).map_err(|e| match e {
            Error::Io { source, .. } if !super::disk_full(&source) => damaged(path, &name, &source),
            other => other,
        })?;
        // Whatever `put` left unread still counts.
        std::io::copy(&mut reader, &mut std::io::sink()).map_err(|e| damaged(path, &name, &e))?;
        if reader.bytes != size {
            return Err(cut_short(path, &name));
        }
        if reader.hex() != want_sha {
            return Err(altered(path, &name));
        }
        done += size + 512;
        progress(done.min(total), total);
        last = name;
    }
    let Some(found) = manifest else { return Err(not_a_backup(path)) };
    if !ended {
        return Err(cut_short(path, &last));
    }
    if let Some(missing) = expected.keys().min() {
        return Err(altered(path, missing));
    }
    progress(total, total);
    Ok(found)
}

/// Finds the backups `m` was made on: among `given`, then beside `file`, by id. Returns each
/// needed id's file and manifest, or the first that is missing.
fn find_bases(
    file: &Path,
    m: &Manifest,
    given: &[PathBuf],
) -> Result<BTreeMap<String, (PathBuf, Manifest, String)>> {
    let needed = m.needs();
    let mut found = BTreeMap::new();
    if needed.is_empty() {
        return Ok(found);
    }
    let mut candidates: Vec<PathBuf> = given.to_vec();
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(rd) = fs::read_dir(dir) {
        let mut beside: Vec<PathBuf> = rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "tar") && p.as_path() != file)
            .collect();
        beside.sort();
        candidates.extend(beside);
    }
    for c in candidates {
        if found.len() == needed.len() {
            break;
        }
        let Ok((cm, sha)) = read_manifest(&c) else { continue };
        if needed.contains(cm.id.as_str()) && cm.library_id == m.library_id && !found.contains_key(&cm.id) {
            found.insert(cm.id.clone(), (c, cm, sha));
        }
    }
    if let Some(missing) = needed.iter().find(|id| !found.contains_key(**id)) {
        let hint = m.base.as_ref().filter(|b| b.id == *missing);
        return Err(Error::missing("backup-base-missing")
            .arg("id", missing)
            .arg("name", hint.map(|b| b.file_name.clone()).unwrap_or_else(|| "-".into()))
            .arg("created", hint.map(|b| b.created_at.clone()).unwrap_or_else(|| "-".into())));
    }
    if let Some(b) = &m.base
        && let Some((p, _, sha)) = found.get(&b.id)
        && *sha != b.manifest_sha256
    {
        return Err(Error::failed("backup-base-mismatch").arg("path", p.display()).arg("id", &b.id));
    }
    Ok(found)
}

/// What `backup verify` found: a whole backup and the bases it needs.
#[derive(Debug, Clone, Serialize)]
pub struct BackupCheck {
    pub file: PathBuf,
    pub id: String,
    pub library_id: String,
    pub created_at: String,
    pub created_by: String,
    pub schema_version: i64,
    pub incremental: bool,
    pub customers: i64,
    pub audit_seq: i64,
    /// Stored files the backup restores (its own and its bases').
    pub files: usize,
    pub files_here: usize,
    pub bytes: u64,
    /// The other backups needed and checked.
    pub bases: Vec<PathBuf>,
}

/// Reads a backup (and the bases it needs) through and checks every entry.
pub fn check_backup(file: &Path, bases: &[PathBuf], progress: Progress<'_>) -> Result<BackupCheck> {
    let (m, _) = read_through(file, |_, _| Ok(()), progress)?;
    let found = find_bases(file, &m, bases)?;
    for (id, (path, _, _)) in &found {
        let (bm, _) = read_through(path, |_, _| Ok(()), &mut |_, _| {})?;
        let held: HashSet<&str> =
            bm.files.iter().filter(|f| f.held_by.is_none()).map(|f| f.sha256.as_str()).collect();
        if let Some(f) =
            m.files.iter().find(|f| f.held_by.as_deref() == Some(id) && !held.contains(f.sha256.as_str()))
        {
            return Err(altered(path, &file_entry(&f.sha256)));
        }
    }
    Ok(BackupCheck {
        file: file.to_path_buf(),
        id: m.id.clone(),
        library_id: m.library_id.clone(),
        created_at: m.created_at.clone(),
        created_by: m.created_by.clone(),
        schema_version: m.schema_version,
        incremental: m.is_incremental(),
        customers: m.customers,
        audit_seq: m.audit_head.seq,
        files: m.files.len(),
        files_here: m.files.iter().filter(|f| f.held_by.is_none()).count(),
        bytes: fs::metadata(file).map(|x| x.len()).unwrap_or(0),
        bases: found.into_values().map(|(p, _, _)| p).collect(),
    })
}

/// What `restore` did.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    pub library: PathBuf,
    pub id: String,
    pub created_at: String,
    pub incremental: bool,
    pub customers: i64,
    pub files: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub mb_per_s: f64,
    pub bases: Vec<PathBuf>,
    /// The restored library's own check.
    pub verify: VerifyReport,
}

/// A folder removed with everything in it when dropped, unless kept.
struct TempDir(Option<PathBuf>);

impl Drop for TempDir {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_dir_all(p);
        }
    }
}

/// Writes one entry's bytes into the restored library at `root`.
fn put_entry(root: &Path, entry: &Entry<'_>, data: &mut dyn Read) -> Result<()> {
    let path = match entry {
        Entry::Database => root.join(DATABASE),
        Entry::Label(n) => root.join("labels").join(n),
        Entry::File(sha) => root.join(file_entry(sha)),
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
    }
    let mut f =
        fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| write_error(&path, e))?;
    std::io::copy(data, &mut f).map_err(|e| write_error(&path, e))?;
    f.sync_all().map_err(|e| write_error(&path, e))?;
    Ok(())
}

fn write_error(path: &Path, e: std::io::Error) -> Error {
    if super::disk_full(&e) {
        Error::failed("backup-disk-full").arg("path", path.display())
    } else {
        Error::io(Message::new("backup-write-failed").arg("path", path.display()), e)
    }
}

/// Restores the backup `file` (and the bases it needs, from `bases` or beside it) into the
/// new library folder `target`: refused if `target` exists and is not an empty folder. The
/// files go into a temporary folder beside it, each checked against the manifest; then
/// `user` logs in there (an administrator or archivist of the backed-up library), the
/// restore is audited, the search index is rebuilt, the library verifies itself, and only
/// then is the folder renamed into place. Anything wrong leaves nothing behind.
pub fn restore(
    file: &Path,
    target: &Path,
    bases: &[PathBuf],
    user: &str,
    password: &str,
    progress: Progress<'_>,
) -> Result<RestoreReport> {
    let started = Instant::now();
    if target.exists() {
        let empty = target.is_dir() && fs::read_dir(target).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(Error::conflict("restore-target-not-empty").arg("path", target.display()));
        }
    }
    let (m, _) = read_manifest(file)?;
    if m.schema_version > crate::core::library::schema_version() {
        return Err(Error::conflict("backup-newer-schema")
            .arg("path", file.display())
            .arg("found", m.schema_version)
            .arg("supported", crate::core::library::schema_version()));
    }
    let found = find_bases(file, &m, bases)?;
    let name =
        target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "library".into());
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| write_error(&parent, e))?;
    let tmp = parent.join(format!(".{name}.restoring-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir(&tmp).map_err(|e| write_error(&tmp, e))?;
    let mut guard = TempDir(Some(tmp.clone()));
    crate::core::files::make_private_dir(&tmp)?;

    let total: u64 = std::iter::once(file)
        .chain(found.values().map(|(p, _, _)| p.as_path()))
        .map(|p| fs::metadata(p).map(|x| x.len()).unwrap_or(0))
        .sum();
    let mut base_done = 0u64;
    let (main, _) = read_through(file, |e, r| put_entry(&tmp, e, r), &mut |d, _| progress(d, total))?;
    if main.id != m.id {
        return Err(Error::failed("backup-source-changed").arg("path", file.display()));
    }
    base_done += fs::metadata(file).map(|x| x.len()).unwrap_or(0);
    for (id, (path, _, _)) in &found {
        let wanted: HashSet<&str> =
            m.files.iter().filter(|f| f.held_by.as_deref() == Some(id)).map(|f| f.sha256.as_str()).collect();
        let offset = base_done;
        read_through(
            path,
            |e, r| match e {
                Entry::File(sha) if wanted.contains(sha) => put_entry(&tmp, e, r),
                _ => Ok(()),
            },
            &mut |d, _| progress(offset + d, total),
        )?;
        base_done += fs::metadata(path).map(|x| x.len()).unwrap_or(0);
    }
    if let Some(f) = m.files.iter().find(|f| !tmp.join(file_entry(&f.sha256)).is_file()) {
        let holder = f.held_by.as_ref().and_then(|id| found.get(id)).map_or(file, |(p, _, _)| p.as_path());
        return Err(altered(holder, &file_entry(&f.sha256)));
    }
    for d in ["files", "index", "logs"] {
        fs::create_dir_all(tmp.join(d)).map_err(|e| write_error(&tmp, e))?;
    }
    crate::core::files::write_private(
        &tmp.join("audit.head"),
        format!("{} {}\n", m.audit_head.seq, m.audit_head.hash).as_bytes(),
    )
    .map_err(|e| write_error(&tmp, e))?;

    // The restored library checks itself before it takes the target's name.
    let lib = Library::open(&tmp, Access::Write)?;
    let mut s = lib.login(user, password, "cli")?;
    let after = serde_json::json!({
        "file": file.display().to_string(),
        "id": m.id,
        "created_at": m.created_at,
        "created_by": m.created_by,
        "incremental": m.is_incremental(),
        "bases": found.keys().collect::<Vec<_>>(),
        "library": target.display().to_string(),
    })
    .to_string();
    s.change(Permission::Maintain, |tx, a| {
        a.log(
            tx,
            Change {
                action: "restore",
                entity: "library",
                entity_id: "library",
                dossier: None,
                before: None,
                after: Some(after),
            },
        )
    })?;
    s.reindex(&mut |_, _| {})?;
    let verify = s.verify()?;
    drop(s);

    if target.exists() {
        fs::remove_dir(target)
            .map_err(|_| Error::conflict("restore-target-not-empty").arg("path", target.display()))?;
    }
    fs::rename(&tmp, target).map_err(|e| write_error(target, e))?;
    guard.0 = None;
    if let Ok(d) = File::open(&parent) {
        let _ = d.sync_all();
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(RestoreReport {
        library: target.to_path_buf(),
        id: m.id.clone(),
        created_at: m.created_at.clone(),
        incremental: m.is_incremental(),
        customers: m.customers,
        files: m.files.len(),
        bytes: total,
        seconds,
        mb_per_s: if seconds > 0.0 {
            (total as f64 / 1_048_576.0 / seconds * 10.0).round() / 10.0
        } else {
            0.0
        },
        bases: found.into_values().map(|(p, _, _)| p).collect(),
        verify,
    })
}
