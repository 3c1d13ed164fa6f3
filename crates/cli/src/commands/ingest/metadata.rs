//! Metadata of ingested files: from a CSV with a `file` column, or parsed from file names with
//! a pattern. Values are checked (dates, times, directions); nothing is guessed.

use std::collections::HashMap;
use std::path::Path;

use qadesk_domain::InteractionKind;
use qadesk_store::{Direction, Metadata};
use regex::Regex;

use crate::inputs;

/// The metadata fields a CSV column or a name placeholder can set.
const FIELDS: &[&str] =
    &["call_id", "employee_id", "employee_name", "date", "time", "queue", "direction", "kind"];

/// Raw metadata values by field name, before checking.
type Values = HashMap<&'static str, String>;

/// Where metadata comes from for one ingest run.
#[derive(Debug, Default)]
pub struct MetadataSource {
    /// CSV rows by file name (and by the path as written), or the row's problem.
    rows: HashMap<String, Result<Values, String>>,
    pattern: Option<NamePattern>,
}

impl MetadataSource {
    /// Reads the CSV and compiles the name pattern. A CSV that cannot be used at all (no
    /// `file` column, an unknown column, the same file twice) is a usage error; a single bad
    /// row only fails the file it names.
    pub fn new(csv: Option<&Path>, pattern: Option<&str>) -> anyhow::Result<MetadataSource> {
        let pattern = pattern.map(NamePattern::new).transpose()?;
        let rows = match csv {
            Some(path) => read_csv(path)?,
            None => HashMap::new(),
        };
        Ok(MetadataSource { rows, pattern })
    }

    /// The metadata of one file: its CSV row, then what the name pattern reads, then the file
    /// name as call id.
    pub fn for_file(&self, path: &Path) -> Result<Metadata, String> {
        let shown = path.display();
        let mut values = Values::new();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let row = self.rows.get(&path.display().to_string()).or_else(|| self.rows.get(&name));
        if let Some(row) = row {
            values = row.clone().map_err(|e| format!("{shown}: {e}"))?;
        }
        if let Some(pattern) = &self.pattern {
            let stem = inputs::interaction_id(path);
            let parsed = pattern.parse(&stem).ok_or_else(|| {
                format!(
                    "{shown}: the file name does not match --name-pattern {:?}; rename it or give \
                     its metadata in a CSV",
                    pattern.text
                )
            })?;
            for (field, value) in parsed {
                values.entry(field).or_insert(value);
            }
        }
        checked(values, path).map_err(|e| format!("{shown}: {e}"))
    }
}

fn read_csv(path: &Path) -> anyhow::Result<HashMap<String, Result<Values, String>>> {
    let shown = path.display();
    let text = inputs::read_text(path).map_err(anyhow::Error::msg)?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| anyhow::anyhow!("{shown}: cannot read the header: {e}"))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase().replace([' ', '-'], "_"))
        .collect();
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    let mut file_column = None;
    for (index, name) in header.iter().enumerate() {
        if name == "file" {
            file_column = Some(index);
            columns.push(None);
            continue;
        }
        let Some(field) = FIELDS.iter().find(|f| **f == name) else {
            anyhow::bail!(
                "{shown}:1: unknown column `{name}`; the columns are file, {}",
                FIELDS.join(", ")
            );
        };
        columns.push(Some(field));
    }
    let Some(file_column) = file_column else {
        anyhow::bail!("{shown}:1: no `file` column; it names the file each row describes");
    };
    let mut rows: HashMap<String, (u64, Result<Values, String>)> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
        let line = record.position().map_or(0, csv::Position::line);
        let Some(file) = record.get(file_column).map(str::trim).filter(|f| !f.is_empty()) else {
            anyhow::bail!("{shown}:{line}: the `file` column is empty");
        };
        let values = if record.len() == header.len() {
            Ok(columns
                .iter()
                .zip(record.iter())
                .filter_map(|(field, value)| Some((*field)?).zip(Some(value.trim().to_string())))
                .filter(|(_, value)| !value.is_empty())
                .collect())
        } else {
            Err(format!(
                "{shown}:{line}: the row has {} fields, the header {}",
                record.len(),
                header.len()
            ))
        };
        if let Some((first, _)) = rows.insert(file.to_string(), (line, values)) {
            anyhow::bail!("{shown}:{line}: `{file}` already has a row (line {first})");
        }
    }
    Ok(rows.into_iter().map(|(file, (_, values))| (file, values)).collect())
}

