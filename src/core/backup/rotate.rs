//! Backups into a folder: each named by when it was made, the newest full chains kept (a full
//! backup and the increments made on it), never a base an increment still needs.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{BackupOptions, BackupReport, Manifest, Prepared, Progress};
use crate::core::session::Session;
use crate::model::error::{Error, Result};

/// A backup found in a folder.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub path: PathBuf,
    pub id: String,
    pub base: Option<String>,
    pub created_at: String,
    pub bytes: u64,
}

/// The backups of library `library_id` in `dir` (files that are not Dangan backups, or of
/// another library, are left out), oldest first.
pub fn list(dir: &Path, library_id: &str) -> Vec<Found> {
    let Ok(rd) = fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<Found> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tar"))
        .filter_map(|p| {
            let (m, _): (Manifest, String) = super::restore::read_manifest(&p).ok()?;
            (m.library_id == library_id).then(|| Found {
                bytes: fs::metadata(&p).map(|x| x.len()).unwrap_or(0),
                path: p,
                id: m.id,
                base: m.base.map(|b| b.id),
                created_at: m.created_at,
            })
        })
        .collect();
    out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.path.cmp(&b.path)));
    out
}

/// The files to delete so that only the newest `keep` full chains remain. An increment whose
/// chain cannot be traced to a full backup in the folder is never deleted.
pub fn to_remove(found: &[Found], keep: usize) -> Vec<PathBuf> {
    let by_id: HashMap<&str, &Found> = found.iter().map(|f| (f.id.as_str(), f)).collect();
    // Each backup's chain: the full backup at its root.
    let root = |f: &Found| -> Option<String> {
        let mut cur = f;
        for _ in 0..10_000 {
            match &cur.base {
                None => return Some(cur.id.clone()),
                Some(b) => cur = by_id.get(b.as_str())?,
            }
        }
        None
    };
    let fulls: Vec<&Found> = found.iter().filter(|f| f.base.is_none()).collect();
    let kept: std::collections::HashSet<&str> =
        fulls.iter().rev().take(keep.max(1)).map(|f| f.id.as_str()).collect();
    found
        .iter()
        .filter(|f| root(f).is_some_and(|r| !kept.contains(r.as_str())))
        .map(|f| f.path.clone())
        .collect()
}

/// The file name of a backup made now.
pub fn file_name(incremental: bool) -> String {
    let at = chrono::Local::now().format("%Y%m%d-%H%M%S");
    if incremental { format!("dangan-{at}-inc.tar") } else { format!("dangan-{at}.tar") }
}

/// How to back up into a folder.
#[derive(Debug, Clone)]
pub struct FolderOptions {
    pub dir: PathBuf,
    /// Full chains to keep (at least 1).
    pub keep: usize,
    /// Made on the newest backup in the folder, if there is one.
    pub incremental: bool,
}

impl Session {
    /// A backup into a folder, named by date and time, then the rotation: only the newest
    /// `keep` full chains stay.
    pub fn backup_to_folder(&mut self, o: &FolderOptions, progress: Progress<'_>) -> Result<BackupReport> {
        let prepared = self.prepare_folder_backup(o)?;
        let written = prepared.write(progress)?;
        let mut report = self.record_backup(written)?;
        report.removed = rotate(&o.dir, &self.lib.library_id()?, o.keep);
        Ok(report)
    }

    /// The first step of a backup into a folder: its name, its base (the newest backup there
    /// when incremental), the database copy.
    pub fn prepare_folder_backup(&mut self, o: &FolderOptions) -> Result<Prepared> {
        self.require(crate::model::permission::Permission::Maintain)?;
        if !o.dir.is_dir() {
            fs::create_dir_all(&o.dir)
                .map_err(|_| Error::missing("backup-out-folder-missing").arg("path", o.dir.display()))?;
        }
        let library_id = self.lib.library_id()?;
        let found = list(&o.dir, &library_id);
        // An increment on the newest backup, unless the newest full one is a week old or more.
        let week_ago = (chrono::Utc::now() - chrono::Duration::days(crate::model::backup::FULL_EVERY_DAYS))
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string();
        let fresh_full =
            found.iter().rev().find(|f| f.base.is_none()).is_some_and(|f| f.created_at > week_ago);
        let base = if o.incremental && fresh_full { found.last().map(|f| f.path.clone()) } else { None };
        let mut out = o.dir.join(file_name(base.is_some()));
        // Two backups in one second: a suffix.
        let mut n = 1;
        while out.exists() {
            n += 1;
            let stem = file_name(base.is_some()).trim_end_matches(".tar").to_string();
            out = o.dir.join(format!("{stem}-{n}.tar"));
        }
        self.prepare_backup(&BackupOptions { out, base })
    }
}

/// Deletes what [`to_remove`] names in `dir`; returns what was deleted.
pub fn rotate(dir: &Path, library_id: &str, keep: usize) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for p in to_remove(&list(dir, library_id), keep) {
        match fs::remove_file(&p) {
            Ok(()) => removed.push(p),
            Err(e) => tracing::warn!(path = %p.display(), error = %e, "could not remove an old backup"),
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(id: &str, base: Option<&str>, at: &str) -> Found {
        Found {
            path: PathBuf::from(format!("{id}.tar")),
            id: id.into(),
            base: base.map(str::to_string),
            created_at: at.into(),
            bytes: 0,
        }
    }

    #[test]
    fn rotation_keeps_the_newest_chains_and_every_base_they_need() {
        let found = vec![
            f("a", None, "1"),
            f("a1", Some("a"), "2"),
            f("b", None, "3"),
            f("b1", Some("b"), "4"),
            f("b2", Some("b1"), "5"),
            f("c", None, "6"),
            f("x1", Some("gone"), "7"),
        ];
        let removed = to_remove(&found, 2);
        assert_eq!(removed, vec![PathBuf::from("a.tar"), PathBuf::from("a1.tar")]);
        let removed = to_remove(&found, 1);
        assert_eq!(removed.len(), 5, "{removed:?}");
        assert!(!removed.contains(&PathBuf::from("x1.tar")), "an orphan increment is left alone");
        assert!(!removed.contains(&PathBuf::from("c.tar")));
    }
}
