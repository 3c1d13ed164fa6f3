//! Reading a decisions file: a reviewer's verdicts written offline, one line per criterion, in
//! TOML. Every problem is reported with the file and line; the review is built only from a
//! file without problems.

use std::path::Path;

use qadesk_domain::Decision;
use qadesk_rubric::{Rubric, verdict_from_name};
use toml::de::DeTable;

/// The keys a decision table may have.
const DECISION_KEYS: &[&str] = &["verdict", "value", "reason"];

/// What the file says, checked against the rubric: one decision per criterion it names, and
/// the line each is on (for problems found later).
#[derive(Debug, Clone)]
pub struct DecisionsFile {
    /// The interaction the file says it is for, if it says.
    pub interaction: Option<String>,
    pub rubric: Option<String>,
    pub decisions: Vec<(String, Decision)>,
    pub lines: Vec<(String, usize)>,
    /// The line of the `[decisions]` table, for problems of the whole review.
    pub table_line: usize,
}

impl DecisionsFile {
    /// The line a criterion's decision is on, else the `[decisions]` table's.
    pub fn line_of(&self, criterion: Option<&str>) -> usize {
        criterion
            .and_then(|c| self.lines.iter().find(|(id, _)| id == c))
            .map_or(self.table_line, |(_, line)| *line)
    }
}

/// Reads and checks a decisions file against the rubric of the scorecard under review: the
/// decisions that could be read, and a problem (line, message) for each line that could not.
/// A criterion whose line has a problem is kept as accepted, so that checking the whole review
/// afterwards does not report it missing as well. The error (a file that is not TOML, or has
/// no `[decisions]` table) lists every problem, one `FILE:LINE: problem` a line.
pub fn read(path: &Path, rubric: &Rubric) -> Result<(DecisionsFile, Vec<(usize, String)>), String> {
    let text = crate::inputs::read_text(path)?;
    let shown = path.display().to_string();
    let at = |offset: usize| line_of(&text, offset);
    let syntax = |e: toml::de::Error| {
        let line = e.span().map_or(String::new(), |s| format!(":{}", at(s.start)));
        format!("{shown}{line}: {}", e.message().trim())
    };
    // Values are read from a plain table; the spanned one says where each key is.
    let table: toml::Table = text.parse().map_err(syntax)?;
    let spanned = DeTable::parse(&text).map_err(syntax)?;
    let root_lines: Vec<(String, usize)> = spanned
        .get_ref()
        .iter()
        .map(|(k, _)| (k.get_ref().to_string(), at(k.span().start)))
        .collect();
    let root_line =
        |key: &str| root_lines.iter().find(|(k, _)| k == key).map_or(1, |(_, line)| *line);
    let mut problems: Vec<(usize, String)> = Vec::new();
    let mut file = DecisionsFile {
        interaction: None,
        rubric: None,
        decisions: Vec::new(),
        lines: Vec::new(),
        table_line: root_line("decisions"),
    };
    let mut entries = None;
    for (key, value) in &table {
        match (key.as_str(), value) {
            ("interaction", toml::Value::String(id)) => file.interaction = Some(id.clone()),
            ("rubric", toml::Value::String(id)) => file.rubric = Some(id.clone()),
            ("decisions", toml::Value::Table(t)) => entries = Some(t),
            (other, _) => problems.push((
                root_line(other),
                format!(
                    "unexpected `{other}`; a decisions file has `interaction = \"CALL-ID\"` and \
                     `rubric = \"ID\"` (both optional) and a [decisions] table"
                ),
            )),
        }
    }
    let Some(entries) = entries else {
        problems.push((1, "no [decisions] table: one line per criterion goes in it".into()));
        return Err(report(&shown, problems));
    };
    // Lines of the criteria, from the spanned [decisions] table.
    if let Some(toml::de::DeValue::Table(t)) =
        spanned.get_ref().get("decisions").map(|v| v.get_ref())
    {
        file.lines = t.iter().map(|(k, _)| (k.get_ref().to_string(), at(k.span().start))).collect();
    }
    for (criterion, value) in entries {
        let line = file.line_of(Some(criterion));
        match decision(rubric, criterion, value) {
            Ok(d) => file.decisions.push((criterion.clone(), d)),
            Err(message) => {
                problems.push((line, message));
                if rubric.criterion(criterion).is_some() {
                    file.decisions.push((criterion.clone(), Decision::Accept));
                }
            }
        }
    }
    Ok((file, problems))
}

/// One criterion's line: `"accept"`, or a table with `verdict`, `value` (five-point) and
/// `reason`.
fn decision(rubric: &Rubric, criterion: &str, value: &toml::Value) -> Result<Decision, String> {
    let table = match value {
        toml::Value::String(word) if word.trim().eq_ignore_ascii_case("accept") => {
            // Checked here too, so an unknown criterion is reported with its line.
            rubric.check_override(criterion, Some(qadesk_domain::Verdict::Na), None)?;
            return Ok(Decision::Accept);
        }
        toml::Value::String(word) => {
            return Err(format!(
                "`{criterion} = \"{word}\"`: write \"accept\", or a table such as \
                 {{ verdict = \"fail\", reason = \"…\" }}"
            ));
        }
        toml::Value::Table(table) => table,
        other => {
            return Err(format!(
                "`{criterion}`: write \"accept\" or {{ verdict = \"…\", reason = \"…\" }} \
                 (found: {})",
                other.type_str()
            ));
        }
    };
    if let Some(key) = table.keys().find(|k| !DECISION_KEYS.contains(&k.as_str())) {
        return Err(format!(
            "`{criterion}` has an unknown key `{key}`; the keys are {}",
            DECISION_KEYS.join(", ")
        ));
    }
    let verdict = match table.get("verdict") {
        None => None,
        Some(toml::Value::String(name)) => Some(verdict_from_name(name).ok_or_else(|| {
            format!("`{criterion}`: `{name}` is not a verdict (pass, partial, fail, na)")
        })?),
        Some(other) => {
            return Err(format!(
                "`{criterion}`: `verdict` must be text (found: {})",
                other.type_str()
            ));
        }
    };
    let number = match table.get("value") {
        None => None,
        Some(toml::Value::Integer(n)) => Some(*n as f64),
        Some(toml::Value::Float(n)) => Some(*n),
        Some(other) => {
            return Err(format!(
                "`{criterion}`: `value` must be a number (found: {})",
                other.type_str()
            ));
        }
    };
    let reason = match table.get("reason") {
        Some(toml::Value::String(text)) if !text.trim().is_empty() => text.trim().to_string(),
        Some(toml::Value::String(_)) | None => {
            return Err(format!("`{criterion}`: an override needs a `reason`"));
        }
        Some(other) => {
            return Err(format!(
                "`{criterion}`: `reason` must be text (found: {})",
                other.type_str()
            ));
        }
    };
    let (verdict, value) = rubric.check_override(criterion, verdict, number)?;
    Ok(Decision::Override { verdict, value, reason })
}

/// Every problem, one `FILE:LINE: message` a line, in line order.
pub fn report(shown: &str, mut problems: Vec<(usize, String)>) -> String {
    problems.sort_by_key(|(line, _)| *line);
    problems
        .iter()
        .map(|(line, message)| format!("{shown}:{line}: {message}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}
