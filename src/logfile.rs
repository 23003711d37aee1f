//! The log file in the library's `logs/` folder: capped and rotated, so years of daily starts
//! never fill a disk. When `dangan.log` would pass [`MAX_BYTES`], it becomes `dangan.log.1`
//! (replacing the older one) and a new file starts: at most twice the cap on disk.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The size one log file grows to before it is rotated.
pub const MAX_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug)]
pub struct RotatingLog {
    path: PathBuf,
    file: File,
    written: u64,
    max: u64,
}

/// Opens for appending (a new file readable by its owner only); refuses a symbolic link (a log
/// never writes through one).
fn open_append(path: &Path) -> io::Result<File> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::other(format!(
            "{} is a symbolic link; not writing the log through it",
            path.display()
        )));
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    // It names users and their failed logins: for the library's owner only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

impl RotatingLog {
    /// Opens `path`, rotating it first if it is already at `max` bytes.
    pub fn open(path: &Path, max: u64) -> io::Result<RotatingLog> {
        let size = fs::metadata(path).map_or(0, |m| m.len());
        if size >= max {
            fs::rename(path, Self::older(path))?;
        }
        let file = open_append(path)?;
        let written = file.metadata().map_or(0, |m| m.len());
        Ok(RotatingLog { path: path.to_path_buf(), file, written, max })
    }

    fn older(path: &Path) -> PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push(".1");
        PathBuf::from(name)
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file.flush()?;
        fs::rename(&self.path, Self::older(&self.path))?;
        self.file = open_append(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for RotatingLog {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buf.len() as u64 > self.max {
            self.rotate()?;
        }
        // One event is one line: write it whole so a rotation never splits it.
        let cut = &buf[..buf.len().min(self.max as usize)];
        self.file.write_all(cut)?;
        self.written += cut.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_log_is_rotated_at_its_cap_and_never_grows_past_twice_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dangan.log");
        let mut log = RotatingLog::open(&path, 1000).unwrap();
        let line = [b'x'; 99].iter().copied().chain([b'\n']).collect::<Vec<u8>>();
        for _ in 0..95 {
            log.write_all(&line).unwrap();
        }
        drop(log);
        // 95 lines of 100 bytes with a cap of 1,000: nine rotations, the older file full.
        assert_eq!(fs::metadata(&path).unwrap().len(), 500);
        assert_eq!(fs::metadata(dir.path().join("dangan.log.1")).unwrap().len(), 1000);
    }

    #[test]
    fn a_full_log_is_rotated_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dangan.log");
        fs::write(&path, vec![b'a'; 2000]).unwrap();
        let mut log = RotatingLog::open(&path, 1000).unwrap();
        log.write_all(b"new\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new\n");
        assert_eq!(fs::metadata(dir.path().join("dangan.log.1")).unwrap().len(), 2000);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_log_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        fs::write(&target, b"keep").unwrap();
        let path = dir.path().join("dangan.log");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        assert!(RotatingLog::open(&path, 1000).is_err());
        assert_eq!(fs::read(&target).unwrap(), b"keep");
    }
}
