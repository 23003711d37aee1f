//! The one error type of the domain. An error is data: a [`ErrorKind`] (which the CLI maps to
//! an exit status and the GUI to the kind of message it shows), a message key and its
//! arguments ([`Message`]). The sentences live in the translations (`assets/i18n/*/errors.ftl`)
//! and are rendered by the front end in the user's language (`i18n::Tr::error`).

use std::fmt;
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

/// A message key and its named arguments, rendered by the front end in the user's language.
/// A key may have a `-cli` variant in the translations that the command line prefers (it may
/// name flags; the GUI's text never does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Message {
    /// The key of a message given as text that no translation covers (see [`Message::untranslated`]).
    pub const UNTRANSLATED: &'static str = "untranslated";

    pub fn new(key: &'static str) -> Message {
        Message { key, args: Vec::new() }
    }

    /// Adds the argument `name`.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args.push((name, value.to_string()));
        self
    }

    /// A sentence written in code, shown as it is in every language. Only a fallback for code
    /// that has no key yet: give it a key in `errors.ftl`.
    pub fn untranslated(text: impl Into<String>) -> Message {
        Message::new(Message::UNTRANSLATED).arg("text", text.into())
    }

    /// The argument `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
}

/// A literal is a key (`Error::io("io-lock-file", e)`); a `String` is untranslated text.
impl From<&'static str> for Message {
    fn from(key: &'static str) -> Message {
        Message::new(key)
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::untranslated(text)
    }
}

