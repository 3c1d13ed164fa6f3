//! Everything that writes: one interaction with its recording, transcript, metrics and
//! scorecard in one transaction; rubric texts; re-scoring; the list of failed files.

use std::path::Path;

use qadesk_domain::{AnswerValue, CallMetrics, InteractionKind, Scorecard, Transcript};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use crate::error::{Context, StoreError};
use crate::{Store, kind_name};

/// The file an interaction came from. Its content hash is what makes ingest idempotent.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub sha256: String,
}

/// Whether a call was taken or made by the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

/// What is known about an interaction besides its content. An unknown employee stays `None`:
/// the store never guesses who took a call.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    pub call_id: String,
    pub kind: InteractionKind,
    pub employee_id: Option<String>,
    pub employee_name: Option<String>,
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`, local time of the call.
    pub started_at: Option<String>,
    pub queue: Option<String>,
    pub direction: Option<Direction>,
}

/// Facts about a recording that was transcribed.
#[derive(Debug, Clone)]
pub struct RecordingInfo {
    /// The audio file; for a mystery call it differs from the answer file it came with.
    pub path: String,
    pub sha256: String,
    pub codec: String,
    pub duration_ms: Option<u64>,
    pub sample_rate: u32,
    pub channels: u16,
    /// Wall time spent transcribing it.
    pub transcribe_ms: u64,
}

/// The exact text of a rubric, kept so every score can be reproduced and explained.
#[derive(Debug, Clone, Copy)]
pub struct RubricText<'a> {
    pub rubric_id: &'a str,
    pub version: u32,
    pub title: &'a str,
    pub sha256: &'a str,
    pub toml: &'a str,
}

/// Where something was redacted in a stored transcript: never what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redaction {
    /// 1-based, as `segments.turn`.
    pub turn: usize,
    /// `card-number`, `security-code`, `expiry-date`, `phone-number`, `email`, `national-id`.
    pub kind: &'static str,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
}

/// One interaction, complete, as ingest stores it.
#[derive(Debug, Clone)]
pub struct NewInteraction {
    pub source: SourceFile,
    pub meta: Metadata,
    pub recording: Option<RecordingInfo>,
    /// None for a visit, which has answers and no transcript.
    pub transcript: Option<Transcript>,
    /// Where the transcript came from: `file:txt`, `whisper:ggml-base.bin`, …
    pub origin: String,
    pub metrics: Option<CallMetrics>,
    /// Each scorecard with the row id [`Store::rubric`] returned for its rubric: a call rubric,
    /// a checklist, or both for a mystery call.
    pub scorecards: Vec<(i64, Scorecard)>,
    /// Where and when a mystery shopper's visit or call took place.
    pub visit: Option<VisitInfo>,
    /// The shopper's checklist answers, in the checklist's order.
    pub answers: Vec<(String, AnswerValue)>,
    pub attachments: Vec<Attachment>,
    /// Where the transcript was redacted.
    pub redactions: Vec<Redaction>,
}

/// The facts of a mystery-shopping visit or call besides its answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitInfo {
    pub location: Option<String>,
    /// `HH:MM`
    pub time_in: Option<String>,
    pub time_out: Option<String>,
    pub shopper_id: Option<String>,
    /// Who served the shopper, when their name or id is not known.
    pub employee_description: Option<String>,
}

/// A file kept with an answer (a photo of a receipt): by path and content hash, not copied.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub question: String,
    pub path: String,
    pub sha256: String,
    pub size_bytes: u64,
}

/// What happened to one interaction handed to [`Store::insert_batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Inserted {
        interaction: i64,
    },
    /// The same content was stored before (by an earlier run or another process).
    AlreadyStored {
        interaction: i64,
    },
}

/// A file that could not be ingested, kept so `--retry-failed` can find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub path: String,
    pub sha256: Option<String>,
    pub reason: String,
    pub attempts: i64,
}

pub(crate) const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

