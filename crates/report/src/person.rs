//! A person's export (subject access): what of everything stored about one employee they get
//! to see. Their own words and results, with other people left out: customer speech and
//! turns whose speaker is unknown are withheld, customer details in what is kept are masked,
//! the shopper and folder names are dropped, and any other employee's id or name, wherever it
//! appears, is replaced.

use std::collections::HashSet;

use qadesk_domain::person::{PersonInteraction, PersonRecord, first_name_mentions, mentions};
use qadesk_domain::{AnswerValue, CallMetrics, Employee, Evidence, Role, Scorecard, Verdict};
use serde::Serialize;

use crate::mask::mask;

/// What replaces a customer's words, in the transcript and in evidence quotes.
pub const WITHHELD_CUSTOMER: &str = "[withheld: the customer's words]";
/// What replaces the words of a turn whose speaker is not known (a mono recording without
/// roles): it may be the customer.
pub const WITHHELD_UNKNOWN: &str = "[withheld: speaker not known]";
/// What replaces another employee's id or name.
pub const OTHER_EMPLOYEE: &str = "[another employee]";

/// The export's `format` field, and its version: bumped when a field changes meaning.
pub const EXPORT_FORMAT: &str = "qadesk-person-export";
pub const EXPORT_VERSION: u32 = 1;

/// Said in every export, so that the person knows what was left out and why.
const POLICY: &[&str] = &[
    "This is everything qadesk stores about you: your employee record, the interactions \
     attributed to you with their transcripts, call metrics, scorecards (every rubric version) \
     and mystery-shopping answers, the verdicts you disputed, and the failed files whose path or \
     error names you.",
    "Other people's data is left out. Customer speech, and turns whose speaker is not known, \
     are withheld (their time and turn number are kept); customer details in the rest \
     (numbers, e-mail and street addresses) are masked with •••.",
    "Mystery shoppers, reviewers and whoever decided a dispute are not named, file paths are reduced to file names, and any other \
     employee's id, name or first name is replaced by [another employee].",
    "Recordings are not stored in the database; their file names and SHA-256 hashes are listed.",
];

