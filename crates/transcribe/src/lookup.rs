//! Where qadesk finds a whisper.cpp model: an explicit path, `QADESK_MODEL`, the project's
//! `models/`, then the user data directory; and listing the models found there.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::ModelError;
use crate::ggml::read_ggml_header;

/// The environment variable that names a model file (or a directory of models).
pub const MODEL_ENV: &str = "QADESK_MODEL";

/// Preferred file names in a models directory, best first: the small English model is fast
/// enough for call audio on two cores; the multilingual base follows.
const PREFERRED: [&str; 2] = ["ggml-tiny.en.bin", "ggml-base.bin"];

/// A model file found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFile {
    pub path: PathBuf,
    pub bytes: u64,
    /// `tiny.en`, `base`, … read from the header when it is readable, else from the file name
    /// (`ggml-NAME.bin`), else `unknown`.
    pub kind: String,
    /// From the header; `None` when the header cannot be read.
    pub multilingual: Option<bool>,
}

/// The user-wide models directory: `$XDG_DATA_HOME/qadesk/models`, or
/// `~/.local/share/qadesk/models` when `XDG_DATA_HOME` is unset, empty or relative.
pub fn user_models_dir() -> Option<PathBuf> {
    data_dir_from(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
}

fn data_dir_from(xdg: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let base = match xdg.map(PathBuf::from) {
        Some(p) if p.is_absolute() => p,
        _ => PathBuf::from(home.filter(|h| !h.is_empty())?).join(".local/share"),
    };
    Some(base.join("qadesk").join("models"))
}

/// The best model in a directory: the preferred names first, then any `ggml-*.bin` in name
/// order.
fn pick_in_dir(dir: &Path) -> Option<PathBuf> {
    for name in PREFERRED {
        let path = dir.join(name);
        if path.is_file() {
            return Some(path);
        }
    }
    ggml_files(dir).into_iter().next()
}

/// `ggml-*.bin` files of a directory, sorted by name; an unreadable directory has none.
fn ggml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("ggml-") && n.ends_with(".bin"))
        })
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// An explicit choice: a file is taken as is; a directory is searched like `models/`.
fn explicit(path: &Path, given_by: &'static str) -> Result<PathBuf, ModelError> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    if path.is_dir() {
        return pick_in_dir(path)
            .ok_or_else(|| ModelError::NotFound { searched: vec![path.to_path_buf()] });
    }
    Err(ModelError::ModelPathMissing { path: path.to_path_buf(), source_of_path: given_by })
}

fn find_in(
    explicit_path: Option<&Path>,
    env_model: Option<OsString>,
    project_dir: Option<&Path>,
    user_dir: Option<PathBuf>,
) -> Result<PathBuf, ModelError> {
    if let Some(path) = explicit_path {
        return explicit(path, "--model");
    }
    if let Some(value) = env_model.filter(|v| !v.is_empty()) {
        return explicit(Path::new(&value), MODEL_ENV);
    }
    let mut searched = Vec::new();
    for dir in project_dir.map(|p| p.join("models")).into_iter().chain(user_dir) {
        if let Some(found) = pick_in_dir(&dir) {
            return Ok(found);
        }
        searched.push(dir);
    }
    Err(ModelError::NotFound { searched })
}

/// Finds the model to use.
///
/// In order: `explicit` (the `--model` argument), the `QADESK_MODEL` environment variable,
/// `<project_dir>/models/`, then the user data directory (see [`user_models_dir`]). In a
/// directory, `ggml-tiny.en.bin` is preferred, then `ggml-base.bin`, then any `ggml-*.bin`.
/// A path given explicitly or by the environment must exist: it is never silently skipped.
/// When nothing is found, the error lists the places searched and the commands that get a model.
pub fn find_model(
    explicit: Option<&Path>,
    project_dir: Option<&Path>,
) -> Result<PathBuf, ModelError> {
    find_in(explicit, std::env::var_os(MODEL_ENV), project_dir, user_models_dir())
}

fn describe(path: PathBuf) -> Option<ModelFile> {
    let bytes = fs::metadata(&path).ok()?.len();
    let header = read_ggml_header(&path).ok();
    let from_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("ggml-"))
        .and_then(|n| n.strip_suffix(".bin"))
        .map(str::to_owned);
    let kind = header.and_then(|h| h.kind()).or(from_name).unwrap_or_else(|| "unknown".to_owned());
    Some(ModelFile { path, bytes, kind, multilingual: header.map(|h| h.multilingual()) })
}

/// The `ggml-*.bin` files in `<project_dir>/models/` and in the user data directory.
pub fn list_models(project_dir: Option<&Path>) -> Vec<ModelFile> {
    list_in(project_dir, user_models_dir())
}