impl Store {
    /// True when a file with this content hash is already stored.
    pub fn has_source(&self, sha256: &str) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached("SELECT 1 FROM interactions WHERE source_sha256 = ?1")
            .and_then(|mut s| s.exists([sha256]))
            .step(&self.path, "cannot look up a file hash")
    }

    /// The row id of a rubric text, storing it the first time it is used.
    pub fn rubric(&mut self, rubric: &RubricText<'_>) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let tx = self.write_transaction()?;
        let id = rubric_row(&tx, rubric).step(&path, "cannot store the rubric")?;
        tx.commit().step(&path, "cannot commit the rubric")?;
        Ok(id)
    }

    /// Stores interactions in one transaction, each inside its own savepoint: an interaction
    /// that cannot be stored (its call id is taken) is reported alone and the others are kept.
    /// A process killed at any point leaves each interaction either complete or absent.
    pub fn insert_batch(
        &mut self,
        items: &[NewInteraction],
    ) -> Result<Vec<Result<Stored, StoreError>>, StoreError> {
        let path = self.path.clone();
        let mut tx = self.write_transaction()?;
        let mut outcomes = Vec::with_capacity(items.len());
        for item in items {
            let mut savepoint = tx.savepoint().step(&path, "cannot start a savepoint")?;
            let outcome = insert_one(&savepoint, item, &path);
            if outcome.is_ok() {
                savepoint.commit().step(&path, "cannot release a savepoint")?;
            } else {
                savepoint.rollback().step(&path, "cannot roll back a savepoint")?;
            }
            outcomes.push(outcome);
        }
        tx.commit().step(&path, "cannot commit the interactions")?;
        Ok(outcomes)
    }

    /// Replaces the automatic scorecard each interaction has for `rubric` (or adds one), all
    /// in one transaction.
    pub fn save_scorecards(
        &mut self,
        rubric: i64,
        cards: &[(i64, Scorecard)],
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.write_transaction()?;
        for (interaction, card) in cards {
            insert_scorecard(&tx, *interaction, rubric, card)
                .step(&path, "cannot store a scorecard")?;
        }
        tx.commit().step(&path, "cannot commit the scorecards")
    }

    /// Replaces the text of stored transcripts with their redacted text, and their redactions,
    /// all in one transaction: for transcripts stored before redaction existed. Evidence
    /// quoting an utterance whole is replaced with the redacted utterance, in every scorecard
    /// of the interaction.
    pub fn redact_stored(
        &mut self,
        items: &[(i64, &Transcript, &Transcript, &[Redaction])],
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.write_transaction()?;
        for (interaction, before, after, redactions) in items {
            rewrite_transcript(&tx, *interaction, before, after, redactions)
                .step(&path, "cannot store a redacted transcript")?;
        }
        tx.commit().step(&path, "cannot commit the redacted transcripts")
    }

    /// Remembers that a file failed, with the reason; a later success clears it.
    pub fn record_failure(
        &mut self,
        path: &str,
        sha256: Option<&str>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let db = self.path.clone();
        let tx = self.write_transaction()?;
        tx.execute(
            &format!(
                "INSERT INTO failures (path, sha256, reason, attempts, last_failed_at)
                 VALUES (?1, ?2, ?3, 1, {NOW})
                 ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256,
                     reason = excluded.reason, attempts = attempts + 1,
                     last_failed_at = excluded.last_failed_at"
            ),
            params![path, sha256, reason],
        )
        .step(&db, "cannot record a failure")?;
        tx.commit().step(&db, "cannot commit a failure")
    }

    /// Files that failed and have not been ingested since, oldest path first.
    pub fn failures(&self) -> Result<Vec<Failure>, StoreError> {
        let mut statement = self
            .conn
            .prepare("SELECT path, sha256, reason, attempts FROM failures ORDER BY path")
            .step(&self.path, "cannot list failures")?;
        let rows = statement
            .query_map([], |r| {
                Ok(Failure {
                    path: r.get(0)?,
                    sha256: r.get(1)?,
                    reason: r.get(2)?,
                    attempts: r.get(3)?,
                })
            })
            .and_then(Iterator::collect)
            .step(&self.path, "cannot list failures")?;
        Ok(rows)
    }

    pub(crate) fn write_transaction(&mut self) -> Result<Transaction<'_>, StoreError> {
        // IMMEDIATE takes the write lock up front, so a second process waits (busy timeout)
        // instead of failing half-way with SQLITE_BUSY on its first write.
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .step(&self.path, "cannot start a write transaction")
    }
}

