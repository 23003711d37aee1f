//! OCR in the background while the app is open: one page at a time, the engine run on a thread
//! of its own *without* the session (a page takes a second or more; the clerk's searches and
//! saves go on meanwhile), its text stored in a short write. Without an engine the inbox says
//! OCR is off and why.

use std::sync::Arc;
use std::time::Duration;

use iced::{Subscription, Task};

use crate::core::scans::ocr::OcrEngine;
use crate::core::scans::ocr::{OcrJob, OcrStatus};
use crate::gui::backend::{Backend, Failure, blocking};
use crate::i18n::Tr;

/// How often an idle worker looks for new pages.
pub const OCR_EVERY: Duration = Duration::from_secs(3);

/// The engine, shareable with worker threads.
#[derive(Clone)]
pub struct Engine(pub Arc<dyn OcrEngine>);

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({})", self.0.name())
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    /// The engine this machine has, or why OCR is off.
    Found(Result<Engine, String>),
    Tick,
    Taken(Result<Option<OcrJob>, Failure>),
    Recognised(Box<OcrJob>, Result<String, String>),
    Stored(Result<OcrStatus, Failure>),
}

#[derive(Debug, Default)]
pub struct OcrWorker {
    pub engine: Option<Engine>,
    /// Why OCR is off (`no_engine`, `no_chinese`), once looked for.
    pub off: Option<String>,
    pub status: Option<OcrStatus>,
    busy: bool,
    /// The last failure of the worker itself (not of a page).
    pub error: Option<String>,
}

impl OcrWorker {
    /// Looks for the engine (a quick run of `tesseract --version` off the UI thread).
    pub fn find(&self) -> Task<Message> {
        blocking(
            || crate::core::scans::ocr::engine().map(|e| Engine(Arc::from(e))),
            |r| Message::Found(r.unwrap_or_else(|| Err("no_engine".into()))),
        )
    }

    pub fn update(&mut self, message: Message, backend: &Backend) -> Task<Message> {
        match message {
            Message::Found(Ok(e)) => {
                self.engine = Some(e);
                self.off = None;
                return self.next(backend);
            }
            Message::Found(Err(reason)) => {
                self.engine = None;
                self.off = Some(reason);
                let off = self.off.clone();
                return backend.run(move |s| s.ocr_status(None, off.as_deref()), Message::Stored);
            }
            Message::Tick => return self.next(backend),
            Message::Taken(Ok(Some(job))) => {
                let Some(engine) = self.engine.clone() else {
                    self.busy = false;
                    return Task::none();
                };
                return blocking(
                    move || {
                        let text =
                            job.page.as_ref().map_err(Clone::clone).and_then(|g| engine.0.recognise(g));
                        (Box::new(job), text)
                    },
                    |r| match r {
                        Some((job, text)) => Message::Recognised(job, text),
                        None => {
                            Message::Stored(Err(Failure::internal("app-work-stopped", Default::default())))
                        }
                    },
                );
            }
            Message::Taken(Ok(None)) => {
                self.busy = false;
                if let Some(st) = &mut self.status {
                    st.pending = 0;
                }
            }
            Message::Taken(Err(f)) | Message::Stored(Err(f)) => {
                self.busy = false;
                self.error = Some(f.message);
            }
            Message::Recognised(job, text) => {
                let name = self.engine.as_ref().map(|e| e.0.name()).unwrap_or_default();
                let engine = self.engine.clone();
                return backend.run(
                    move |s| {
                        s.ocr_store(&job, &name, text)?;
                        s.ocr_status(engine.as_ref().map(|e| e.0.as_ref()), None)
                    },
                    Message::Stored,
                );
            }
            Message::Stored(Ok(st)) => {
                self.busy = false;
                self.error = None;
                let more = st.pending > 0 && self.engine.is_some();
                self.status = Some(st);
                // Straight on to the next page while there are some.
                if more {
                    return self.next(backend);
                }
            }
        }
        Task::none()
    }

    fn next(&mut self, backend: &Backend) -> Task<Message> {
        if self.busy || self.engine.is_none() {
            return Task::none();
        }
        self.busy = true;
        backend.run(|s| s.ocr_take(), Message::Taken)
    }

    /// The idle worker's tick, while there is an engine.
    pub fn subscription(&self) -> Subscription<Message> {
        if self.engine.is_some() { Subscription::run(ticks) } else { Subscription::none() }
    }

    /// One line for the inbox screen: on (with the queue) or off (and why).
    pub fn line(&self, tr: &Tr) -> Option<String> {
        match (&self.engine, self.off.as_deref()) {
            (Some(_), _) => {
                let st = self.status.as_ref()?;
                Some(tr.ta(
                    "ocr-gui-on",
                    &[
                        ("pending", &st.pending.to_string()),
                        ("done", &st.done.to_string()),
                        ("failed", &st.failed.to_string()),
                    ],
                ))
            }
            (None, Some("no_chinese")) => Some(tr.t("ocr-off-no-chinese")),
            (None, Some(_)) => Some(tr.t("ocr-off-no-engine")),
            (None, None) => None,
        }
    }
}

fn ticks() -> iced::futures::channel::mpsc::UnboundedReceiver<Message> {
    let (tx, rx) = iced::futures::channel::mpsc::unbounded();
    let spawned = std::thread::Builder::new().name("dangan-ocr-timer".into()).spawn(move || {
        loop {
            std::thread::sleep(OCR_EVERY);
            if tx.unbounded_send(Message::Tick).is_err() {
                return;
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start the OCR timer");
    }
    rx
}
