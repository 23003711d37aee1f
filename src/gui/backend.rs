//! The core, off the UI thread. The logged-in [`Session`] lives behind a mutex; each request
//! runs on its own short-lived thread and comes back to `update` as a message, so `update` and
//! `view` never wait for SQLite or the index.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use iced::Task;
use iced::futures::channel::oneshot;

use crate::core::Session;
use crate::i18n::{Language, Tr};

/// An error as the GUI shows it: the core's message rendered in the app's language (never
/// naming command-line flags), its kind and key, and whether it was a duplicate warning.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub message: String,
    pub kind: crate::core::ErrorKind,
    /// The message key (`login-wrong`, `duplicate-id-number`, …).
    pub key: &'static str,
    /// For a duplicate: the existing dossier and why.
    pub duplicate: Option<Duplicate>,
}

/// The dossier that already holds a duplicate's ID number (never saved anyway), or the same
/// name and phone (saved anyway if the clerk says so). `hidden`: a confidential dossier the
/// user may not see; `dossier` and `name` are empty and nothing offers to open it.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    pub reason: crate::model::error::DuplicateReason,
    pub dossier: String,
    pub name: String,
    pub hidden: bool,
}

/// In the default language (Chinese), for code that has no language at hand; prefer
/// [`Failure::new`].
impl From<crate::core::Error> for Failure {
    fn from(e: crate::core::Error) -> Failure {
        Failure::new(&e, Language::default())
    }
}

impl Failure {
    /// The core's error, rendered in `language` (on the worker thread, off `update`).
    pub fn new(e: &crate::core::Error, language: Language) -> Failure {
        let duplicate = match e {
            crate::core::Error::Duplicate { reason, existing, existing_name } => Some(Duplicate {
                reason: *reason,
                dossier: existing.clone(),
                name: existing_name.clone(),
                hidden: e.duplicate_hidden(),
            }),
            _ => None,
        };
        Failure { message: Tr::new(language).error(e), kind: e.kind(), key: e.message().key, duplicate }
    }

    /// A failure of the app itself (a worker thread gone, a poisoned lock), not of the core:
    /// `key` is a message key (`app-…`).
    pub fn internal(key: &'static str, language: Language) -> Failure {
        Failure {
            message: Tr::new(language).t(key),
            kind: crate::core::ErrorKind::Failure,
            key,
            duplicate: None,
        }
    }
}

/// Runs a blocking closure on a new thread; the task yields its result (`None` if the thread
/// died before answering).
pub fn blocking<T, M>(
    f: impl FnOnce() -> T + Send + 'static,
    map: impl FnOnce(Option<T>) -> M + Send + 'static,
) -> Task<M>
where
    T: Send + 'static,
    M: Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    let spawned = std::thread::Builder::new().name("dangan-work".into()).spawn(move || {
        let _ = tx.send(f());
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start a worker thread");
    }
    Task::perform(rx, move |r| map(r.ok()))
}

/// The session for a job that takes it only when it needs it ([`Backend::run_shared`]).
pub struct SessionHandle(Arc<Mutex<Session>>);

impl SessionHandle {
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, crate::core::Error>,
    ) -> Result<T, crate::core::Error> {
        match self.0.lock() {
            Ok(mut s) => f(&mut s),
            Err(_) => Err(crate::core::Error::failed("app-poisoned")),
        }
    }
}

/// The logged-in session, shared with worker threads, and the language its errors are
/// rendered in.
#[derive(Clone)]
pub struct Backend {
    session: Arc<Mutex<Session>>,
    language: Arc<AtomicBool>,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Backend")
    }
}

impl Backend {
    pub fn new(session: Session, language: Language) -> Backend {
        let backend = Backend { session: Arc::new(Mutex::new(session)), language: Arc::default() };
        backend.set_language(language);
        backend
    }

    /// The language errors are rendered in from now on (the app's language changed).
    pub fn set_language(&self, language: Language) {
        self.language.store(language == Language::English, Ordering::Relaxed);
    }

    pub fn language(&self) -> Language {
        if self.language.load(Ordering::Relaxed) { Language::English } else { Language::Chinese }
    }