/// `{date}_{employee}_{call_id}`: literal text and placeholders, matched against the whole
/// file name without its extension.
#[derive(Debug)]
struct NamePattern {
    text: String,
    regex: Regex,
    fields: Vec<Option<&'static str>>,
}

impl NamePattern {
    fn new(text: &str) -> anyhow::Result<NamePattern> {
        let mut regex = String::from("^");
        let mut fields = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            regex.push_str(&regex::escape(&rest[..open]));
            let Some(close) = rest[open..].find('}') else {
                anyhow::bail!("--name-pattern {text:?}: a `{{` without its `}}`");
            };
            let name = rest[open + 1..open + close].trim();
            let field = match name {
                "*" => None,
                "employee" => Some("employee_id"),
                other => Some(*FIELDS.iter().find(|f| **f == other).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--name-pattern {text:?}: unknown placeholder {{{other}}}; use date, time, \
                         employee, employee_name, call_id, queue, direction, kind or *"
                    )
                })?),
            };
            if field.is_some() && fields.contains(&field) {
                anyhow::bail!("--name-pattern {text:?}: {{{name}}} appears twice");
            }
            regex.push_str(match field {
                Some("date") => r"(\d{4}-?\d{2}-?\d{2})",
                Some("time") => r"(\d{2}[-:.h]?\d{2}(?:[-:.m]?\d{2})?)",
                _ => "(.+?)",
            });
            fields.push(field);
            rest = &rest[open + close + 1..];
        }
        if rest.contains('}') {
            anyhow::bail!("--name-pattern {text:?}: a `}}` without its `{{`");
        }
        regex.push_str(&regex::escape(rest));
        regex.push('$');
        let regex =
            Regex::new(&regex).map_err(|e| anyhow::anyhow!("--name-pattern {text:?}: {e}"))?;
        Ok(NamePattern { text: text.to_string(), regex, fields })
    }

    fn parse(&self, stem: &str) -> Option<Vec<(&'static str, String)>> {
        let captures = self.regex.captures(stem)?;
        Some(
            self.fields
                .iter()
                .enumerate()
                .filter_map(|(i, field)| Some(((*field)?, captures.get(i + 1)?.as_str().into())))
                .collect(),
        )
    }
}

/// Turns raw values into checked metadata. Every problem names the field.
fn checked(mut values: Values, path: &Path) -> Result<Metadata, String> {
    let mut take = |field: &str| values.remove(field).filter(|v| !v.trim().is_empty());
    let employee_id = take("employee_id").filter(|id| !is_unknown(id));
    let date = take("date").map(|d| normalise_date(&d)).transpose()?;
    let time = take("time").map(|t| normalise_time(&t)).transpose()?;
    let started_at = match (date, time) {
        (Some(date), Some(time)) => Some(format!("{date}T{time}")),
        (Some(date), None) => Some(date),
        (None, Some(_)) => return Err("a `time` without a `date`".to_string()),
        (None, None) => None,
    };
    let direction = take("direction")
        .map(|d| match d.trim().to_ascii_lowercase().as_str() {
            "inbound" | "in" => Ok(Direction::Inbound),
            "outbound" | "out" => Ok(Direction::Outbound),
            other => Err(format!("direction `{other}`: use inbound or outbound")),
        })
        .transpose()?;
    let kind = take("kind")
        .map(|k| match k.trim().to_ascii_lowercase().as_str() {
            "call" => Ok(InteractionKind::Call),
            "mystery-call" | "mystery_call" => Ok(InteractionKind::MysteryCall),
            "visit" => Ok(InteractionKind::Visit),
            other => Err(format!("kind `{other}`: use call, mystery-call or visit")),
        })
        .transpose()?
        .unwrap_or_default();
    Ok(Metadata {
        call_id: take("call_id").unwrap_or_else(|| inputs::interaction_id(path)),
        kind,
        employee_name: take("employee_name").filter(|_| employee_id.is_some()),
        employee_id,
        started_at,
        queue: take("queue"),
        direction,
    })
}