fn list_in(project_dir: Option<&Path>, user_dir: Option<PathBuf>) -> Vec<ModelFile> {
    let dirs = project_dir.map(|p| p.join("models")).into_iter().chain(user_dir);
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for dir in dirs {
        // The project may live inside the data directory or the other way round.
        let canonical = fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        if seen.contains(&canonical) {
            continue;
        }
        seen.push(canonical);
        out.extend(ggml_files(&dir).into_iter().filter_map(describe));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ggml::tests::small_ggml;

    fn touch(path: &Path, bytes: &[u8]) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create dir");
        }
        fs::write(path, bytes).expect("write");
    }

    #[test]
    fn explicit_beats_env_beats_project_beats_user() {
        let root = tempfile::tempdir().expect("temp dir");
        let project = root.path().join("project");
        let user = root.path().join("user");
        let mine = root.path().join("mine.bin");
        let env = root.path().join("env.bin");
        touch(&mine, b"x");
        touch(&env, b"x");
        touch(&project.join("models/ggml-base.bin"), b"x");
        touch(&user.join("ggml-tiny.en.bin"), b"x");

        let got =
            find_in(Some(&mine), Some(env.clone().into()), Some(&project), Some(user.clone()));
        assert_eq!(got.expect("explicit"), mine);
        let got = find_in(None, Some(env.clone().into()), Some(&project), Some(user.clone()));
        assert_eq!(got.expect("env"), env);
        let got = find_in(None, Some(OsString::new()), Some(&project), Some(user.clone()));
        assert_eq!(got.expect("project"), project.join("models/ggml-base.bin"));
        let got = find_in(None, None, None, Some(user.clone()));
        assert_eq!(got.expect("user"), user.join("ggml-tiny.en.bin"));
    }

    #[test]
    fn prefers_tiny_en_then_base_then_any() {
        let root = tempfile::tempdir().expect("temp dir");
        let models = root.path().join("models");
        touch(&models.join("ggml-small.bin"), b"x");
        touch(&models.join("ggml-medium.bin"), b"x");
        touch(&models.join("notes.txt"), b"x");
        let find = || find_in(None, None, Some(root.path()), None).expect("found");
        assert_eq!(find(), models.join("ggml-medium.bin"));
        touch(&models.join("ggml-base.bin"), b"x");
        assert_eq!(find(), models.join("ggml-base.bin"));
        touch(&models.join("ggml-tiny.en.bin"), b"x");
        assert_eq!(find(), models.join("ggml-tiny.en.bin"));
    }

    #[test]
    fn a_missing_explicit_path_is_an_error_not_a_fallback() {
        let root = tempfile::tempdir().expect("temp dir");
        touch(&root.path().join("models/ggml-base.bin"), b"x");
        let missing = root.path().join("nope.bin");
        let err = find_in(Some(&missing), None, Some(root.path()), None).expect_err("missing");
        assert_eq!(
            err.to_string(),
            format!("{}: model file not found (given by --model)", missing.display())
        );
        let err = find_in(None, Some(missing.clone().into()), Some(root.path()), None)
            .expect_err("missing env");
        assert!(err.to_string().ends_with("(given by QADESK_MODEL)"), "{err}");
    }

    #[test]
    fn not_found_says_where_it_looked_and_how_to_get_a_model() {
        let root = tempfile::tempdir().expect("temp dir");
        let user = root.path().join("user");
        let err = find_in(None, None, Some(root.path()), Some(user.clone())).expect_err("none");
        let text = err.to_string();
        assert!(text.contains(&root.path().join("models").display().to_string()), "{text}");
        assert!(text.contains(&user.display().to_string()), "{text}");
        for command in [
            "`scripts/setup`",
            "`qadesk model fetch tiny.en`",
            "`qadesk model import-ct2 DIR -o models/ggml-tiny.en.bin`",
        ] {
            assert!(text.contains(command), "missing {command}: {text}");
        }
    }

    #[test]
    fn data_dir_follows_xdg_then_home() {
        let got = data_dir_from(Some("/data".into()), Some("/home/a".into()));
        assert_eq!(got, Some(PathBuf::from("/data/qadesk/models")));
        let got = data_dir_from(Some("relative".into()), Some("/home/a".into()));
        assert_eq!(got, Some(PathBuf::from("/home/a/.local/share/qadesk/models")));
        let got = data_dir_from(None, Some("/home/a".into()));
        assert_eq!(got, Some(PathBuf::from("/home/a/.local/share/qadesk/models")));
        assert_eq!(data_dir_from(None, None), None);
    }

    #[test]
    fn lists_models_with_kind_from_header_or_name() {
        let root = tempfile::tempdir().expect("temp dir");
        let user = root.path().join("user");
        let ggml = small_ggml();
        touch(&root.path().join("models/ggml-mine.bin"), &ggml);
        touch(&root.path().join("models/ggml-base.bin"), b"not a model");
        touch(&user.join("ggml-x.bin"), b"");
        let list = list_in(Some(root.path()), Some(user.clone()));
        let summary: Vec<(String, String, u64, Option<bool>)> = list
            .iter()
            .map(|m| {
                let name = m.path.file_name().map(|n| n.to_string_lossy().into_owned());
                (name.unwrap_or_default(), m.kind.clone(), m.bytes, m.multilingual)
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("ggml-base.bin".into(), "base".into(), 11, None),
                ("ggml-mine.bin".into(), "tiny.en".into(), ggml.len() as u64, Some(false)),
                ("ggml-x.bin".into(), "x".into(), 0, None),
            ]
        );
        // The same directory reached twice is listed once.
        let twice = list_in(Some(root.path()), Some(root.path().join("models")));
        assert_eq!(twice.len(), 2);
    }
}
