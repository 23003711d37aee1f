//! Where things live: the default library folder, overrides, and portable mode. Paths are
//! decided here and nowhere else.

use std::path::{Path, PathBuf};

/// One application id everywhere: data directory, window id, `.desktop` file, metainfo.
pub const APP_ID: &str = "org.dangan.Dangan";

/// The environment variable naming a library folder.
pub const LIBRARY_ENV: &str = "DANGAN_LIBRARY";

/// A file beside the executable that turns on portable mode: the library is then the `library`
/// folder beside the executable (for records rooms that run Dangan from a USB drive).
pub const PORTABLE_MARKER: &str = "dangan-portable";

/// Where the library is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryLocation {
    pub path: PathBuf,
    pub source: LocationSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationSource {
    Flag,
    Env,
    Portable,
    Default,
}

impl LocationSource {
    pub fn describe(self) -> &'static str {
        match self {
            LocationSource::Flag => "from --library",
            LocationSource::Env => "from DANGAN_LIBRARY",
            LocationSource::Portable => "portable mode (beside the program)",
            LocationSource::Default => "the default location",
        }
    }
}

/// Resolves the library folder: `--library`, else `$DANGAN_LIBRARY`, else portable mode, else
/// the user's data directory.
pub fn library_location(flag: Option<&Path>) -> LibraryLocation {
    if let Some(p) = flag {
        return LibraryLocation { path: p.to_path_buf(), source: LocationSource::Flag };
    }
    if let Some(p) = std::env::var_os(LIBRARY_ENV).filter(|v| !v.is_empty()) {
        return LibraryLocation { path: PathBuf::from(p), source: LocationSource::Env };
    }
    if let Some(dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf))
        && dir.join(PORTABLE_MARKER).exists()
    {
        return LibraryLocation { path: dir.join("library"), source: LocationSource::Portable };
    }
    LibraryLocation { path: default_library(), source: LocationSource::Default }
}

/// `<data dir>/library`, e.g. `~/.local/share/dangan/library` on Linux or
/// `%APPDATA%\dangan\Dangan\data\library` on Windows.
pub fn default_library() -> PathBuf {
    directories::ProjectDirs::from("org", "dangan", "Dangan")
        .map(|d| d.data_dir().join("library"))
        .unwrap_or_else(|| PathBuf::from("dangan-library"))
}
