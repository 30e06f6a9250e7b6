//! Temporary folders for tests.

use std::ffi::OsStr;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The environment variable that keeps temporary folders after the test (to look at what a
/// failing test wrote); [`TempDir`] then prints where each one is.
pub const KEEP_TEMP_VAR: &str = "DETENTE_KEEP_TEMP";

/// Folders made so far by this process, for unique names.
static MADE: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty folder under the system's temporary folder, removed with everything in it
/// when dropped (unless [`KEEP_TEMP_VAR`] is set). Its name holds a label, the process id and
/// a per-process count, so tests running in parallel, in one process or several, never share
/// one.
///
/// It dereferences to its [`Path`]:
///
/// ```
/// let dir = detente_testkit::TempDir::new("example");
/// std::fs::write(dir.join("a.txt"), "hello").unwrap();
/// assert!(dir.join("a.txt").is_file());
/// let path = dir.to_path_buf();
/// drop(dir);
/// assert!(!path.exists() || std::env::var_os(detente_testkit::KEEP_TEMP_VAR).is_some());
/// ```
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Makes the folder `detente-LABEL-PID-N`; `label` says which test it is for.
    ///
    /// # Panics
    /// When the folder cannot be made (a test cannot go on without it).
    pub fn new(label: &str) -> TempDir {
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("detente-{label}-{}-{n}", std::process::id()));
        // Left over by an earlier process with the same id that kept its folders.
        let _ = std::fs::remove_dir_all(&path);
        if let Err(e) = std::fs::create_dir_all(&path) {
            panic!("cannot make the temporary folder {}: {e}", path.display());
        }
        TempDir { path }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<OsStr> for TempDir {
    fn as_ref(&self) -> &OsStr {
        self.path.as_os_str()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os(KEEP_TEMP_VAR).is_some() {
            eprintln!("{KEEP_TEMP_VAR} is set: keeping {}", self.path.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_fresh_distinct_and_removed() {
        let a = TempDir::new("testkit");
        let b = TempDir::new("testkit");
        assert_ne!(a.path(), b.path());
        assert!(a.is_dir() && b.is_dir());
        assert_eq!(std::fs::read_dir(&*a).unwrap().count(), 0);
        std::fs::write(a.join("f"), "x").unwrap();
        let path = a.to_path_buf();
        drop(a);
        if std::env::var_os(KEEP_TEMP_VAR).is_none() {
            assert!(!path.exists());
        }
    }
}
