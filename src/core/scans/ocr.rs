//! The OCR queue: every imported page is queued (in SQLite, so the queue survives restarts);
//! whoever has an engine works through it — `scan ocr`, or the app in the background — and the
//! text goes to the page and, through the change log, into its dossier's search record. The
//! text is derived data (like the search index): it is not audited, and it never blocks an
//! import.

use serde::Serialize;

use crate::core::session::Session;
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
pub use crate::scan::ocr::OcrEngine;
use crate::store;

/// Tries before a page is left as failed.
pub const MAX_TRIES: i64 = 3;

/// The longer side a page is given to the engine at (about 300 dpi for A4).
const OCR_SIDE: u32 = 3500;

/// Where the queue stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OcrStatus {
    /// The engine's name, or `None`: OCR is off.
    pub engine: Option<String>,
    /// Why it is off (`no_engine`, `no_chinese`).
    pub off_reason: Option<String>,
    pub pending: i64,
    pub failed: i64,
    pub done: i64,
}

/// A page taken from the queue, rendered for the engine.
#[derive(Debug, Clone)]
pub struct OcrJob {
    pub page_id: i64,
    pub tries: i64,
    pub page: std::result::Result<image::GrayImage, String>,
}

/// One page's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OcrOutcome {
    pub page_id: i64,
    pub chars: usize,
    pub error: Option<String>,
}

/// The engine this machine has, or why OCR is off.
pub fn engine() -> std::result::Result<Box<dyn OcrEngine>, String> {
    match crate::scan::ocr::Tesseract::find() {
        Ok(t) => Ok(Box::new(t)),
        Err(crate::scan::ocr::OcrOff::NoEngine) => Err("no_engine".into()),
        Err(crate::scan::ocr::OcrOff::NoChinese) => Err("no_chinese".into()),
    }
}

impl Session {
    pub fn ocr_status(
        &mut self,
        engine: Option<&dyn OcrEngine>,
        off_reason: Option<&str>,
    ) -> Result<OcrStatus> {
        self.require(Permission::ReadDossiers)?;
        let (pending, failed, done) = self.lib.db.read(|tx| store::scans::ocr_counts(tx))?;
        Ok(OcrStatus {
            engine: engine.map(|e| e.name()),
            off_reason: off_reason.map(str::to_string),
            pending,
            failed,
            done,
        })
    }

    /// Puts failed pages back in the queue.
    pub fn ocr_retry_failed(&mut self) -> Result<i64> {
        self.require(Permission::WriteDossiers)?;
        self.require_write_access()?;
        self.lib.write(|tx| store::scans::ocr_retry_failed(tx))
    }

    /// Recognises the next page in the queue, if any: the engine runs outside any transaction,
    /// then one short write stores the text (or the failure). `None` when the queue is empty.
    pub fn ocr_next(&mut self, engine: &dyn OcrEngine) -> Result<Option<OcrOutcome>> {
        let Some(job) = self.ocr_take()? else { return Ok(None) };
        let recognised = job.page.as_ref().map_err(Clone::clone).and_then(|g| engine.recognise(g));
        self.ocr_store(&job, &engine.name(), recognised).map(Some)
    }

    /// The next page to recognise, rendered for the engine (a failure to render is kept in the
    /// job and stored as the page's failure). The app runs the engine between this and
    /// [`Session::ocr_store`] without holding the session.
    pub fn ocr_take(&mut self) -> Result<Option<OcrJob>> {
        self.require(Permission::WriteDossiers)?;
        self.require_write_access()?;
        let Some((page_id, tries)) = self.lib.db.read(|tx| store::scans::ocr_next(tx))? else {
            return Ok(None);
        };
        let page = (|| -> std::result::Result<image::GrayImage, String> {
            let page = self
                .lib
                .db
                .read(|tx| store::scans::page(tx, page_id))
                .map_err(|e| e.to_string())?
                .ok_or("the page is gone")?;
            let bytes = super::blobs::Blobs::new(&self.lib.paths().files)
                .read(&page.sha256)
                .map_err(|e| e.to_string())?;
            let file = crate::scan::ScanFile::open(bytes, &self.scan_limits()).map_err(|r| r.to_string())?;
            let gray = file.gray((page.page_no - 1) as usize, Some(OCR_SIDE)).map_err(|r| r.to_string())?;
            Ok(match page.rotation {
                90 => image::imageops::rotate90(&gray),
                180 => image::imageops::rotate180(&gray),
                270 => image::imageops::rotate270(&gray),
                _ => gray,
            })
        })();
        Ok(Some(OcrJob { page_id, tries, page }))
    }

    /// Stores what the engine made of a job's page: its text, or the failure (three failures
    /// and the page is left as failed).
    pub fn ocr_store(
        &mut self,
        job: &OcrJob,
        engine: &str,
        recognised: std::result::Result<String, String>,
    ) -> Result<OcrOutcome> {
        self.require(Permission::WriteDossiers)?;
        self.require_write_access()?;
        let at = crate::core::now();
        let page_id = job.page_id;
        let tries = job.tries;
        let outcome = match &recognised {
            Ok(text) => OcrOutcome { page_id, chars: text.chars().count(), error: None },
            Err(e) => OcrOutcome { page_id, chars: 0, error: Some(e.clone()) },
        };
        self.lib.write(|tx| match &recognised {
            Ok(text) => {
                store::scans::set_text(tx, page_id, engine, text, &at)?;
                store::scans::ocr_done(tx, page_id)
            }
            Err(e) => store::scans::ocr_failed(tx, page_id, tries + 1, tries + 1 >= MAX_TRIES, e, &at),
        })?;
        if let Err(e) = &recognised {
            tracing::warn!(page = page_id, error = %e, "OCR failed");
        }
        Ok(outcome)
    }

    /// Works through the queue (`scan ocr`): at most `limit` pages; `progress(done, left)`
    /// after each, returning `false` to stop.
    pub fn ocr_run(
        &mut self,
        engine: &dyn OcrEngine,
        limit: usize,
        mut progress: impl FnMut(usize, i64, &OcrOutcome) -> bool,
    ) -> Result<Vec<OcrOutcome>> {
        let mut out = Vec::new();
        while out.len() < limit {
            let Some(o) = self.ocr_next(engine)? else { break };
            let left = self.lib.db.read(|tx| store::scans::ocr_counts(tx))?.0;
            let go_on = progress(out.len() + 1, left, &o);
            out.push(o);
            if !go_on {
                break;
            }
        }
        Ok(out)
    }
}

/// The error when OCR is asked for and is off.
pub fn off_error(reason: &str) -> Error {
    Error::failed(if reason == "no_chinese" { "ocr-off-no-chinese" } else { "ocr-off-no-engine" })
}
