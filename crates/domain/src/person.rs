//! Everything stored about one employee, as the store reads it for a subject-access export,
//! and how to find a person's id or name in a text. Plain data: what an export may show of
//! it is the report crate's decision.

use crate::review::Dispute;
use crate::{AnswerValue, CallMetrics, Employee, InteractionKind, Scorecard, Segment};

/// One employee's stored data: their row, their interactions with everything stored with
/// them, and the failed files that name them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    pub employee: Employee,
    /// Oldest first.
    pub interactions: Vec<PersonInteraction>,
    pub failures: Vec<FailedFile>,
    /// The verdicts the employee disputed, oldest first.
    pub disputes: Vec<Dispute>,
}

/// One interaction of the employee with everything stored with it.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonInteraction {
    pub call_id: String,
    pub kind: InteractionKind,
    pub started_at: Option<String>,
    pub ingested_at: String,
    pub queue: Option<String>,
    pub direction: Option<String>,
    /// The file it was read from, as the path was given.
    pub source_path: String,
    pub source_sha256: String,
    pub recording: Option<RecordingFacts>,
    pub transcript: Option<StoredTranscriptText>,
    pub metrics: Option<CallMetrics>,
    /// Every scorecard, automatic or not, of every rubric version, oldest first.
    pub scorecards: Vec<StoredScorecard>,
    pub visit: Option<VisitFacts>,
    /// (question id, answer), in the checklist's order.
    pub answers: Vec<(String, AnswerValue)>,
    pub attachments: Vec<AttachedFile>,
}

/// What is stored about a recording (the audio itself is not in the database).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordingFacts {
    pub path: String,
    pub sha256: String,
    pub codec: String,
    pub duration_ms: Option<u64>,
    pub sample_rate: u32,
    pub channels: u16,
}

/// A stored transcript: where it came from, and its turns numbered from 1.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTranscriptText {
    pub origin: String,
    pub language: Option<String>,
    /// (turn, segment).
    pub turns: Vec<(u32, Segment)>,
}

/// A scorecard with the facts of its row: its kind, when it was made, and the exact rubric
/// text behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredScorecard {
    /// `automatic`, or the kinds human review adds.
    pub kind: String,
    pub scored_at: String,
    pub rubric_title: String,
    pub rubric_sha256: String,
    pub scorecard: Scorecard,
}

/// A mystery shopper's facts about a visit or a mystery call.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VisitFacts {
    pub location: Option<String>,
    pub time_in: Option<String>,
    pub time_out: Option<String>,
    /// The shopper: another person, whom an export leaves out.
    pub shopper_id: Option<String>,
    pub employee_description: Option<String>,
}

/// A file kept with an answer, by path and content hash.
#[derive(Debug, Clone, PartialEq)]
pub struct AttachedFile {
    pub question: String,
    pub path: String,
    pub sha256: String,
    pub size_bytes: u64,
}

/// A file that could not be ingested, as the store remembers it.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedFile {
    pub path: String,
    pub sha256: Option<String>,
    pub reason: String,
    pub attempts: i64,
    pub last_failed_at: String,
}

/// Byte ranges of `text` where the employee is named: their id, or their name, as whole words
/// and ignoring case. A name matches with any of ` `, `_`, `-`, `.` between its words, or
/// none (`Anna Berg`, `anna_berg`, `AnnaBerg`), as file and folder names spell people.
pub fn mentions(text: &str, employee: &Employee) -> Vec<std::ops::Range<usize>> {
    let mut found: Vec<std::ops::Range<usize>> = Vec::new();
    let words = words(text);
    for target in std::iter::once(employee.id.as_str()).chain(employee.name.as_deref()) {
        let wanted: Vec<String> = words_of(target);
        if wanted.is_empty() {
            continue;
        }
        let joined: String = wanted.concat();
        for start in 0..words.len() {
            // The words one after the other, separated only by the allowed characters.
            let mut end = start;
            let mut matched = true;
            for (k, want) in wanted.iter().enumerate() {
                let Some(word) = words.get(start + k) else {
                    matched = false;
                    break;
                };
                let separated =
                    k == 0 || only_separators(&text[words[start + k - 1].1.end..word.1.start]);
                if word.0 != *want || !separated {
                    matched = false;
                    break;
                }
                end = start + k;
            }
            if matched {
                found.push(words[start].1.start..words[end].1.end);
            } else if wanted.len() > 1 && words[start].0 == joined {
                found.push(words[start].1.clone());
            }
        }
    }
    found.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for range in found {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Byte ranges of `text` where the first word of the employee's name stands alone, as a whole
/// word, ignoring case ("Jonas" of "Jonas Lie"): how colleagues name each other in a call.
/// Looser than [`mentions`], so only for hiding other people, never for deciding what is the
/// person's.
pub fn first_name_mentions(text: &str, employee: &Employee) -> Vec<std::ops::Range<usize>> {
    let Some(first) = employee.name.as_deref().map(words_of).and_then(|w| w.into_iter().next())
    else {
        return Vec::new();
    };
    if first.chars().count() < 2 {
        return Vec::new();
    }
    words(text).into_iter().filter(|(w, _)| *w == first).map(|(_, range)| range).collect()
}

/// The words of a text (runs of letters and digits), lowercased, with their byte ranges.
fn words(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((text[s..i].to_lowercase(), s..i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn words_of(text: &str) -> Vec<String> {
    words(text).into_iter().map(|(w, _)| w).collect()
}

fn only_separators(between: &str) -> bool {
    between.len() <= 3 && between.chars().all(|c| matches!(c, ' ' | '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anna() -> Employee {
        Employee { id: "E101".into(), name: Some("Anna Berg".into()) }
    }

    fn found<'a>(text: &'a str, who: &Employee) -> Vec<&'a str> {
        mentions(text, who).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn ids_and_names_are_found_as_whole_words_in_any_spelling() {
        let anna = anna();
        assert_eq!(found("calls/2026-03-01_E101_x.wav", &anna), ["E101"]);
        assert_eq!(found("e101 said so", &anna), ["e101"]);
        assert_eq!(found("/home/x/Anna_Berg/call.wav", &anna), ["Anna_Berg"]);
        assert_eq!(found("by anna.berg and AnnaBerg", &anna), ["anna.berg", "AnnaBerg"]);
        assert_eq!(found("Anna Berg (E101)", &anna), ["Anna Berg", "E101"]);
    }

    #[test]
    fn a_first_name_alone_is_found_only_by_the_loose_search() {
        let anna = anna();
        let text = "transfer to anna, or Annabel";
        assert!(found(text, &anna).is_empty());
        let loose: Vec<&str> =
            first_name_mentions(text, &anna).into_iter().map(|r| &text[r]).collect();
        assert_eq!(loose, ["anna"]);
    }

    #[test]
    fn parts_of_other_words_and_half_names_are_not_mentions() {
        let anna = anna();
        assert!(found("E1010 and XE101 and Annabel Bergen", &anna).is_empty());
        assert!(found("Anna speaking", &anna).is_empty());
        assert!(found("Anna, Berg", &anna).is_empty());
        let short = Employee { id: "E1".into(), name: None };
        assert!(found("E101", &short).is_empty());
        assert_eq!(found("E1: late", &short), ["E1"]);
    }
}
