//! Stage 4: put generated files on disk, or compare them with what is there.

use std::fs;
use std::path::{Path, PathBuf};

use crate::emit::OutputFile;

/// A file on disk that does not match what the generator makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub path: PathBuf,
    pub reason: &'static str,
}

/// Files under `dir` that differ from `files` (CRLF and LF count as equal).
pub fn check(dir: &Path, files: &[OutputFile]) -> Vec<Stale> {
    files.iter().filter_map(|file| stale(dir, file)).collect()
}

/// Writes the files that differ; returns the paths written.
pub fn write(dir: &Path, files: &[OutputFile]) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for file in files {
        if let Some(Stale { path, .. }) = stale(dir, file) {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, &file.contents)?;
            written.push(path);
        }
    }
    Ok(written)
}

fn stale(dir: &Path, file: &OutputFile) -> Option<Stale> {
    let path = dir.join(&file.path);
    let reason = match fs::read_to_string(&path) {
        Err(_) => "missing",
        Ok(on_disk) if on_disk.replace("\r\n", "\n") != file.contents => "differs",
        Ok(_) => return None,
    };
    Some(Stale { path, reason })
}
