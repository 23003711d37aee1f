//! What the app remembers between runs: window size and position, the language, and the
//! scanner's hot folder (watched while the app is open). A small
//! JSON file in the user's config folder; unreadable or missing means the defaults.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::i18n::Language;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub language: Language,
    pub width: f32,
    pub height: f32,
    pub x: Option<f32>,
    pub y: Option<f32>,
    pub hot_folder: HotFolderPrefs,
}

/// The hot folder the app watches while it is open (this computer's scanner).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HotFolderPrefs {
    pub dir: String,
    pub on: bool,
}

impl Default for Prefs {
    fn default() -> Prefs {
        Prefs {
            language: Language::Chinese,
            width: 1200.0,
            height: 780.0,
            x: None,
            y: None,
            hot_folder: HotFolderPrefs::default(),
        }
    }
}

impl Prefs {
    /// `$DANGAN_GUI_PREFS` (tests), else `<config dir>/dangan/gui.json`.
    fn path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("DANGAN_GUI_PREFS") {
            return Some(PathBuf::from(p));
        }
        directories::ProjectDirs::from("org", "dangan", "dangan").map(|d| d.config_dir().join("gui.json"))
    }

    pub fn load() -> Prefs {
        Self::path()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default()
    }

    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = Self::path() else { return Ok(()) };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self).unwrap_or_default())?;
        std::fs::rename(tmp, path)
    }
}