    /// Runs `f` with the session on a worker thread.
    pub fn run<T, M>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, crate::core::Error> + Send + 'static,
        map: impl FnOnce(Result<T, Failure>) -> M + Send + 'static,
    ) -> Task<M>
    where
        T: Send + 'static,
        M: Send + 'static,
    {
        let session = self.session.clone();
        let language = self.language();
        blocking(
            move || match session.lock() {
                Ok(mut s) => f(&mut s).map_err(|e| Failure::new(&e, language)),
                Err(_) => Err(Failure::internal("app-poisoned", language)),
            },
            move |r| map(r.unwrap_or_else(|| Err(Failure::internal("app-work-stopped", language)))),
        )
    }

    /// Runs a long job with the session on a worker thread; `f` reports progress through the
    /// callback it is given. The task yields each progress report, then the result.
    pub fn run_with_progress<T, M>(
        &self,
        f: impl FnOnce(&mut Session, &mut dyn FnMut(u64, u64)) -> Result<T, crate::core::Error> + Send + 'static,
        progress: impl Fn(u64, u64) -> M + Send + 'static,
        done: impl FnOnce(Result<T, Failure>) -> M + Send + 'static,
    ) -> Task<M>
    where
        T: Send + 'static,
        M: Send + 'static,
    {
        let (tx, rx) = iced::futures::channel::mpsc::unbounded::<M>();
        let session = self.session.clone();
        let language = self.language();
        let spawned = std::thread::Builder::new().name("dangan-job".into()).spawn(move || {
            let report = tx.clone();
            let result = match session.lock() {
                Ok(mut s) => f(&mut s, &mut |d, t| {
                    let _ = report.unbounded_send(progress(d, t));
                })
                .map_err(|e| Failure::new(&e, language)),
                Err(_) => Err(Failure::internal("app-poisoned", language)),
            };
            let _ = tx.unbounded_send(done(result));
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start a worker thread");
        }
        Task::stream(rx)
    }

    /// Runs a long job with the session on a worker thread; `f` reports whatever it likes
    /// (`P`) through the callback it is given. The task yields each report, then the result.
    pub fn run_reporting<T, P, M>(
        &self,
        f: impl FnOnce(&mut Session, &mut dyn FnMut(P)) -> Result<T, crate::core::Error> + Send + 'static,
        report: impl Fn(P) -> M + Send + 'static,
        done: impl FnOnce(Result<T, Failure>) -> M + Send + 'static,
    ) -> Task<M>
    where
        T: Send + 'static,
        P: 'static,
        M: Send + 'static,
    {
        let (tx, rx) = iced::futures::channel::mpsc::unbounded::<M>();
        let session = self.session.clone();
        let language = self.language();
        let spawned = std::thread::Builder::new().name("dangan-job".into()).spawn(move || {
            let sender = tx.clone();
            let result = match session.lock() {
                Ok(mut s) => f(&mut s, &mut |p| {
                    let _ = sender.unbounded_send(report(p));
                })
                .map_err(|e| Failure::new(&e, language)),
                Err(_) => Err(Failure::internal("app-poisoned", language)),
            };
            let _ = tx.unbounded_send(done(result));
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start a worker thread");
        }
        Task::stream(rx)
    }

    /// Runs a long job on a worker thread that takes the session only for the moments it needs
    /// it (`handle.with(…)`), so the clerk's searches and saves go on between them: an import
    /// analyses each file without the session and holds it only to store it.
    pub fn run_shared<T, P, M>(
        &self,
        f: impl FnOnce(&SessionHandle, &mut dyn FnMut(P)) -> Result<T, crate::core::Error> + Send + 'static,
        report: impl Fn(P) -> M + Send + 'static,
        done: impl FnOnce(Result<T, Failure>) -> M + Send + 'static,
    ) -> Task<M>
    where
        T: Send + 'static,
        P: 'static,
        M: Send + 'static,
    {
        let (tx, rx) = iced::futures::channel::mpsc::unbounded::<M>();
        let handle = SessionHandle(self.session.clone());
        let language = self.language();
        let spawned = std::thread::Builder::new().name("dangan-job".into()).spawn(move || {
            let sender = tx.clone();
            let result = f(&handle, &mut |p| {
                let _ = sender.unbounded_send(report(p));
            })
            .map_err(|e| Failure::new(&e, language));
            let _ = tx.unbounded_send(done(result));
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start a worker thread");
        }
        Task::stream(rx)
    }

    /// Runs `f` with the session now, on this thread (for tests and shutdown).
    pub fn now<T>(&self, f: impl FnOnce(&mut Session) -> T) -> Option<T> {
        self.session.lock().ok().map(|mut s| f(&mut s))
    }
}
