//! Recognising the text of a page (OCR), behind a small interface so another engine can be
//! added. The one engine today is Tesseract (Debian: `tesseract-ocr` with
//! `tesseract-ocr-chi-sim`), run as a separate process with a time limit: a page it chokes on
//! costs that page, never a hung job. Without it everything else works and the app says OCR is
//! off.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::GrayImage;

/// An OCR engine.
pub trait OcrEngine: Send + Sync {
    /// Its name and version, stored with each page's text (`tesseract 5.3.0 chi_sim+eng`).
    fn name(&self) -> String;
    /// The text of a page, or why it could not be read.
    fn recognise(&self, page: &GrayImage) -> Result<String, String>;
}

/// The longest a page may take before the engine is stopped.
pub const PAGE_TIME_LIMIT: Duration = Duration::from_secs(120);

/// Tesseract, found on the PATH (or at `$DANGAN_TESSERACT`), with simplified Chinese and
/// English.
#[derive(Debug, Clone)]
pub struct Tesseract {
    program: PathBuf,
    version: String,
    languages: String,
}

/// Why OCR is off: the engine or its languages are missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OcrOff {
    /// No `tesseract` program (or `DANGAN_OCR=off`).
    NoEngine,
    /// Tesseract without simplified Chinese (`chi_sim`).
    NoChinese,
}

impl Tesseract {
    /// The engine, if this machine has it with Chinese; else why not.
    pub fn find() -> Result<Tesseract, OcrOff> {
        if std::env::var("DANGAN_OCR").is_ok_and(|v| v == "off") {
            return Err(OcrOff::NoEngine);
        }
        let program =
            std::env::var_os("DANGAN_TESSERACT").map(PathBuf::from).unwrap_or_else(|| "tesseract".into());
        let run = |arg: &str| {
            Command::new(&program)
                .arg(arg)
                .stdin(Stdio::null())
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| {
                    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
                })
        };
        let version = run("--version").ok_or(OcrOff::NoEngine)?;
        let version = version.lines().next().unwrap_or("tesseract").trim().to_string();
        let langs = run("--list-langs").unwrap_or_default();
        let has = |l: &str| langs.lines().any(|x| x.trim() == l);
        if !has("chi_sim") {
            return Err(OcrOff::NoChinese);
        }
        let languages = if has("eng") { "chi_sim+eng" } else { "chi_sim" }.to_string();
        Ok(Tesseract { program, version, languages })
    }
}

impl OcrEngine for Tesseract {
    fn name(&self) -> String {
        format!("{} {}", self.version, self.languages)
    }

    fn recognise(&self, page: &GrayImage) -> Result<String, String> {
        let dir = std::env::temp_dir();
        let input =
            dir.join(format!("dangan-ocr-{}-{:?}.png", std::process::id(), std::thread::current().id()));
        page.save_with_format(&input, image::ImageFormat::Png).map_err(|e| e.to_string())?;
        let result = (|| {
            let mut child = Command::new(&self.program)
                .arg(&input)
                .arg("stdout")
                .args(["-l", &self.languages, "--psm", "3"])
                .env("OMP_THREAD_LIMIT", "1")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| e.to_string())?;
            let mut stdout = child.stdout.take().ok_or("no output")?;
            let reader = std::thread::spawn(move || {
                let mut s = Vec::new();
                let _ = stdout.read_to_end(&mut s);
                s
            });
            let start = Instant::now();
            loop {
                match child.try_wait().map_err(|e| e.to_string())? {
                    Some(status) if status.success() => break,
                    Some(status) => return Err(format!("tesseract exited with {status}")),
                    None if start.elapsed() > PAGE_TIME_LIMIT => {
                        let _ = child.kill();
                        let _ = child.wait();
                        return Err(format!("tesseract took longer than {} s", PAGE_TIME_LIMIT.as_secs()));
                    }
                    None => std::thread::sleep(Duration::from_millis(20)),
                }
            }
            let out = reader.join().map_err(|_| "reader failed".to_string())?;
            Ok(tidy(&String::from_utf8_lossy(&out)))
        })();
        let _ = std::fs::remove_file(&input);
        result
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Tesseract's Chinese comes with a space between characters (张 三 的 合 同): those go, as do
/// empty lines and form feeds; spaces between Latin words and numbers stay.
pub fn tidy(raw: &str) -> String {
    let mut lines = Vec::new();
    for line in raw.lines() {
        let chars: Vec<char> = line.trim().chars().filter(|c| *c != '\u{c}').collect();
        let mut out = String::with_capacity(chars.len());
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let prev = out.chars().last();
                let next = chars[i + 1..].iter().find(|c| **c != ' ').copied();
                if prev.is_some_and(is_cjk) || next.is_some_and(is_cjk) || prev == Some(' ') {
                    continue;
                }
            }
            out.push(c);
        }
        if !out.is_empty() {
            lines.push(out);
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_spacing_is_removed_and_latin_kept() {
        assert_eq!(
            tidy("供 用 电 合 同\n\n户号 : 1234 567\x0c\nPower  Supply Contract  \n"),
            "供用电合同\n户号: 1234 567\nPower Supply Contract"
        );
    }
}
