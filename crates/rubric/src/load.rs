//! Reads rubric TOML into the schema types, collecting every syntax and type error with its span.
//!
//! serde stops at the first error of a value, so the document is parsed once with spans and
//! then the header, each section and each criterion are deserialized on their own: one broken
//! criterion does not hide the problems of the next.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::error::Problem;
use crate::schema::{ChecklistQuestionConfig, CriterionConfig, HeaderConfig, SectionConfig};

/// Byte spans of the keys' values of one table, for semantic errors.
pub type KeySpans = BTreeMap<String, Range<usize>>;

#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub config: T,
    /// The whole table.
    pub span: Range<usize>,
    pub keys: KeySpans,
}

impl<T> Loaded<T> {
    /// The span of a key's value, or of the whole table when the key is absent.
    pub fn span_of(&self, key: &str) -> Range<usize> {
        self.keys.get(key).cloned().unwrap_or_else(|| self.span.clone())
    }
}

#[derive(Debug, Clone)]
pub struct LoadedSection {
    pub section: Loaded<SectionConfig>,
    pub criteria: Vec<Loaded<CriterionConfig>>,
}

#[derive(Debug, Clone)]
pub struct LoadedRubric {
    pub header: Loaded<HeaderConfig>,
    pub sections: Vec<LoadedSection>,
    pub questions: Vec<Loaded<ChecklistQuestionConfig>>,
}

/// Parses `source`; on failure returns every problem found, in source order.
pub fn load(source: &str) -> Result<LoadedRubric, Vec<Problem>> {
    let mut problems = Vec::new();
    let (document, syntax_errors) = DeTable::parse_recoverable(source);
    for error in syntax_errors {
        problems.push(problem_from(source, &error, 0));
    }
    let document_span = document.span();
    let mut root = document.into_inner();

    let sections_value = root.remove("section");
    let questions = match root.remove("question") {
        Some(value) => {
            load_array::<ChecklistQuestionConfig>(source, value, "question", &mut problems)
        }
        None => Vec::new(),
    };
    let header = deserialize_table::<HeaderConfig>(source, root, document_span, &mut problems);

    let mut sections = Vec::new();
    match sections_value {
        None => problems.push(Problem::at(
            source,
            0,
            "missing `[[section]]`: a rubric needs at least one section",
        )),
        Some(value) => {
            let span = value.span();
            match value.into_inner() {
                DeValue::Array(items) => {
                    for item in items.iter() {
                        if let Some(section) = load_section(source, item.clone(), &mut problems) {
                            sections.push(section);
                        }
                    }
                }
                other => problems.push(Problem::at(
                    source,
                    span.start,
                    format!(
                        "`section` must be an array of tables (`[[section]]`), found {}",
                        other.type_str()
                    ),
                )),
            }
        }
    }

    problems.sort_by_key(|p| (p.line, p.column));
    problems.dedup();
    match header {
        Some(header) if problems.is_empty() => Ok(LoadedRubric { header, sections, questions }),
        _ => Err(problems),
    }
}

fn load_section(
    source: &str,
    value: Spanned<DeValue<'_>>,
    problems: &mut Vec<Problem>,
) -> Option<LoadedSection> {
    let span = value.span();
    let DeValue::Table(mut table) = value.into_inner() else {
        problems.push(Problem::at(source, span.start, "each `[[section]]` must be a table"));
        return None;
    };
    let criteria_value = table.remove("criterion");
    let section = deserialize_table::<SectionConfig>(source, table, span.clone(), problems);

    let criteria = match criteria_value {
        None => {
            problems.push(Problem::at(
                source,
                span.start,
                "section has no `[[section.criterion]]`: add at least one criterion",
            ));
            Vec::new()
        }
        Some(value) => load_array::<CriterionConfig>(source, value, "section.criterion", problems),
    };
    Some(LoadedSection { section: section?, criteria })
}

/// Loads an array of tables (`[[key]]`), each table on its own so one broken entry does not
/// hide the problems of the next.
fn load_array<T: DeserializeOwned>(
    source: &str,
    value: Spanned<DeValue<'_>>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Vec<Loaded<T>> {
    let list_span = value.span();
    let DeValue::Array(items) = value.into_inner() else {
        problems.push(Problem::at(
            source,
            list_span.start,
            format!("`{key}` must be an array of tables (`[[{key}]]`)"),
        ));
        return Vec::new();
    };
    let mut loaded = Vec::new();
    for item in items.iter() {
        let item_span = item.span();
        match item.clone().into_inner() {
            DeValue::Table(t) => {
                loaded.extend(deserialize_table::<T>(source, t, item_span, problems));
            }
            other => problems.push(Problem::at(
                source,
                item_span.start,
                format!("each `[[{key}]]` must be a table, found {}", other.type_str()),
            )),
        }
    }
    loaded
}

/// Deserializes a table. serde stops at the first bad key, so after each error the key at
/// fault is dropped and the table tried again, to report the other keys' problems too; a
/// missing required key ends the retries, since no retry can supply it.
fn deserialize_table<T: DeserializeOwned>(
    source: &str,
    mut table: DeTable<'_>,
    span: Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<Loaded<T>> {
    let keys: KeySpans = table.iter().map(|(k, v)| (k.get_ref().to_string(), v.span())).collect();
    let mut dropped: Vec<String> = Vec::new();
    loop {
        let value = Spanned::new(span.clone(), DeValue::Table(table.clone()));
        let error = match T::deserialize(ValueDeserializer::from(value)) {
            Ok(config) if dropped.is_empty() => return Some(Loaded { config, span, keys }),
            Ok(_) => return None,
            Err(error) => error,
        };
        if dropped.iter().any(|key| error.message().contains(&format!("missing field `{key}`"))) {
            return None;
        }
        problems.push(problem_from(source, &error, span.start));
        let at = error.span().map_or(usize::MAX, |s| s.start);
        let culprit = table
            .iter()
            .find(|(k, v)| k.span().contains(&at) || v.span().contains(&at))
            .map(|(k, _)| k.get_ref().to_string());
        match culprit {
            Some(key) if dropped.len() < 32 => {
                table.remove(key.as_str());
                dropped.push(key);
            }
            _ => return None,
        }
    }
}

fn problem_from(source: &str, error: &toml::de::Error, fallback: usize) -> Problem {
    let offset = error.span().map_or(fallback, |s| s.start);
    let message = error.message().trim().trim_end_matches('.').replace('\n', " ");
    Problem::at(source, offset, message)
}
