//! Finding the files an ingest covers: recordings and transcripts under the given paths, in a
//! stable order, without sidecars and hidden files.

use std::path::{Path, PathBuf};

use crate::speech::is_audio;

/// Transcript extensions ingest picks up when walking a directory.
const TRANSCRIPT_EXTENSIONS: &[&str] = &["txt", "json", "vtt", "srt"];

/// What a discovered file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Recording,
    Transcript,
}

/// Every recording and transcript under `paths`, sorted and without duplicates. A path named
/// explicitly is kept whatever its extension (the worker then says what is wrong with it);
/// inside directories only known extensions count. Paths that do not exist are returned too,
/// so that they fail visibly.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<(PathBuf, FileKind)>, String> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            for entry in walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name() {
                // An entry that cannot be followed (a dangling link, a folder without read
                // permission) becomes an input of its own, which then fails with its reason
                // while the rest of the folder is ingested.
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(error) => match error.path() {
                        Some(bad) => {
                            let kind = kind_by_name(bad).unwrap_or(FileKind::Transcript);
                            found.push((bad.to_path_buf(), kind));
                            continue;
                        }
                        None => return Err(format!("{}: cannot list: {error}", path.display())),
                    },
                };
                if entry.file_type().is_file()
                    && !is_hidden(entry.path(), path)
                    && let Some(kind) = kind_by_name(entry.path())
                {
                    found.push((entry.into_path(), kind));
                }
            }
        } else {
            let kind = if is_audio(path) { FileKind::Recording } else { FileKind::Transcript };
            found.push((path.clone(), kind));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|a, b| a.0 == b.0);
    Ok(found)
}

fn kind_by_name(path: &Path) -> Option<FileKind> {
    if is_audio(path) {
        return Some(FileKind::Recording);
    }
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    let sidecar = path.file_stem()?.to_str()?.ends_with(".speakers");
    (TRANSCRIPT_EXTENSIONS.contains(&extension.as_str()) && !sidecar)
        .then_some(FileKind::Transcript)
}

/// Dot files and dot directories below the root (editor backups, `.git`) are not calls.
fn is_hidden(path: &Path, root: &Path) -> bool {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .any(|c| c.as_os_str().to_str().is_some_and(|name| name.starts_with('.')))
}
