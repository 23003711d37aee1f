//! Scanned attachments: importing files (by hand, from a hot folder, with a new document),
//! routing pages by cover sheet, the inbox, filing by hand, page images, and the library's scan
//! settings. The bytes go to the content-addressed store ([`blobs`]); what they are and where
//! each page is filed is in SQLite, written with its audit rows in one transaction per file.

pub mod blobs;
mod filing;
mod import;
pub mod ocr;
pub mod watch;

use std::path::PathBuf;

pub use filing::{FileInto, PageSel, parse_page_list};
pub(crate) use import::NewDoc;
pub use import::{Analysed, ImportOrigin, analyse_bytes, analyse_path, unreadable_report};
pub use watch::{HotFolder, WatchEvent, WatchOptions};

use crate::core::session::Session;
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::model::scans::{MAX_BLANK_THRESHOLD, Page, ScanSettings, StoredFile};
use crate::scan::Limits;
use crate::store;

/// A page image's longest side for thumbnails (cached under `thumbs/`).
pub const THUMB_SIDE: u32 = 240;

/// Changes to the scan settings; `None` keeps a value.
#[derive(Debug, Clone, Default)]
pub struct SettingsChanges {
    pub keep_cover: Option<bool>,
    pub blank_threshold: Option<f64>,
    pub deadline_hours: Option<i64>,
}

/// A dossier's scanned pages, by document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DossierPages {
    pub dossier: String,
    pub pages: Vec<Page>,
}

/// A page rendered for the eye.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub width: u32,
    pub height: u32,
    /// RGBA, row by row.
    pub rgba: Vec<u8>,
}

/// Where an unscanned dossier stands against the scanning deadline
/// ([`ScanSettings::deadline_hours`] from its registration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanDeadline {
    Normal,
    /// In the last quarter of the time allowed.
    Warning,
    /// Past the deadline.
    Overdue,
}

impl ScanDeadline {
    /// The state `elapsed_ms` after registration, `deadline_hours` allowed.
    pub fn at(elapsed_ms: i64, deadline_hours: i64) -> ScanDeadline {
        let allowed = deadline_hours.max(1) * 3_600_000;
        if elapsed_ms > allowed {
            ScanDeadline::Overdue
        } else if elapsed_ms * 4 >= allowed * 3 {
            ScanDeadline::Warning
        } else {
            ScanDeadline::Normal
        }
    }
}

/// An open dossier whose papers are registered and none of them scanned (待扫描).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnscannedDossier {
    pub dossier: String,
    /// `***` for a confidential dossier the user may not see.
    pub name: String,
    pub registered_at: String,
    /// When its papers should be scanned by.
    pub due_at: String,
    pub documents: i64,
    pub state: ScanDeadline,
}

/// The 待扫描 queue: the oldest dossiers first, and the counts of the whole queue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnscannedList {
    pub total: i64,
    pub overdue: i64,
    pub warning: i64,
    pub deadline_hours: i64,
    pub dossiers: Vec<UnscannedDossier>,
}

/// The inbox, a page of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Inbox {
    pub total: i64,
    pub pages: Vec<Page>,
}

impl Session {
    pub fn scan_settings(&mut self) -> Result<ScanSettings> {
        self.require(Permission::ReadDossiers)?;
        store::scans::settings(self.lib.db.conn())
    }