/// Placeholders people write for "nobody known"; stored as no employee, never as an id.
fn is_unknown(id: &str) -> bool {
    matches!(id.trim().to_ascii_lowercase().as_str(), "unknown" | "n/a" | "na" | "none" | "-" | "?")
}

/// `2026-03-05` or `20260305` → `2026-03-05`, checked against the calendar.
pub(crate) fn normalise_date(raw: &str) -> Result<String, String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let separators_ok = raw.chars().all(|c| c.is_ascii_digit() || c == '-');
    let bad = || format!("date `{raw}`: use YYYY-MM-DD");
    if digits.len() != 8 || !separators_ok {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| digits[range].parse::<i16>().map_err(|_| bad());
    let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let date = jiff::civil::Date::new(year, month as i8, day as i8)
        .map_err(|_| format!("date `{raw}`: no such day"))?;
    Ok(date.to_string())
}

/// `14:03`, `1403`, `14-03-22`, `14h03` → `14:03:00` / `14:03:22`, checked.
pub(crate) fn normalise_time(raw: &str) -> Result<String, String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let bad = || format!("time `{raw}`: use HH:MM or HH:MM:SS");
    if !(digits.len() == 4 || digits.len() == 6) {
        return Err(bad());
    }
    let number = |at: usize| digits.get(at..at + 2).map_or(Ok(0), |d| d.parse::<i8>());
    let (h, m, s) = (number(0), number(2), number(4));
    let (Ok(h), Ok(m), Ok(s)) = (h, m, s) else { return Err(bad()) };
    let time =
        jiff::civil::Time::new(h, m, s, 0).map_err(|_| format!("time `{raw}`: no such time"))?;
    Ok(time.strftime("%H:%M:%S").to_string())
}

/// Checks a `--since`/`--until` day the same way file dates are checked.
pub fn day_arg(flag: &str, value: Option<&str>) -> anyhow::Result<Option<String>> {
    value.map(|v| normalise_date(v).map_err(|e| anyhow::anyhow!("{flag}: {e}"))).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_pattern_reads_fields_and_checks_them() {
        let source = MetadataSource::new(None, Some("{date}_{time}_{employee}_{call_id}")).unwrap();
        let meta = source.for_file(Path::new("x/20260305_1403_E17_C-0042.wav")).unwrap();
        assert_eq!(meta.call_id, "C-0042");
        assert_eq!(meta.employee_id.as_deref(), Some("E17"));
        assert_eq!(meta.started_at.as_deref(), Some("2026-03-05T14:03:00"));
        let bad = source.for_file(Path::new("20260231_1403_E17_C-1.wav")).unwrap_err();
        assert!(bad.contains("no such day"), "{bad}");
        let unmatched = source.for_file(Path::new("holiday.wav")).unwrap_err();
        assert!(unmatched.contains("does not match"), "{unmatched}");
    }

    #[test]
    fn unknown_employee_is_never_an_id() {
        let source = MetadataSource::new(None, Some("{employee}-{call_id}")).unwrap();
        let meta = source.for_file(Path::new("unknown-7.txt")).unwrap();
        assert_eq!((meta.employee_id, meta.call_id.as_str()), (None, "7"));
    }

    #[test]
    fn bad_patterns_are_refused() {
        for pattern in ["{date", "{colour}_x", "{date}_{date}", "a}b"] {
            assert!(MetadataSource::new(None, Some(pattern)).is_err(), "{pattern}");
        }
    }
}
