//! The one error type of the domain. Each variant knows its [`ErrorKind`], which the CLI maps
//! to an exit status and the GUI to the kind of message it shows.

use std::path::PathBuf;

use crate::model::ids::IdError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What sort of failure this is, independent of how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// I/O failure, corrupt data, an internal fault (exit 1).
    Failure,
    /// The input is wrong: a bad value, a missing argument (exit 2).
    Usage,
    /// The thing named does not exist (exit 3).
    NotFound,
    /// Refused because of state or conflict: a duplicate, a lock, a closed dossier (exit 4).
    Refused,
    /// The user may not do this, or could not log in (exit 5).
    Denied,
}

impl ErrorKind {
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Failure => 1,
            ErrorKind::Usage => 2,
            ErrorKind::NotFound => 3,
            ErrorKind::Refused => 4,
            ErrorKind::Denied => 5,
        }
    }
}

/// Why a new customer looks like one the library already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    /// The same ID number is already registered: always refused.
    SameIdNumber,
    /// The same normalised name and one of the same phones: refused unless forced.
    SameNameAndPhone,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Invalid(String),

    #[error(transparent)]
    Id(#[from] IdError),

    #[error("{what} {key} not found. {hint}")]
    NotFound { what: &'static str, key: String, hint: String },

    #[error("{}", duplicate_message(*.reason, .existing, .existing_name))]
    Duplicate { reason: DuplicateReason, existing: String, existing_name: String },

    #[error("{0}")]
    Refused(String),

    #[error(
        "permission denied (无权限): {user} is {role_article} {role} and may not {action}. \
         Ask an administrator to do it or to change your role."
    )]
    Denied { user: String, role: &'static str, role_article: &'static str, action: &'static str },

    #[error("login failed (登录失败): {0}")]
    Login(String),

    #[error(
        "the library at {} is in use by another Dangan process ({holder}). Close that program \
         or wait for it to finish; read-only commands (show, list, audit, verify) still work.",
        .path.display()
    )]
    Locked { path: PathBuf, holder: String },

    #[error(
        "the library at {} was written by a newer version of Dangan (schema {found}; this \
         program knows up to {supported}). Install the newer Dangan to open it; nothing was changed.",
        .path.display()
    )]
    NewerLibrary { path: PathBuf, found: i64, supported: i64 },

    #[error(
        "no library at {}. Create one with `dangan init --library {}`, or point --library or \
         DANGAN_LIBRARY at an existing library folder.",
        .0.display(), .0.display()
    )]
    NoLibrary(PathBuf),

    #[error(
        "the library folder {} cannot be written by this user ({detail}). Ask for write access \
         to the folder, or copy it to a writable disk and open the copy.",
        .path.display()
    )]
    ReadOnly { path: PathBuf, detail: String },

    #[error(
        "the library database {} is damaged or is not a Dangan library ({detail}). Nothing was \
         changed. Restore it from a backup (`dangan restore`), or open another library.",
        .path.display()
    )]
    Corrupt { path: PathBuf, detail: String },

    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },

    /// A database failure that is none of the above (`store` turns SQLite's errors into this).
    #[error("database error: {0}")]
    Db(String),

    #[error("cancelled")]
    Cancelled,
}

fn duplicate_message(reason: DuplicateReason, existing: &str, name: &str) -> String {
    match reason {
        DuplicateReason::SameIdNumber => format!(
            "duplicate (重复录入): this ID number is already registered in dossier {existing} \
             ({name}). One customer has one dossier: open {existing} instead."
        ),
        DuplicateReason::SameNameAndPhone => format!(
            "likely duplicate (疑似重复): dossier {existing} ({name}) has the same name and \
             phone. Open {existing} instead, or add --force if this really is another customer."
        ),
    }
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_) | Error::Id(_) => ErrorKind::Usage,
            Error::NotFound { .. } | Error::NoLibrary(_) => ErrorKind::NotFound,
            Error::Duplicate { .. }
            | Error::Refused(_)
            | Error::Locked { .. }
            | Error::NewerLibrary { .. } => ErrorKind::Refused,
            Error::Denied { .. } | Error::Login(_) => ErrorKind::Denied,
            Error::ReadOnly { .. }
            | Error::Corrupt { .. }
            | Error::Io { .. }
            | Error::Db(_)
            | Error::Cancelled => ErrorKind::Failure,
        }
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }

    pub fn refused(msg: impl Into<String>) -> Self {
        Error::Refused(msg.into())
    }

    pub fn not_found(what: &'static str, key: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::NotFound { what, key: key.into(), hint: hint.into() }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}