fn rubric_row(tx: &Transaction<'_>, rubric: &RubricText<'_>) -> rusqlite::Result<i64> {
    tx.execute(
        &format!(
            "INSERT INTO rubrics (rubric_id, version, title, sha256, toml, first_used_at)
             VALUES (?1, ?2, ?3, ?4, ?5, {NOW}) ON CONFLICT (sha256) DO NOTHING"
        ),
        params![rubric.rubric_id, rubric.version, rubric.title, rubric.sha256, rubric.toml],
    )?;
    tx.query_row("SELECT id FROM rubrics WHERE sha256 = ?1", [rubric.sha256], |r| r.get(0))
}

fn insert_one(
    tx: &rusqlite::Savepoint<'_>,
    item: &NewInteraction,
    db: &Path,
) -> Result<Stored, StoreError> {
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM interactions WHERE source_sha256 = ?1",
            [&item.source.sha256],
            |r| r.get(0),
        )
        .optional()
        .step(db, "cannot look up a file hash")?;
    if let Some(interaction) = existing {
        clear_failure(tx, &item.source.path).step(db, "cannot clear a failure")?;
        return Ok(Stored::AlreadyStored { interaction });
    }
    let taken: Option<String> = tx
        .query_row(
            "SELECT source_path FROM interactions WHERE call_id = ?1",
            [&item.meta.call_id],
            |r| r.get(0),
        )
        .optional()
        .step(db, "cannot look up a call id")?;
    if let Some(other) = taken {
        return Err(StoreError::CallIdTaken { call_id: item.meta.call_id.clone(), other });
    }
    insert_new(tx, item).step(db, "cannot store an interaction")
}

fn insert_new(tx: &rusqlite::Savepoint<'_>, item: &NewInteraction) -> rusqlite::Result<Stored> {
    let meta = &item.meta;
    if let Some(employee) = &meta.employee_id {
        tx.execute(
            "INSERT INTO employees (id, name) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, name)",
            params![employee, meta.employee_name],
        )?;
    }
    tx.execute(
        &format!(
            "INSERT INTO interactions (call_id, kind, employee_id, started_at, queue, direction,
                 source_path, source_sha256, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, {NOW})"
        ),
        params![
            meta.call_id,
            kind_name(meta.kind),
            meta.employee_id,
            meta.started_at,
            meta.queue,
            meta.direction.map(Direction::as_str),
            item.source.path,
            item.source.sha256,
        ],
    )?;
    let interaction = tx.last_insert_rowid();
    if let Some(rec) = &item.recording {
        tx.execute(
            "INSERT INTO recordings (interaction_id, path, sha256, codec, duration_ms,
                 sample_rate, channels, transcribe_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                interaction,
                rec.path,
                rec.sha256,
                rec.codec,
                rec.duration_ms.map(to_sql_int),
                rec.sample_rate,
                rec.channels,
                to_sql_int(rec.transcribe_ms),
            ],
        )?;
    }
    if let Some(transcript) = &item.transcript {
        insert_transcript(tx, interaction, transcript, &item.origin)?;
    }
    insert_redactions(tx, interaction, &item.redactions)?;
    if let Some(m) = &item.metrics {
        insert_metrics(tx, interaction, m)?;
    }
    if let Some(visit) = &item.visit {
        tx.execute(
            "INSERT INTO visits (interaction_id, location, time_in, time_out, shopper_id,
                 employee_description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                interaction,
                visit.location,
                visit.time_in,
                visit.time_out,
                visit.shopper_id,
                visit.employee_description
            ],
        )?;
    }
    let mut answer = tx.prepare_cached(
        "INSERT INTO answers (interaction_id, position, question, kind, number, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (position, (question, value)) in item.answers.iter().enumerate() {
        let (kind, number, text) = answer_columns(value);
        answer.execute(params![interaction, position as i64, question, kind, number, text])?;
    }
    for a in &item.attachments {
        tx.execute(
            "INSERT INTO attachments (interaction_id, question, path, sha256, size_bytes)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![interaction, a.question, a.path, a.sha256, to_sql_int(a.size_bytes)],
        )?;
    }
    for (rubric, card) in &item.scorecards {
        insert_scorecard(tx, interaction, *rubric, card)?;
    }
    clear_failure(tx, &item.source.path)?;
    Ok(Stored::Inserted { interaction })
}

