//! Answer files as text: a TOML file per visit or a CSV with a visit per row, read into raw
//! sheets (visit fields and answers as written). Checking answers against a checklist is
//! `checklist`'s job; paths, files and hashing are the caller's.

use std::fmt;

/// The visit keys of an answer file, TOML spelling (CSV columns use `_` for `-`).
pub const VISIT_KEYS: &[&str] = &[
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerSheet {
    /// The CSV line the visit was read from; `None` for a TOML file.
    pub line: Option<usize>,
    /// The text the visit was read from (for a CSV row: the header and the row), which the
    /// caller hashes to make imports idempotent.
    pub content: String,
    pub checklist: Option<String>,
    /// Visit keys (`id`, `date`, …) in the file's order, TOML spelling.
    pub fields: Vec<(String, String)>,
    /// (question id, answer as text), in the file's order; empty CSV cells are kept so that a
    /// misspelt column is still caught.
    pub answers: Vec<(String, String)>,
    /// A CSV row with more or fewer cells than the header; the visit is still returned so that
    /// it fails with its line named while the other rows are imported.
    pub row_error: Option<String>,
}

/// Why an answer file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerFileError {
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for AnswerFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AnswerFileError {}

fn error(line: Option<usize>, message: impl Into<String>) -> AnswerFileError {
    AnswerFileError { line, message: message.into() }
}

/// Reads one visit from a TOML answer file: `checklist = "id"`, a `[visit]` table and an
/// `[answers]` table.
pub fn read_toml(text: &str) -> Result<AnswerSheet, AnswerFileError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map(|s| line_of(text, s.start));
        error(line, e.message().trim().to_string())
    })?;
    let mut sheet = AnswerSheet { content: text.to_string(), ..AnswerSheet::default() };
    for (key, value) in table {
        match (key.as_str(), value) {
            ("checklist", toml::Value::String(id)) => sheet.checklist = Some(id),
            ("visit", toml::Value::Table(fields)) => {
                for (field, value) in fields {
                    if !VISIT_KEYS.contains(&field.as_str()) {
                        return Err(error(
                            None,
                            format!(
                                "[visit] has an unknown key `{field}`; the keys are {}",
                                VISIT_KEYS.join(", ")
                            ),
                        ));
                    }
                    let text = scalar(&value, &field)?;
                    sheet.fields.push((field, text));
                }
            }
            ("answers", toml::Value::Table(answers)) => {
                for (question, value) in answers {
                    let raw = scalar(&value, &question)?;
                    sheet.answers.push((question, raw));
                }
            }
            (other, _) => {
                return Err(error(
                    None,
                    format!(
                        "unexpected `{other}`; an answer file has `checklist = \"id\"`, a \
                         [visit] table and an [answers] table"
                    ),
                ));
            }
        }
    }
    Ok(sheet)
}

/// An answer or field as text: numbers as written, booleans as yes/no, lists comma-joined.
fn scalar(value: &toml::Value, key: &str) -> Result<String, AnswerFileError> {
    Ok(match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(n) => n.to_string(),
        toml::Value::Float(n) => n.to_string(),
        toml::Value::Boolean(true) => "yes".into(),
        toml::Value::Boolean(false) => "no".into(),
        toml::Value::Array(items) => {
            items.iter().map(|item| scalar(item, key)).collect::<Result<Vec<_>, _>>()?.join(",")
        }
        other => {
            return Err(error(
                None,
                format!("`{key}` is a {}; give text, a number or a list", other.type_str()),
            ));
        }
    })
}

/// Reads a CSV answer file: a header row, then a visit per row. Columns named after visit keys
/// (`_` or `-`) and `checklist` describe the visit; every other column is a question id.
pub fn read_csv(text: &str) -> Result<Vec<AnswerSheet>, AnswerFileError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| error(None, format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().replace('_', "-"))
        .collect();
    let mut sheets = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| error(None, e.to_string()))?;
        let line = record.position().map_or(0, csv::Position::line) as usize;
        let mut sheet = AnswerSheet {
            line: Some(line),
            content: format!(
                "{}\n{}",
                header.join(","),
                record.iter().collect::<Vec<_>>().join("\u{1f}")
            ),
            ..AnswerSheet::default()
        };
        if record.len() != header.len() {
            sheet.row_error =
                Some(format!("the row has {} fields, the header {}", record.len(), header.len()));
        }
        for (column, value) in header.iter().zip(record.iter()) {
            let value = value.trim();
            if column == "checklist" {
                sheet.checklist = Some(value.to_string());
            } else if VISIT_KEYS.contains(&column.as_str()) {
                sheet.fields.push((column.clone(), value.to_string()));
            } else {
                sheet.answers.push((column.clone(), value.to_string()));
            }
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len())).unwrap_or(text).matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_sheet_keeps_fields_and_answers_as_text() {
        let sheet = read_toml(
            "checklist = \"store-visit\"\n[visit]\nid = \"V1\"\n[answers]\nn = 2\nok = true\n\
             topics = [\"a\", \"b\"]\n",
        )
        .expect("reads");
        assert_eq!(sheet.checklist.as_deref(), Some("store-visit"));
        assert_eq!(sheet.fields, vec![("id".to_string(), "V1".to_string())]);
        assert_eq!(
            sheet.answers,
            vec![
                ("n".to_string(), "2".to_string()),
                ("ok".to_string(), "yes".to_string()),
                ("topics".to_string(), "a,b".to_string()),
            ]
        );
    }

    #[test]
    fn toml_problems_name_the_line_or_the_key() {
        let syntax = read_toml("checklist = \"x\"\n[visit\n").expect_err("syntax error");
        assert_eq!(syntax.line, Some(2));
        let unknown = read_toml("[visit]\nshop = \"x\"\n").expect_err("unknown key");
        assert!(unknown.message.contains("unknown key `shop`"), "{unknown}");
        let nested = read_toml("[answers]\nq = { a = 1 }\n").expect_err("a table as an answer");
        assert!(nested.message.starts_with("`q` is a table"), "{nested}");
    }

    #[test]
    fn a_csv_row_per_visit_with_its_line_and_short_rows_marked() {
        let sheets = read_csv("id,employee_name,q1\nV1,Ann,yes\nV2,Bo\n").expect("reads the rows");
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].line, Some(2));
        assert_eq!(sheets[0].fields[1], ("employee-name".to_string(), "Ann".to_string()));
        assert_eq!(sheets[0].answers, vec![("q1".to_string(), "yes".to_string())]);
        assert_eq!(sheets[1].row_error.as_deref(), Some("the row has 2 fields, the header 3"));
    }
}