/// Language-neutral, for logs: the untranslated text, or `key (name=value, …)`.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key == Message::UNTRANSLATED {
            return f.write_str(self.get("text").unwrap_or_default());
        }
        f.write_str(self.key)?;
        if !self.args.is_empty() {
            let args: Vec<String> = self.args.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
            write!(f, " ({})", args.join(", "))?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is wrong.
    #[error("{0}")]
    Invalid(Message),

    #[error(transparent)]
    Id(#[from] IdError),

    #[error("{0}")]
    NotFound(Message),

    /// An empty `existing` is a confidential dossier the user may not see: neither its number
    /// nor its name is given ([`Error::duplicate_hidden`]).
    #[error("duplicate of dossier {existing} ({existing_name}): {reason:?}")]
    Duplicate { reason: DuplicateReason, existing: String, existing_name: String },

    #[error("{0}")]
    Refused(Message),

    /// `role` is the role's code (`admin`…), `action` a message key naming what was refused.
    #[error("permission denied: {user} ({role}) may not {action}")]
    Denied { user: String, role: &'static str, action: &'static str },

    /// The reason is a key (`login-unknown-user`, `login-wrong-password`, …).
    #[error("login failed: {0}")]
    Login(Message),

    #[error("library {} in use by {holder}", .path.display())]
    Locked { path: PathBuf, holder: String },

    #[error("library {} has schema {found}, newer than {supported}", .path.display())]
    NewerLibrary { path: PathBuf, found: i64, supported: i64 },

    #[error("no library at {}", .0.display())]
    NoLibrary(PathBuf),

    #[error("library folder {} is read-only: {detail}", .path.display())]
    ReadOnly { path: PathBuf, detail: String },

    #[error("library database {} is damaged: {detail}", .path.display())]
    Corrupt { path: PathBuf, detail: String },

    /// `context` says what was being done (a key, or untranslated text).
    #[error("{context}: {source}")]
    Io { context: Message, source: std::io::Error },

    /// A failure of the disk or the database that the front end says in one sentence, with what
    /// to do (`database-disk-full`, `database-io-error`…): a message key and its arguments.
    #[error("{0}")]
    Failed(Message),

    /// A database failure that is none of the above (`store` turns SQLite's errors into this).
    #[error("database error: {0}")]
    Db(String),

    #[error("cancelled")]
    Cancelled,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_) | Error::Id(_) => ErrorKind::Usage,
            Error::NotFound(_) | Error::NoLibrary(_) => ErrorKind::NotFound,
            Error::Duplicate { .. }
            | Error::Refused(_)
            | Error::Locked { .. }
            | Error::NewerLibrary { .. } => ErrorKind::Refused,
            Error::Denied { .. } | Error::Login(_) => ErrorKind::Denied,
            Error::ReadOnly { .. }
            | Error::Corrupt { .. }
            | Error::Io { .. }
            | Error::Db(_)
            | Error::Failed(_)
            | Error::Cancelled => ErrorKind::Failure,
        }
    }

    /// A duplicate of a dossier the user may not see (confidential): it names none.
    pub fn duplicate_hidden(&self) -> bool {
        matches!(self, Error::Duplicate { existing, .. } if existing.is_empty())
    }

    /// Wrong input, by message key: `Error::usage("edit-nothing")`.
    pub fn usage(key: &'static str) -> Self {
        Error::Invalid(Message::new(key))
    }

    /// Refused because of state or conflict, by message key.
    pub fn conflict(key: &'static str) -> Self {
        Error::Refused(Message::new(key))
    }

    /// A failure of the disk or the database, by message key (exit status 1).
    pub fn failed(key: &'static str) -> Self {
        Error::Failed(Message::new(key))
    }

    /// Something named does not exist, by message key.
    pub fn missing(key: &'static str) -> Self {
        Error::NotFound(Message::new(key))
    }

    /// Adds an argument to the message of a [`Error::usage`], [`Error::conflict`],
    /// [`Error::missing`] or login error (other errors carry their data in fields).
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        match &mut self {
            Error::Invalid(m)
            | Error::NotFound(m)
            | Error::Refused(m)
            | Error::Login(m)
            | Error::Failed(m) => {
                m.args.push((name, value.to_string()));
            }
            Error::Io { context, .. } => context.args.push((name, value.to_string())),
            _ => {}
        }
        self
    }

    /// Wrong input described by text without a key: shown as it is in every language.
    /// Prefer [`Error::usage`] with a key in `errors.ftl`.
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(Message::untranslated(msg))
    }

    /// A refusal described by text without a key: shown as it is in every language.
    /// Prefer [`Error::conflict`] with a key in `errors.ftl`.
    pub fn refused(msg: impl Into<String>) -> Self {
        Error::Refused(Message::untranslated(msg))
    }

    /// "`what` `key` not found. `hint`" without a key: shown as it is in every language.
    /// Prefer [`Error::missing`] with a key in `errors.ftl`.
    pub fn not_found(what: &'static str, key: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::NotFound(Message::untranslated(format!("{what} {} not found. {}", key.into(), hint.into())))
    }

    /// An I/O failure while doing `context` (a key, or untranslated text).
    pub fn io(context: impl Into<Message>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }

    /// The message key and arguments of this error, for the front end to render.
    pub fn message(&self) -> Message {
        match self {
            Error::Invalid(m) | Error::NotFound(m) | Error::Refused(m) | Error::Failed(m) => m.clone(),
            Error::Id(e) => e.message(),
            Error::Duplicate { reason, existing, .. } if existing.is_empty() => Message::new(match reason {
                DuplicateReason::SameIdNumber => "duplicate-id-number-hidden",
                DuplicateReason::SameNameAndPhone => "duplicate-name-phone-hidden",
            }),
            Error::Duplicate { reason, existing, existing_name } => Message::new(match reason {
                DuplicateReason::SameIdNumber => "duplicate-id-number",
                DuplicateReason::SameNameAndPhone => "duplicate-name-phone",
            })
            .arg("dossier", existing)
            .arg("name", existing_name),
            Error::Denied { user, role, action } => {
                Message::new("denied").arg("user", user).arg("role", role).arg("action", action)
            }
            Error::Login(m) => m.clone(),
            Error::Locked { path, holder } => {
                Message::new("library-locked").arg("path", path.display()).arg("holder", holder)
            }
            Error::NewerLibrary { path, found, supported } => Message::new("library-newer")
                .arg("path", path.display())
                .arg("found", found)
                .arg("supported", supported),
            Error::NoLibrary(path) => Message::new("library-missing").arg("path", path.display()),
            Error::ReadOnly { path, detail } => {
                Message::new("library-read-only").arg("path", path.display()).arg("detail", detail)
            }
            Error::Corrupt { path, detail } => {
                Message::new("library-damaged").arg("path", path.display()).arg("detail", detail)
            }
            // The front end renders the context (itself a message) first: see `Tr::error`.
            Error::Io { context, source } => {
                Message::new("io-failed").arg("context", context).arg("detail", source)
            }
            Error::Db(detail) => Message::new("database-failed").arg("detail", detail),
            Error::Cancelled => Message::new("cancelled"),
        }
    }
}