/// An answer as (kind, number, text) columns; several choices are kept comma-separated, as
/// option ids never contain commas.
fn answer_columns(value: &AnswerValue) -> (&'static str, Option<f64>, Option<String>) {
    match value {
        AnswerValue::Yes => ("yes", None, None),
        AnswerValue::No => ("no", None, None),
        AnswerValue::Na => ("na", None, None),
        AnswerValue::Number(n) => ("number", Some(*n), None),
        AnswerValue::Text(t) => ("text", None, Some(t.clone())),
        AnswerValue::Choice(ids) => ("choice", None, Some(ids.join(","))),
    }
}

fn clear_failure(tx: &rusqlite::Connection, path: &str) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM failures WHERE path = ?1", [path]).map(drop)
}

fn insert_transcript(
    tx: &rusqlite::Connection,
    interaction: i64,
    transcript: &Transcript,
    origin: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO transcripts (interaction_id, language, origin, confidence)
         VALUES (?1, ?2, ?3, ?4)",
        params![interaction, transcript.language, origin, transcript.confidence().map(f64::from)],
    )?;
    let mut segment = tx.prepare_cached(
        "INSERT INTO segments (interaction_id, turn, speaker, start_ms, end_ms, text, confidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    // Turns count from 1, as `evidence.turn` does, so the two join without arithmetic.
    for (turn, s) in (1_i64..).zip(&transcript.segments) {
        segment.execute(params![
            interaction,
            turn,
            s.speaker.as_str(),
            s.start_ms.map(to_sql_int),
            s.end_ms.map(to_sql_int),
            s.text,
            s.confidence.map(f64::from),
        ])?;
    }
    Ok(())
}

fn insert_redactions(
    tx: &rusqlite::Connection,
    interaction: i64,
    redactions: &[Redaction],
) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO redactions (interaction_id, turn, kind, start_ms, end_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for r in redactions {
        insert.execute(params![
            interaction,
            r.turn as i64,
            r.kind,
            r.start_ms.map(to_sql_int),
            r.end_ms.map(to_sql_int),
        ])?;
    }
    Ok(())
}

fn rewrite_transcript(
    tx: &rusqlite::Connection,
    interaction: i64,
    before: &Transcript,
    after: &Transcript,
    redactions: &[Redaction],
) -> rusqlite::Result<()> {
    let mut segment =
        tx.prepare_cached("UPDATE segments SET text = ?3 WHERE interaction_id = ?1 AND turn = ?2")?;
    let mut evidence = tx.prepare_cached(
        "UPDATE evidence SET quote = ?4
         WHERE scorecard_id IN (SELECT id FROM scorecards WHERE interaction_id = ?1)
           AND turn = ?2 AND quote = ?3",
    )?;
    for (turn, (old, new)) in (1_i64..).zip(before.segments.iter().zip(&after.segments)) {
        if old.text != new.text {
            segment.execute(params![interaction, turn, new.text])?;
            evidence.execute(params![interaction, turn, old.text, new.text])?;
        }
    }
    tx.execute("DELETE FROM redactions WHERE interaction_id = ?1", [interaction])?;
    insert_redactions(tx, interaction, redactions)
}

fn insert_metrics(
    tx: &rusqlite::Connection,
    interaction: i64,
    m: &CallMetrics,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO call_metrics (interaction_id, duration_ms, agent_talk_ms, customer_talk_ms,
             agent_talk_share, customer_talk_share, total_silence_ms, longest_silence_ms,
             dead_air_count, agent_interruptions, customer_interruptions, agent_wpm,
             customer_wpm, agent_first_words_ms, hold_count, hold_total_ms, longest_hold_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            interaction,
            to_sql_int(m.duration_ms),
            to_sql_int(m.agent_talk_ms),
            to_sql_int(m.customer_talk_ms),
            m.agent_talk_share,
            m.customer_talk_share,
            to_sql_int(m.total_silence_ms),
            to_sql_int(m.longest_silence_ms),
            m.dead_air_count,
            m.agent_interruptions,
            m.customer_interruptions,
            m.agent_wpm,
            m.customer_wpm,
            m.time_to_agent_first_words_ms.map(to_sql_int),
            m.hold_count,
            to_sql_int(m.hold_total_ms),
            to_sql_int(m.longest_hold_ms),
        ],
    )
    .map(drop)
}

