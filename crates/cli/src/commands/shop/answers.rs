//! Reading answer files written offline from disk: the file, its folder (relative paths) and
//! the messages naming it; the text itself is parsed by `qadesk_rubric::answers`. Checking the
//! visits is the importer's job.

use std::path::{Path, PathBuf};

use qadesk_domain::InteractionKind;
use qadesk_rubric::answers;

/// One visit or mystery call as written, before its answers are checked.
#[derive(Debug, Clone, Default)]
pub struct RawVisit {
    /// `file` or `file:line`, for messages.
    pub origin: String,
    /// The same with the file's absolute path, as stored.
    pub source: String,
    /// The text the visit was read from, hashed to make imports idempotent.
    pub content: String,
    pub checklist: Option<String>,
    pub fields: Vec<(String, String)>,
    pub answers: Vec<(String, String)>,
    /// Relative paths (recording, attachments) are relative to this folder.
    pub base: PathBuf,
}

impl RawVisit {
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    pub fn kind(&self) -> Result<InteractionKind, String> {
        match self.field("kind").unwrap_or("visit") {
            "visit" => Ok(InteractionKind::Visit),
            "mystery-call" | "mystery_call" => Ok(InteractionKind::MysteryCall),
            other => Err(format!("kind `{other}`: use visit or mystery-call")),
        }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.base.join(relative)
    }
}

/// Reads one answer file: `.csv` gives a visit per row, anything else is read as TOML.
pub fn read(path: &Path) -> Result<Vec<RawVisit>, String> {
    let text = crate::inputs::read_text(path)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let shown = path.display();
    let stored = crate::commands::ingest::stored_path(path);
    let located = |e: answers::AnswerFileError| match e.line {
        Some(line) => format!("{shown}:{line}: {}", e.message),
        None => format!("{shown}: {}", e.message),
    };
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let sheets = if is_csv {
        answers::read_csv(&text).map_err(located)?
    } else {
        vec![answers::read_toml(&text).map_err(located)?]
    };
    Ok(sheets
        .into_iter()
        .map(|sheet| {
            let (origin, source) = match sheet.line {
                Some(line) => (format!("{shown}:{line}"), format!("{stored}:{line}")),
                None => (shown.to_string(), stored.clone()),
            };
            let mut fields = sheet.fields;
            if let Some(error) = sheet.row_error {
                fields.push(("row-error".into(), error));
            }
            RawVisit {
                origin,
                source,
                content: sheet.content,
                checklist: sheet.checklist,
                fields,
                answers: sheet.answers,
                base: base.clone(),
            }
        })
        .collect())
}