#[derive(Debug, Clone, Serialize)]
pub struct PersonExport {
    pub format: &'static str,
    pub version: u32,
    pub exported_at: String,
    pub employee: ExportedEmployee,
    pub policy: Vec<&'static str>,
    pub interactions: Vec<ExportedInteraction>,
    pub failures: Vec<ExportedFailure>,
    /// The verdicts the person disputed; who decided is another person and is left out.
    pub disputes: Vec<ExportedDispute>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedDispute {
    pub call_id: String,
    pub rubric: String,
    pub criterion: String,
    pub verdict: Verdict,
    pub reason: String,
    pub opened_at: String,
    pub outcome: Option<&'static str>,
    pub decided_at: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedEmployee {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedInteraction {
    pub call_id: String,
    pub kind: &'static str,
    pub started_at: Option<String>,
    pub ingested_at: String,
    pub queue: Option<String>,
    pub direction: Option<String>,
    /// The file's name, without its folders.
    pub source_file: String,
    pub source_sha256: String,
    pub recording: Option<ExportedRecording>,
    pub transcript: Option<ExportedTranscript>,
    pub metrics: Option<CallMetrics>,
    pub scorecards: Vec<ExportedScorecard>,
    pub visit: Option<ExportedVisit>,
    pub answers: Vec<ExportedAnswer>,
    pub attachments: Vec<ExportedAttachment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedRecording {
    pub file: String,
    pub sha256: String,
    pub codec: String,
    pub duration_ms: Option<u64>,
    pub sample_rate: u32,
    pub channels: u16,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedTranscript {
    pub origin: String,
    pub language: Option<String>,
    pub turns: Vec<ExportedTurn>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedTurn {
    pub turn: u32,
    pub speaker: Role,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    pub text: String,
    /// True when `text` is a placeholder for words that are not the employee's.
    pub withheld: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedScorecard {
    pub kind: String,
    pub scored_at: String,
    pub rubric_title: String,
    pub rubric_sha256: String,
    /// The scorecard contract (`qadesk score --format json`), with quotes and reasons treated
    /// like the transcript.
    pub scorecard: Scorecard,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedVisit {
    pub location: Option<String>,
    pub time_in: Option<String>,
    pub time_out: Option<String>,
    pub employee_description: Option<String>,
    /// The shopper is another person: only whether one was recorded is said.
    pub shopper_recorded: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedAnswer {
    pub question: String,
    pub answer: AnswerValue,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedAttachment {
    pub question: String,
    pub file: String,
    pub sha256: String,
    pub size_bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportedFailure {
    pub file: String,
    pub sha256: Option<String>,
    pub reason: String,
    pub attempts: i64,
    pub last_failed_at: String,
}

/// Builds the export of `record`. `everyone` is every employee the store knows; all but the
/// person are replaced wherever their id or name appears. `exported_at` is stamped as given.
pub fn build_export(
    record: &PersonRecord,
    everyone: &[Employee],
    exported_at: &str,
) -> PersonExport {
    let me = &record.employee;
    let mut export = PersonExport {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exported_at: exported_at.to_string(),
        employee: ExportedEmployee { id: me.id.clone(), name: me.name.clone() },
        policy: POLICY.to_vec(),
        interactions: record.interactions.iter().map(interaction).collect(),
        failures: record
            .failures
            .iter()
            .map(|f| ExportedFailure {
                file: file_name(&f.path),
                sha256: f.sha256.clone(),
                reason: f.reason.clone(),
                attempts: f.attempts,
                last_failed_at: f.last_failed_at.clone(),
            })
            .collect(),
        disputes: record
            .disputes
            .iter()
            .map(|d| ExportedDispute {
                call_id: d.call_id.clone(),
                rubric: d.rubric.clone(),
                criterion: d.criterion.clone(),
                verdict: d.verdict,
                reason: mask(&d.reason),
                opened_at: d.opened_at.clone(),
                outcome: d.outcome.map(|o| o.as_str()),
                decided_at: d.decided_at.clone(),
                note: d.note.as_deref().map(mask),
            })
            .collect(),
    };
    let others: Vec<&Employee> = everyone.iter().filter(|e| e.id != me.id).collect();
    let scrubber = Scrubber::new(me, &others);
    for item in &mut export.interactions {
        scrub_interaction(item, &scrubber);
    }
    for failure in &mut export.failures {
        scrubber.apply(&mut failure.file);
        scrubber.apply(&mut failure.reason);
    }
    for dispute in &mut export.disputes {
        for text in [&mut dispute.call_id, &mut dispute.reason] {
            scrubber.apply(text);
        }
        if let Some(note) = &mut dispute.note {
            scrubber.apply(note);
        }
    }
    export
}

fn interaction(item: &PersonInteraction) -> ExportedInteraction {
    // Whose words each turn holds, so evidence quotes follow the transcript's decision.
    let speakers: Vec<Role> = item
        .transcript
        .as_ref()
        .map(|t| t.turns.iter().map(|(_, s)| s.speaker).collect())
        .unwrap_or_default();
    ExportedInteraction {
        call_id: item.call_id.clone(),
        kind: kind_name(item.kind),
        started_at: item.started_at.clone(),
        ingested_at: item.ingested_at.clone(),
        queue: item.queue.clone(),
        direction: item.direction.clone(),
        source_file: file_name(&item.source_path),
        source_sha256: item.source_sha256.clone(),
        recording: item.recording.as_ref().map(|r| ExportedRecording {
            file: file_name(&r.path),
            sha256: r.sha256.clone(),
            codec: r.codec.clone(),
            duration_ms: r.duration_ms,
            sample_rate: r.sample_rate,
            channels: r.channels,
        }),
        transcript: item.transcript.as_ref().map(|t| ExportedTranscript {
            origin: file_name(&t.origin),
            language: t.language.clone(),
            turns: t
                .turns
                .iter()
                .map(|(turn, s)| {
                    let (text, withheld) = words_of(s.speaker, &s.text);
                    ExportedTurn {
                        turn: *turn,
                        speaker: s.speaker,
                        start_ms: s.start_ms,
                        end_ms: s.end_ms,
                        text,
                        withheld,
                    }
                })
                .collect(),
        }),
        metrics: item.metrics.clone(),
        scorecards: item
            .scorecards
            .iter()
            .map(|stored| {
                let mut card = stored.scorecard.clone();
                for criterion in &mut card.criteria {
                    criterion.reason = mask(&criterion.reason);
                    for evidence in &mut criterion.evidence {
                        evidence.quote = quote(evidence, &speakers);
                    }
                }
                ExportedScorecard {
                    kind: stored.kind.clone(),
                    scored_at: stored.scored_at.clone(),
                    rubric_title: stored.rubric_title.clone(),
                    rubric_sha256: stored.rubric_sha256.clone(),
                    scorecard: card,
                }
            })
            .collect(),
        visit: item.visit.as_ref().map(|v| ExportedVisit {
            location: v.location.clone(),
            time_in: v.time_in.clone(),
            time_out: v.time_out.clone(),
            employee_description: v.employee_description.clone(),
            shopper_recorded: v.shopper_id.is_some(),
        }),
        answers: item
            .answers
            .iter()
            .map(|(question, answer)| ExportedAnswer {
                question: question.clone(),
                answer: match answer {
                    // A file question's answer is the attachment's path: its name is enough.
                    AnswerValue::Text(path)
                        if item.attachments.iter().any(|a| a.question == *question) =>
                    {
                        AnswerValue::Text(file_name(path))
                    }
                    AnswerValue::Text(text) => AnswerValue::Text(mask(text)),
                    other => other.clone(),
                },
            })
            .collect(),
        attachments: item
            .attachments
            .iter()
            .map(|a| ExportedAttachment {
                question: a.question.clone(),
                file: file_name(&a.path),
                sha256: a.sha256.clone(),
                size_bytes: a.size_bytes,
            })
            .collect(),
    }
}

/// The words of a turn as the export shows them, and whether they were withheld.
fn words_of(speaker: Role, text: &str) -> (String, bool) {
    match speaker {
        Role::Agent => (mask(text), false),
        Role::Customer => (WITHHELD_CUSTOMER.to_string(), true),
        Role::Unknown => (WITHHELD_UNKNOWN.to_string(), true),
    }
}

/// An evidence quote: from a transcript turn (it names one) it is treated like that turn; a
/// checklist's evidence quotes the shopper's answer and is masked like the answers.
fn quote(evidence: &Evidence, speakers: &[Role]) -> String {
    match evidence.turn {
        Some(turn) => {
            let speaker = turn
                .checked_sub(1)
                .and_then(|i| speakers.get(i))
                .copied()
                .unwrap_or(evidence.speaker);
            // The evidence's own speaker decides too: either being someone else withholds it.
            let speaker = if evidence.speaker == Role::Agent { speaker } else { evidence.speaker };
            words_of(speaker, &evidence.quote).0
        }
        None => mask(&evidence.quote),
    }
}

/// The last component of a path (either separator), or the text itself.
fn file_name(path: &str) -> String {
    let path = path.trim_end_matches(['/', '\\']);
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

fn kind_name(kind: qadesk_domain::InteractionKind) -> &'static str {
    match kind {
        qadesk_domain::InteractionKind::Call => "call",
        qadesk_domain::InteractionKind::MysteryCall => "mystery-call",
        qadesk_domain::InteractionKind::Visit => "visit",
    }
}

fn scrub_interaction(item: &mut ExportedInteraction, scrubber: &Scrubber<'_>) {
    for text in [&mut item.call_id, &mut item.source_file, &mut item.source_sha256] {
        scrubber.apply(text);
    }
    for text in [&mut item.queue, &mut item.direction, &mut item.started_at].into_iter().flatten() {
        scrubber.apply(text);
    }
    if let Some(recording) = &mut item.recording {
        scrubber.apply(&mut recording.file);
    }
    if let Some(transcript) = &mut item.transcript {
        scrubber.apply(&mut transcript.origin);
        for turn in &mut transcript.turns {
            scrubber.apply(&mut turn.text);
        }
    }
    for stored in &mut item.scorecards {
        scrubber.apply(&mut stored.rubric_title);
        for criterion in &mut stored.scorecard.criteria {
            scrubber.apply(&mut criterion.reason);
            for evidence in &mut criterion.evidence {
                scrubber.apply(&mut evidence.quote);
            }
        }
    }
    if let Some(visit) = &mut item.visit {
        for text in [&mut visit.location, &mut visit.employee_description].into_iter().flatten() {
            scrubber.apply(text);
        }
    }
    for answer in &mut item.answers {
        if let AnswerValue::Text(text) = &mut answer.answer {
            scrubber.apply(text);
        }
    }
    for attachment in &mut item.attachments {
        scrubber.apply(&mut attachment.file);
    }
}

/// Replaces other employees' ids, names and first names in texts, leaving the person's own
/// id and name alone.
struct Scrubber<'a> {
    me: &'a Employee,
    others: &'a [&'a Employee],
    /// Every word of the others' ids and names, and their names run together, lowercased: a
    /// text without any of them is left alone without looking further.
    words: HashSet<String>,
}

impl<'a> Scrubber<'a> {
    fn new(me: &'a Employee, others: &'a [&'a Employee]) -> Self {
        let mut words = HashSet::new();
        for other in others {
            for text in std::iter::once(other.id.as_str()).chain(other.name.as_deref()) {
                let parts = lower_words(text);
                words.insert(parts.concat());
                words.extend(parts);
            }
        }
        Scrubber { me, others, words }
    }

    fn apply(&self, text: &mut String) {
        if !lower_words(text).iter().any(|w| self.words.contains(w)) {
            return;
        }
        let mine = mentions(text, self.me);
        let my_first = first_word(self.me);
        let mut ranges: Vec<std::ops::Range<usize>> = self
            .others
            .iter()
            .flat_map(|other| {
                let mut found = mentions(text, other);
                // A first name the person shares is theirs as much as the other's: kept.
                if first_word(other) != my_first {
                    found.extend(first_name_mentions(text, other));
                }
                found
            })
            .filter(|r| !mine.iter().any(|m| m.start < r.end && r.start < m.end))
            .collect();
        ranges.sort_by_key(|r| r.start);
        let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
        for range in ranges {
            match merged.last_mut() {
                Some(last) if range.start < last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        // From the end, so that the earlier ranges keep their offsets.
        for range in merged.into_iter().rev() {
            text.replace_range(range, OTHER_EMPLOYEE);
        }
    }
}

fn first_word(employee: &Employee) -> Option<String> {
    employee.name.as_deref().and_then(|name| lower_words(name).into_iter().next())
}

fn lower_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use qadesk_domain::person::{FailedFile, StoredScorecard, StoredTranscriptText, VisitFacts};
    use qadesk_domain::{CriterionResult, InteractionKind, Segment, Verdict};

    use super::*;

    fn employee(id: &str, name: &str) -> Employee {
        Employee { id: id.into(), name: Some(name.into()) }
    }

    fn record() -> PersonRecord {
        let turns = vec![
            (1, Segment::timed(Role::Agent, 0, 3_000, "Anna here, call me on 912 34 567.")),
            (2, Segment::timed(Role::Customer, 3_500, 6_000, "I'm Ola Nordmann, 12 Mill Lane.")),
            (3, Segment::timed(Role::Agent, 6_500, 9_000, "Jonas Lie (E102) will call back.")),
            (4, Segment::timed(Role::Unknown, 9_500, 11_000, "Thanks, bye.")),
        ];
        let evidence = |turn: usize, speaker: Role, quote: &str| Evidence {
            speaker,
            start_ms: None,
            end_ms: None,
            quote: quote.into(),
            turn: Some(turn),
        };
        let card = Scorecard {
            interaction: "C1".into(),
            rubric: "call-quality".into(),
            rubric_version: 1,
            score: Some(50.0),
            band: None,
            score_unit: "percent".into(),
            points: 5.0,
            max_points: 10.0,
            language: Some("en".into()),
            critical_miss: false,
            sections: Vec::new(),
            criteria: vec![CriterionResult {
                id: "empathy".into(),
                section: "s".into(),
                verdict: Verdict::Pass,
                points: 5.0,
                max: 10.0,
                value: None,
                critical_miss: false,
                evidence: vec![
                    evidence(2, Role::Customer, "I'm Ola Nordmann, 12 Mill Lane."),
                    evidence(3, Role::Agent, "Jonas Lie (E102) will call back."),
                    Evidence {
                        turn: None,
                        ..evidence(0, Role::Unknown, "comments: ring 555 1234")
                    },
                ],
                reason: "agent said \"call me\" at 00:00 (Jonas Lie was cc'd)".into(),
            }],
        };
        PersonRecord {
            employee: employee("E101", "Anna Berg"),
            interactions: vec![PersonInteraction {
                call_id: "C1".into(),
                kind: InteractionKind::MysteryCall,
                started_at: Some("2026-03-01".into()),
                ingested_at: "2026-03-02T10:00:00Z".into(),
                queue: None,
                direction: None,
                source_path: "/home/jonas.lie/answers/c1.toml".into(),
                source_sha256: "ab".into(),
                recording: None,
                transcript: Some(StoredTranscriptText {
                    origin: "whisper:ggml-base.bin".into(),
                    language: Some("en".into()),
                    turns,
                }),
                metrics: None,
                scorecards: vec![StoredScorecard {
                    kind: "automatic".into(),
                    scored_at: "2026-03-02T10:00:00Z".into(),
                    rubric_title: "Call quality".into(),
                    rubric_sha256: "cd".into(),
                    scorecard: card,
                }],
                visit: Some(VisitFacts {
                    shopper_id: Some("S07".into()),
                    employee_description: Some("Anna Berg, at the till".into()),
                    ..VisitFacts::default()
                }),
                answers: vec![(
                    "comments".into(),
                    AnswerValue::Text("Better than Jonas; email anna@example.com".into()),
                )],
                attachments: Vec::new(),
            }],
            failures: vec![FailedFile {
                path: "/calls/E101/bad.wav".into(),
                sha256: None,
                reason: "/calls/E101/bad.wav: truncated, like E102's".into(),
                attempts: 2,
                last_failed_at: "2026-03-03T00:00:00Z".into(),
            }],
            disputes: Vec::new(),
        }
    }

    fn exported() -> (PersonExport, String) {
        let everyone = [
            employee("E101", "Anna Berg"),
            employee("E102", "Jonas Lie"),
            Employee { id: "E103".into(), name: None },
        ];
        let export = build_export(&record(), &everyone, "2026-11-25T00:00:00Z");
        let json = serde_json::to_string(&export).expect("serializes");
        (export, json)
    }

    #[test]
    fn customer_and_unknown_words_are_withheld_and_the_agent_s_kept_masked() {
        let (export, json) = exported();
        let turns = &export.interactions[0].transcript.as_ref().expect("transcript").turns;
        assert_eq!(turns[0].text, "Anna here, call me on •••.");
        assert_eq!((turns[1].text.as_str(), turns[1].withheld), (WITHHELD_CUSTOMER, true));
        assert_eq!((turns[3].text.as_str(), turns[3].withheld), (WITHHELD_UNKNOWN, true));
        assert_eq!(turns[1].start_ms, Some(3_500));
        let evidence = &export.interactions[0].scorecards[0].scorecard.criteria[0].evidence;
        assert_eq!(evidence[0].quote, WITHHELD_CUSTOMER);
        assert_eq!(evidence[2].quote, "comments: ring •••");
        for gone in ["Ola", "Nordmann", "Mill Lane", "912 34 567", "S07", "anna@example.com"] {
            assert!(!json.contains(gone), "{gone} in {json}");
        }
    }

    #[test]
    fn a_first_name_the_person_shares_with_a_colleague_is_kept() {
        let everyone = [employee("E101", "Anna Berg"), employee("E109", "Anna Lie")];
        let export = build_export(&record(), &everyone, "2026-11-25T00:00:00Z");
        let turns = &export.interactions[0].transcript.as_ref().expect("transcript").turns;
        assert_eq!(turns[0].text, "Anna here, call me on •••.");
        let mut text = "Anna Lie and Anna".to_string();
        let others = [&everyone[1]];
        Scrubber::new(&everyone[0], &others).apply(&mut text);
        assert_eq!(text, "[another employee] and Anna");
    }

    #[test]
    fn other_employees_are_replaced_everywhere_and_the_person_kept() {
        let (export, json) = exported();
        for other in ["E102", "Jonas", "jonas", "Lie"] {
            assert!(!json.contains(other), "{other} in {json}");
        }
        let item = &export.interactions[0];
        let agent = &item.transcript.as_ref().expect("transcript").turns[2].text;
        assert_eq!(agent, "[another employee] (•••) will call back.");
        assert_eq!(item.source_file, "c1.toml");
        assert_eq!(
            item.scorecards[0].scorecard.criteria[0].reason,
            "agent said \"call me\" at 00:00 ([another employee] was cc'd)"
        );
        assert_eq!(
            export.failures[0].reason,
            "/calls/E101/bad.wav: truncated, like [another employee]'s"
        );
        assert_eq!(export.failures[0].file, "bad.wav");
        assert_eq!(
            item.answers[0].answer,
            AnswerValue::Text("Better than [another employee]; email •••@•••".into())
        );
        assert!(json.contains("Anna Berg, at the till"), "{json}");
        assert!(json.contains("\"id\":\"E101\""), "{json}");
        assert!(item.visit.as_ref().is_some_and(|v| v.shopper_recorded));
    }
}