/// Replaces the automatic scorecard of `interaction` for `rubric`, or adds it. A replaced
/// scorecard keeps its row id (disputes refer to it); its old section results, criterion
/// results and evidence go (cascade) and the new ones take their place.
fn insert_scorecard(
    tx: &rusqlite::Connection,
    interaction: i64,
    rubric: i64,
    card: &Scorecard,
) -> rusqlite::Result<()> {
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM scorecards
             WHERE interaction_id = ?1 AND rubric = ?2 AND kind = 'automatic'",
            params![interaction, rubric],
            |r| r.get(0),
        )
        .optional()?;
    let scorecard = upsert_head(tx, existing, interaction, rubric, card, None)?;
    insert_results(tx, scorecard, card)
}

/// Writes a scorecard's own row: updates `existing` in place (clearing its results) or inserts
/// a new one, automatic when `reviewer` is `None`, else reviewed by them. Returns the row id.
pub(crate) fn upsert_head(
    tx: &rusqlite::Connection,
    existing: Option<i64>,
    interaction: i64,
    rubric: i64,
    card: &Scorecard,
    reviewer: Option<&str>,
) -> rusqlite::Result<i64> {
    if let Some(id) = existing {
        tx.execute(
            &format!(
                "UPDATE scorecards SET score = ?2, band = ?3, score_unit = ?4, points = ?5,
                     max_points = ?6, critical_miss = ?7, language = ?8, scored_at = {NOW}
                 WHERE id = ?1"
            ),
            params![
                id,
                card.score,
                card.band,
                card.score_unit,
                card.points,
                card.max_points,
                card.critical_miss,
                card.language,
            ],
        )?;
        tx.execute("DELETE FROM section_results WHERE scorecard_id = ?1", [id])?;
        tx.execute("DELETE FROM criterion_results WHERE scorecard_id = ?1", [id])?;
        return Ok(id);
    }
    tx.execute(
        &format!(
            "INSERT INTO scorecards (interaction_id, rubric, kind, score, band, score_unit, points,
                 max_points, critical_miss, language, scored_at, reviewer)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, {NOW}, ?11)"
        ),
        params![
            interaction,
            rubric,
            if reviewer.is_some() { "reviewed" } else { "automatic" },
            card.score,
            card.band,
            card.score_unit,
            card.points,
            card.max_points,
            card.critical_miss,
            card.language,
            reviewer,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Writes a scorecard's section results, criterion results and evidence.
pub(crate) fn insert_results(
    tx: &rusqlite::Connection,
    scorecard: i64,
    card: &Scorecard,
) -> rusqlite::Result<()> {
    let mut section = tx.prepare_cached(
        "INSERT INTO section_results (scorecard_id, position, section, score, points, max,
             critical_miss) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (position, s) in card.sections.iter().enumerate() {
        section.execute(params![
            scorecard,
            position as i64,
            s.id,
            s.score,
            s.points,
            s.max,
            s.critical_miss
        ])?;
    }
    let mut criterion = tx.prepare_cached(
        "INSERT INTO criterion_results (scorecard_id, position, criterion, section, verdict,
             points, max, value, critical_miss, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut evidence = tx.prepare_cached(
        "INSERT INTO evidence (scorecard_id, criterion, position, speaker, start_ms, end_ms,
             turn, quote) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (position, c) in card.criteria.iter().enumerate() {
        criterion.execute(params![
            scorecard,
            position as i64,
            c.id,
            c.section,
            c.verdict.as_str(),
            c.points,
            c.max,
            c.value,
            c.critical_miss,
            c.reason,
        ])?;
        for (n, e) in c.evidence.iter().enumerate() {
            evidence.execute(params![
                scorecard,
                c.id,
                n as i64,
                e.speaker.as_str(),
                e.start_ms.map(to_sql_int),
                e.end_ms.map(to_sql_int),
                e.turn.map(|t| t as i64),
                e.quote,
            ])?;
        }
    }
    Ok(())
}

/// SQLite integers are signed 64-bit; milliseconds never come near the limit, and saturating
/// keeps a corrupt duration from failing a whole insert.
pub(crate) fn to_sql_int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
