//! Reading answer files written offline: a TOML file per visit, or a CSV with a row per visit.
//! Produces raw visits (text answers, file paths resolved); checking them is the importer's job.

use std::path::{Path, PathBuf};

use qadesk_domain::InteractionKind;

/// The visit keys of an answer file, TOML spelling (CSV columns use `_` for `-`).
const VISIT_KEYS: &[&str] = &[
    "id",
    "kind",
    "location",
    "date",
    "time-in",
    "time-out",
    "employee",
    "employee-name",
    "employee-description",
    "shopper",
    "recording",
];

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
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        read_csv(path, &text, &base)
    } else {
        read_toml(path, &text, &base).map(|v| vec![v])
    }
}

fn read_toml(path: &Path, text: &str, base: &Path) -> Result<RawVisit, String> {
    let shown = path.display();
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let at =
            e.span().map(|s| line_of(text, s.start)).map_or(String::new(), |l| format!(":{l}"));
        format!("{shown}{at}: {}", e.message())
    })?;
    let mut visit = RawVisit {
        origin: shown.to_string(),
        source: crate::commands::ingest::stored_path(path),
        content: text.to_string(),
        base: base.to_path_buf(),
        ..RawVisit::default()
    };
    for (key, value) in table {
        match (key.as_str(), value) {
            ("checklist", toml::Value::String(id)) => visit.checklist = Some(id),
            ("visit", toml::Value::Table(fields)) => {
                for (field, value) in fields {
                    if !VISIT_KEYS.contains(&field.as_str()) {
                        return Err(format!(
                            "{shown}: [visit] has an unknown key `{field}`; the keys are {}",
                            VISIT_KEYS.join(", ")
                        ));
                    }
                    visit.fields.push((field.clone(), scalar(&value, &field, path)?));
                }
            }
            ("answers", toml::Value::Table(answers)) => {
                for (question, value) in answers {
                    let raw = scalar(&value, &question, path)?;
                    visit.answers.push((question, raw));
                }
            }
            (other, _) => {
                return Err(format!(
                    "{shown}: unexpected `{other}`; an answer file has `checklist = \"id\"`, a \
                     [visit] table and an [answers] table"
                ));
            }
        }
    }
    Ok(visit)
}

/// An answer or field as text: numbers as written, booleans as yes/no, lists comma-joined.
fn scalar(value: &toml::Value, key: &str, path: &Path) -> Result<String, String> {
    Ok(match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(n) => n.to_string(),
        toml::Value::Float(n) => n.to_string(),
        toml::Value::Boolean(true) => "yes".into(),
        toml::Value::Boolean(false) => "no".into(),
        toml::Value::Array(items) => items
            .iter()
            .map(|item| scalar(item, key, path))
            .collect::<Result<Vec<_>, _>>()?
            .join(","),
        other => {
            return Err(format!(
                "{}: `{key}` is a {}; give text, a number or a list",
                path.display(),
                other.type_str()
            ));
        }
    })
}

fn read_csv(path: &Path, text: &str, base: &Path) -> Result<Vec<RawVisit>, String> {
    let shown = path.display();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{shown}: cannot read the header: {e}"))?
        .iter()
        .map(|h| h.trim().replace('_', "-"))
        .collect();
    let mut visits = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{shown}: {e}"))?;
        let line = record.position().map_or(0, csv::Position::line);
        let mut visit = RawVisit {
            origin: format!("{shown}:{line}"),
            source: format!("{}:{line}", crate::commands::ingest::stored_path(path)),
            content: format!(
                "{}\n{}",
                header.join(","),
                record.iter().collect::<Vec<_>>().join("\u{1f}")
            ),
            base: base.to_path_buf(),
            ..RawVisit::default()
        };
        if record.len() != header.len() {
            // A short or long row still becomes a visit, so it fails with its line named while
            // the other rows are imported.
            visit.fields.push((
                "row-error".into(),
                format!("the row has {} fields, the header {}", record.len(), header.len()),
            ));
        }
        for (column, value) in header.iter().zip(record.iter()) {
            let value = value.trim();
            if column == "checklist" {
                visit.checklist = Some(value.to_string());
            } else if VISIT_KEYS.contains(&column.as_str()) {
                visit.fields.push((column.clone(), value.to_string()));
            } else {
                // Empty cells are kept (and skipped later) so a misspelt column is still caught.
                visit.answers.push((column.clone(), value.to_string()));
            }
        }
        visits.push(visit);
    }
    Ok(visits)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}