    pub fn set_scan_settings(&mut self, ch: SettingsChanges) -> Result<ScanSettings> {
        if let Some(t) = ch.blank_threshold
            && !(0.0..=MAX_BLANK_THRESHOLD).contains(&t)
        {
            return Err(Error::usage("scan-blank-threshold").arg("value", t).arg("max", MAX_BLANK_THRESHOLD));
        }
        if let Some(h) = ch.deadline_hours
            && !(1..=24 * 90).contains(&h)
        {
            return Err(Error::usage("scan-deadline-hours").arg("value", h));
        }
        self.change(Permission::ManageConfig, |tx, audit| {
            let before = store::scans::settings(tx)?;
            let after = ScanSettings {
                keep_cover: ch.keep_cover.unwrap_or(before.keep_cover),
                blank_threshold: ch.blank_threshold.unwrap_or(before.blank_threshold),
                deadline_hours: ch.deadline_hours.unwrap_or(before.deadline_hours),
            };
            if after != before {
                store::scans::set_settings(tx, &after)?;
                audit.log(
                    tx,
                    crate::core::session::Change {
                        action: "update",
                        entity: "scan_settings",
                        entity_id: "scan",
                        dossier: None,
                        before: crate::core::session::to_json(&before),
                        after: crate::core::session::to_json(&after),
                    },
                )?;
            }
            Ok(after)
        })
    }

    /// The limits files are checked against.
    pub fn scan_limits(&self) -> Limits {
        Limits::default()
    }

    /// A dossier's scanned pages, in document order (confidential: for those who may see it).
    pub fn dossier_pages(&mut self, dossier: &str) -> Result<DossierPages> {
        self.require(Permission::ReadDossiers)?;
        let (c, _) = self.lib.db.read(|tx| crate::core::customers::load_customer(tx, dossier))?;
        self.guard_confidential(&c)?;
        let pages = self.lib.db.read(|tx| store::scans::pages_of_customer(tx, c.id))?;
        Ok(DossierPages { dossier: c.dossier, pages })
    }

    /// The inbox: pages waiting to be filed, oldest file first.
    pub fn inbox(&mut self, limit: i64, offset: i64) -> Result<Inbox> {
        self.require(Permission::WriteDossiers)?;
        self.lib.db.read(|tx| {
            Ok(Inbox {
                total: store::scans::inbox_count(tx)?,
                pages: store::scans::inbox(tx, limit.clamp(1, 10_000), offset.max(0))?,
            })
        })
    }

    /// Open dossiers with papers registered and none scanned, oldest first (at most `limit`),
    /// each with its deadline state; the counts cover the whole queue.
    pub fn unscanned(&mut self, limit: i64) -> Result<UnscannedList> {
        self.require(Permission::ReadDossiers)?;
        let may_see = self.may(Permission::ViewConfidential);
        let now = chrono::Utc::now();
        let stamp = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
        self.lib.db.read(|tx| {
            let settings = store::scans::settings(tx)?;
            let hours = settings.deadline_hours.max(1);
            let allowed = chrono::Duration::hours(hours);
            let (rows, total) = store::scans::unscanned(tx, limit.clamp(1, 10_000))?;
            let overdue = store::scans::unscanned_before(tx, &stamp(now - allowed))?;
            // The warning starts with the last quarter of the time allowed.
            let warned = store::scans::unscanned_before(tx, &stamp(now - allowed * 3 / 4))?;
            let dossiers = rows
                .into_iter()
                .map(|u| {
                    let registered = chrono::DateTime::parse_from_rfc3339(&u.created_at)
                        .map(|t| t.with_timezone(&chrono::Utc))
                        .unwrap_or(now);
                    let state = ScanDeadline::at((now - registered).num_milliseconds(), hours);
                    UnscannedDossier {
                        dossier: u.dossier,
                        name: if u.confidential && !may_see { "***".into() } else { u.name },
                        due_at: stamp(registered + allowed),
                        registered_at: u.created_at,
                        documents: u.documents,
                        state,
                    }
                })
                .collect();
            Ok(UnscannedList { total, overdue, warning: warned - overdue, deadline_hours: hours, dossiers })
        })
    }

    /// One page (filed pages: for those who may see their dossier).
    pub fn page(&mut self, id: i64) -> Result<Page> {
        self.require(Permission::ReadDossiers)?;
        let page = self
            .lib
            .db
            .read(|tx| store::scans::page(tx, id))?
            .ok_or_else(|| Error::missing("scan-page-not-found").arg("id", id))?;
        match &page.dossier {
            Some(d) => {
                let (c, _) = self.lib.db.read(|tx| crate::core::customers::load_customer(tx, d))?;
                self.guard_confidential(&c)?;
            }
            None => self.require(Permission::WriteDossiers)?,
        }
        Ok(page)
    }

    /// A stored file's record.
    pub fn stored_file(&mut self, id: i64) -> Result<StoredFile> {
        self.require(Permission::ReadDossiers)?;
        self.lib
            .db
            .read(|tx| store::scans::file(tx, id))?
            .ok_or_else(|| Error::missing("scan-file-not-found").arg("id", id))
    }

    /// A page as pixels, turned by its rotation, its longer side at most `max_side` (thumbnails
    /// of [`THUMB_SIDE`] are cached under `thumbs/`, derived data that can be deleted).
    pub fn page_image(&mut self, id: i64, max_side: u32) -> Result<PageImage> {
        let page = self.page(id)?;
        let thumbs = self.lib.paths().root.join("thumbs");
        let cache = (max_side <= THUMB_SIDE).then(|| {
            thumbs.join(&page.sha256[..2]).join(format!("{}-{}-{max_side}.png", page.sha256, page.page_no))
        });
        let rgba = match cache.as_ref().and_then(|p| image::open(p).ok()) {
            Some(img) => img.to_rgba8(),
            None => {
                let bytes = blobs::Blobs::new(&self.lib.paths().files).read(&page.sha256)?;
                let file = crate::scan::ScanFile::open(bytes, &self.scan_limits())
                    .map_err(|r| import::refusal_error(&r, &page.file_name))?;
                let img = file
                    .rgba((page.page_no - 1) as usize, Some(max_side))
                    .map_err(|r| import::refusal_error(&r, &page.file_name))?;
                if let Some(p) = &cache
                    && let Some(dir) = p.parent()
                    && std::fs::create_dir_all(dir).is_ok()
                {
                    // A cache: a failure to write it only costs the next render.
                    let tmp = p.with_extension(format!("{}.tmp", std::process::id()));
                    if img.save_with_format(&tmp, image::ImageFormat::Png).is_ok() {
                        let _ = std::fs::rename(&tmp, p);
                    }
                }
                img
            }
        };
        let turned = match page.rotation {
            90 => image::imageops::rotate90(&rgba),
            180 => image::imageops::rotate180(&rgba),
            270 => image::imageops::rotate270(&rgba),
            _ => rgba,
        };
        let (width, height) = turned.dimensions();
        Ok(PageImage { width, height, rgba: turned.into_raw() })
    }

    /// Where a stored file's original bytes are (read them, never write them), and the name
    /// and extension it came with — for "open the original".
    pub fn original(&mut self, file_id: i64) -> Result<(PathBuf, StoredFile)> {
        let f = self.stored_file(file_id)?;
        // Filed pages of a confidential dossier: only for those who may see it.
        let dossiers = self.lib.db.read(|tx| store::scans::dossiers_of_file(tx, file_id))?;
        for d in dossiers {
            let (c, _) = self.lib.db.read(|tx| crate::core::customers::load_customer(tx, &d))?;
            self.guard_confidential(&c)?;
        }
        let path = blobs::Blobs::new(&self.lib.paths().files).path(&f.sha256);
        if !path.is_file() {
            return Err(Error::missing("scan-original-missing").arg("file", &f.original_name));
        }
        Ok((path, f))
    }
}

#[cfg(test)]
mod tests {
    use super::ScanDeadline;

    #[test]
    fn the_last_quarter_of_the_deadline_warns_and_past_it_is_overdue() {
        let h = 3_600_000;
        assert_eq!(ScanDeadline::at(0, 48), ScanDeadline::Normal);
        assert_eq!(ScanDeadline::at(35 * h, 48), ScanDeadline::Normal);
        assert_eq!(ScanDeadline::at(36 * h, 48), ScanDeadline::Warning);
        assert_eq!(ScanDeadline::at(48 * h, 48), ScanDeadline::Warning);
        assert_eq!(ScanDeadline::at(48 * h + 1, 48), ScanDeadline::Overdue);
    }
}
