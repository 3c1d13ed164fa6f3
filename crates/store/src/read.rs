//! Everything that reads: the interaction list, one interaction in full (with its reviews and
//! disputes), export rows, and stored transcripts for re-scoring. Scorecards come back as `domain` types.

use qadesk_domain::{
    AnswerValue, CallMetrics, CriterionResult, Dispute, Evidence, InteractionKind, Review, Role,
    Scorecard, SectionResult, Segment, Transcript, Verdict,
};
use rusqlite::{OptionalExtension, Row, params};

use crate::error::{Context, StoreError};
use crate::write::{Attachment, Redaction, VisitInfo};
use crate::{Store, kind_from_name};

/// Which interactions a query covers. Dates compare with the call's start, or its ingest time
/// when the start is unknown; `until` includes the whole day it names.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub employee: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Only scorecards whose score is below this.
    pub below: Option<f64>,
}

/// One line of `qadesk list`: an interaction and its latest scorecard for one rubric.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRow {
    pub interaction: i64,
    pub call_id: String,
    pub kind: InteractionKind,
    pub started_at: Option<String>,
    pub employee_id: Option<String>,
    pub employee_name: Option<String>,
    pub rubric: String,
    pub rubric_version: u32,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub critical_miss: bool,
}

/// One interaction × criterion, for spreadsheets.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExportRow {
    pub interaction: i64,
    pub call_id: String,
    pub kind: String,
    pub started_at: Option<String>,
    pub employee_id: Option<String>,
    pub employee_name: Option<String>,
    pub queue: Option<String>,
    pub direction: Option<String>,
    pub rubric: String,
    pub rubric_version: u32,
    pub rubric_sha256: String,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub section: String,
    pub criterion: String,
    pub verdict: String,
    pub points: f64,
    pub max: f64,
    pub value: Option<f64>,
    pub critical_miss: bool,
    pub reason: String,
    /// `automatic`, or `reviewed` by `reviewer` at `reviewed_at` (UTC). Columns from here on
    /// were added with human review (issue 7); spreadsheets made before keep working.
    pub scorecard_kind: String,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<String>,
    /// `accepted` or `overridden` on a reviewed scorecard; empty on an automatic one.
    pub decision: Option<String>,
    /// The reviewer's reason for an override.
    pub override_reason: Option<String>,
}

/// One interaction in full, for `qadesk show`.
#[derive(Debug, Clone)]
pub struct Detail {
    pub interaction: i64,
    pub call_id: String,
    pub kind: InteractionKind,
    pub started_at: Option<String>,
    pub employee_id: Option<String>,
    pub employee_name: Option<String>,
    pub queue: Option<String>,
    pub direction: Option<String>,
    pub source_path: String,
    pub ingested_at: String,
    pub recording: Option<StoredRecording>,
    pub transcript_origin: Option<String>,
    pub transcript: Transcript,
    pub metrics: Option<CallMetrics>,
    /// The latest automatic scorecard per rubric, with the rubric's version.
    pub scorecards: Vec<Scorecard>,
    /// Every reviewer's latest review per rubric, oldest first.
    pub reviews: Vec<Review>,
    /// Disputes of its verdicts, open or decided, oldest first.
    pub disputes: Vec<Dispute>,
    pub visit: Option<VisitInfo>,
    /// The shopper's answers, in the checklist's order.
    pub answers: Vec<(String, AnswerValue)>,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecording {
    pub codec: String,
    pub duration_ms: Option<u64>,
    pub sample_rate: u32,
    pub channels: u16,
    pub transcribe_ms: u64,
}

/// A stored transcript, as re-scoring needs it.
#[derive(Debug, Clone)]
pub struct StoredTranscript {
    pub interaction: i64,
    pub call_id: String,
    pub kind: InteractionKind,
    pub transcript: Transcript,
}

/// What `qadesk redact-audio` needs of a stored interaction: its recording and where its
/// transcript was redacted.
#[derive(Debug, Clone)]
pub struct StoredRedactions {
    pub interaction: i64,
    pub call_id: String,
    /// The recording's path and content hash, when the interaction was transcribed from one.
    pub recording: Option<(String, String)>,
    /// Every redaction, by turn and time.
    pub redactions: Vec<Redaction>,
}

/// Row counts of the main tables, for summaries and checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub interactions: i64,
    pub segments: i64,
    pub scorecards: i64,
    pub criterion_results: i64,
    pub evidence: i64,
    pub failures: i64,
}

/// The `WHERE` clause shared by the filtered queries; `i` is the interactions alias.
const FILTER_SQL: &str = "(?1 IS NULL OR i.employee_id = ?1)
    AND (?2 IS NULL OR coalesce(i.started_at, i.ingested_at) >= ?2)
    AND (?3 IS NULL OR coalesce(i.started_at, i.ingested_at) < ?3 || 'T99')";

impl Store {
    /// Interactions with their latest automatic scorecard per rubric, oldest first.
    pub fn list(&self, filter: &Filter) -> Result<Vec<ListRow>, StoreError> {
        let sql = format!(
            "SELECT i.id, i.call_id, i.kind, i.started_at, i.employee_id, e.name, r.rubric_id,
                    r.version, s.score, s.band, s.critical_miss
             FROM interactions i
             JOIN latest_scorecards s ON s.interaction_id = i.id AND s.kind = 'automatic'
             JOIN rubrics r ON r.id = s.rubric
             LEFT JOIN employees e ON e.id = i.employee_id
             WHERE {FILTER_SQL} AND (?4 IS NULL OR s.score < ?4)
             ORDER BY coalesce(i.started_at, i.ingested_at), i.call_id, r.rubric_id"
        );
        let mut statement = self.conn.prepare(&sql).step(&self.path, "cannot list")?;
        let rows = statement
            .query_map(filter_params(filter), |r| {
                Ok(ListRow {
                    interaction: r.get(0)?,
                    call_id: r.get(1)?,
                    kind: kind_from_name(&r.get::<_, String>(2)?),
                    started_at: r.get(3)?,
                    employee_id: r.get(4)?,
                    employee_name: r.get(5)?,
                    rubric: r.get(6)?,
                    rubric_version: r.get(7)?,
                    score: r.get(8)?,
                    band: r.get(9)?,
                    critical_miss: r.get(10)?,
                })
            })
            .and_then(Iterator::collect)
            .step(&self.path, "cannot list")?;
        Ok(rows)
    }

    /// Calls `each` with every interaction × criterion of the latest scorecards (the automatic
    /// one, then each reviewer's review), in a stable order; stops at the first error `each`
    /// returns.
    pub fn export<E: From<StoreError>>(
        &self,
        filter: &Filter,
        mut each: impl FnMut(ExportRow) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql = format!(
            "SELECT i.id, i.call_id, i.kind, i.started_at, i.employee_id, e.name, i.queue,
                    i.direction, r.rubric_id, r.version, r.sha256, s.score, s.band,
                    c.section, c.criterion, c.verdict, c.points, c.max, c.value,
                    c.critical_miss, c.reason, s.kind, s.reviewer,
                    CASE WHEN s.kind = 'reviewed' THEN s.scored_at END, d.decision, d.reason
             FROM interactions i
             JOIN latest_scorecards s ON s.interaction_id = i.id
             JOIN rubrics r ON r.id = s.rubric
             JOIN criterion_results c ON c.scorecard_id = s.id
             LEFT JOIN review_decisions d
                 ON d.scorecard_id = c.scorecard_id AND d.criterion = c.criterion
             LEFT JOIN employees e ON e.id = i.employee_id
             WHERE {FILTER_SQL} AND (?4 IS NULL OR s.score < ?4)
             ORDER BY coalesce(i.started_at, i.ingested_at), i.call_id, r.rubric_id, s.kind,
                      s.reviewer, c.position"
        );
        let mut statement = self.conn.prepare(&sql).step(&self.path, "cannot export")?;
        let mut rows = statement.query(filter_params(filter)).step(&self.path, "cannot export")?;
        while let Some(r) = rows.next().step(&self.path, "cannot export")? {
            let row = export_row(r).step(&self.path, "cannot read an export row")?;
            each(row)?;
        }
        Ok(())
    }

    /// One interaction by row id or call id.
    pub fn detail(&self, key: &str) -> Result<Detail, StoreError> {
        let step = "cannot read the interaction";
        let found = self
            .conn
            .query_row(
                "SELECT i.id, i.call_id, i.kind, i.started_at, i.employee_id, e.name, i.queue,
                        i.direction, i.source_path, i.ingested_at, t.origin, t.language
                 FROM interactions i
                 LEFT JOIN employees e ON e.id = i.employee_id
                 LEFT JOIN transcripts t ON t.interaction_id = i.id
                 WHERE i.call_id = ?1 OR (i.id = ?2 AND ?2 IS NOT NULL)
                 ORDER BY i.call_id = ?1 DESC LIMIT 1",
                params![key, key.parse::<i64>().ok()],
                |r| {
                    Ok((
                        Detail {
                            interaction: r.get(0)?,
                            call_id: r.get(1)?,
                            kind: kind_from_name(&r.get::<_, String>(2)?),
                            started_at: r.get(3)?,
                            employee_id: r.get(4)?,
                            employee_name: r.get(5)?,
                            queue: r.get(6)?,
                            direction: r.get(7)?,
                            source_path: r.get(8)?,
                            ingested_at: r.get(9)?,
                            recording: None,
                            transcript_origin: r.get(10)?,
                            transcript: Transcript::default(),
                            metrics: None,
                            scorecards: Vec::new(),
                            reviews: Vec::new(),
                            disputes: Vec::new(),
                            visit: None,
                            answers: Vec::new(),
                            attachments: Vec::new(),
                        },
                        r.get::<_, Option<String>>(11)?,
                    ))
                },
            )
            .optional()
            .step(&self.path, step)?;
        let Some((mut detail, language)) = found else {
            return Err(StoreError::NoSuchInteraction {
                path: self.path.clone(),
                key: key.to_string(),
            });
        };
        let id = detail.interaction;
        detail.recording = self
            .conn
            .query_row(
                "SELECT codec, duration_ms, sample_rate, channels, transcribe_ms
                 FROM recordings WHERE interaction_id = ?1",
                [id],
                |r| {
                    Ok(StoredRecording {
                        codec: r.get(0)?,
                        duration_ms: r.get::<_, Option<i64>>(1)?.map(from_sql_int),
                        sample_rate: r.get(2)?,
                        channels: r.get(3)?,
                        transcribe_ms: from_sql_int(r.get(4)?),
                    })
                },
            )
            .optional()
            .step(&self.path, step)?;
        detail.transcript = Transcript { language, segments: self.segments(id)? };
        detail.metrics = self.metrics(id)?;
        detail.scorecards = self.latest_scorecards(id)?;
        detail.reviews = self.reviews(id)?;
        detail.disputes = self.disputes(None, false, Some(id))?;
        self.shopping(&mut detail)?;
        Ok(detail)
    }

    /// Stored transcripts of the interactions the filter selects (`below` does not apply), in
    /// ingest order.
    pub fn transcripts(&self, filter: &Filter) -> Result<Vec<StoredTranscript>, StoreError> {
        let step = "cannot read the stored transcripts";
        let sql = format!(
            "SELECT i.id, i.call_id, i.kind, t.language
             FROM interactions i JOIN transcripts t ON t.interaction_id = i.id
             WHERE {FILTER_SQL} ORDER BY i.id"
        );
        let mut statement = self.conn.prepare(&sql).step(&self.path, step)?;
        let heads: Vec<(i64, String, String, Option<String>)> = statement
            .query_map(params![filter.employee, filter.since, filter.until], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        heads
            .into_iter()
            .map(|(interaction, call_id, kind, language)| {
                Ok(StoredTranscript {
                    interaction,
                    call_id,
                    kind: kind_from_name(&kind),
                    transcript: Transcript { language, segments: self.segments(interaction)? },
                })
            })
            .collect()
    }

    /// The recording and the redactions of one interaction, by row id or call id.
    pub fn redactions(&self, key: &str) -> Result<StoredRedactions, StoreError> {
        let step = "cannot read the redactions";
        let head = self
            .conn
            .query_row(
                "SELECT i.id, i.call_id, r.path, r.sha256
                 FROM interactions i LEFT JOIN recordings r ON r.interaction_id = i.id
                 WHERE i.call_id = ?1 OR (i.id = ?2 AND ?2 IS NOT NULL)
                 ORDER BY i.call_id = ?1 DESC LIMIT 1",
                params![key, key.parse::<i64>().ok()],
                |r| {
                    let path: Option<String> = r.get(2)?;
                    let sha256: Option<String> = r.get(3)?;
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, path.zip(sha256)))
                },
            )
            .optional()
            .step(&self.path, step)?;
        let Some((interaction, call_id, recording)) = head else {
            return Err(StoreError::NoSuchInteraction {
                path: self.path.clone(),
                key: key.to_string(),
            });
        };
        let mut statement = self
            .conn
            .prepare(
                "SELECT turn, kind, start_ms, end_ms FROM redactions
                 WHERE interaction_id = ?1 ORDER BY turn, start_ms",
            )
            .step(&self.path, step)?;
        let redactions = statement
            .query_map([interaction], |r| {
                let kind: String = r.get(1)?;
                Ok(Redaction {
                    turn: usize::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                    kind: redaction_kind(&kind),
                    start_ms: r.get::<_, Option<i64>>(2)?.map(from_sql_int),
                    end_ms: r.get::<_, Option<i64>>(3)?.map(from_sql_int),
                })
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        Ok(StoredRedactions { interaction, call_id, recording, redactions })
    }

    /// How many rows the main tables hold.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let count = |table: &str| -> Result<i64, StoreError> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .step(&self.path, "cannot count rows")
        };
        Ok(Counts {
            interactions: count("interactions")?,
            segments: count("segments")?,
            scorecards: count("scorecards")?,
            criterion_results: count("criterion_results")?,
            evidence: count("evidence")?,
            failures: count("failures")?,
        })
    }

    /// Fills in the visit, answers and attachments of a mystery-shopping interaction.
    fn shopping(&self, detail: &mut Detail) -> Result<(), StoreError> {
        let step = "cannot read the visit";
        let id = detail.interaction;
        detail.visit = self
            .conn
            .query_row(
                "SELECT location, time_in, time_out, shopper_id, employee_description
                 FROM visits WHERE interaction_id = ?1",
                [id],
                |r| {
                    Ok(VisitInfo {
                        location: r.get(0)?,
                        time_in: r.get(1)?,
                        time_out: r.get(2)?,
                        shopper_id: r.get(3)?,
                        employee_description: r.get(4)?,
                    })
                },
            )
            .optional()
            .step(&self.path, step)?;
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT question, kind, number, text FROM answers
                 WHERE interaction_id = ?1 ORDER BY position",
            )
            .step(&self.path, step)?;
        detail.answers = statement
            .query_map([id], |r| {
                let value = answer_value(&r.get::<_, String>(1)?, r.get(2)?, r.get(3)?);
                Ok((r.get(0)?, value))
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT question, path, sha256, size_bytes FROM attachments
                 WHERE interaction_id = ?1 ORDER BY question",
            )
            .step(&self.path, step)?;
        detail.attachments = statement
            .query_map([id], |r| {
                Ok(Attachment {
                    question: r.get(0)?,
                    path: r.get(1)?,
                    sha256: r.get(2)?,
                    size_bytes: from_sql_int(r.get(3)?),
                })
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        Ok(())
    }

    pub(crate) fn segments(&self, interaction: i64) -> Result<Vec<Segment>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT speaker, start_ms, end_ms, text, confidence FROM segments
                 WHERE interaction_id = ?1 ORDER BY turn",
            )
            .step(&self.path, "cannot read segments")?;
        statement
            .query_map([interaction], |r| {
                Ok(Segment {
                    confidence: r.get::<_, Option<f64>>(4)?.map(|c| c as f32),
                    ..Segment::new(
                        role(&r.get::<_, String>(0)?),
                        r.get::<_, Option<i64>>(1)?.map(from_sql_int),
                        r.get::<_, Option<i64>>(2)?.map(from_sql_int),
                        r.get::<_, String>(3)?,
                    )
                })
            })
            .and_then(Iterator::collect)
            .step(&self.path, "cannot read segments")
    }

    pub(crate) fn metrics(&self, interaction: i64) -> Result<Option<CallMetrics>, StoreError> {
        self.conn
            .query_row(
                "SELECT duration_ms, agent_talk_ms, customer_talk_ms, agent_talk_share,
                        customer_talk_share, total_silence_ms, longest_silence_ms,
                        dead_air_count, agent_interruptions, customer_interruptions, agent_wpm,
                        customer_wpm, agent_first_words_ms, hold_count, hold_total_ms,
                        longest_hold_ms
                 FROM call_metrics WHERE interaction_id = ?1",
                [interaction],
                |r| {
                    Ok(CallMetrics {
                        duration_ms: from_sql_int(r.get(0)?),
                        agent_talk_ms: from_sql_int(r.get(1)?),
                        customer_talk_ms: from_sql_int(r.get(2)?),
                        agent_talk_share: r.get(3)?,
                        customer_talk_share: r.get(4)?,
                        total_silence_ms: from_sql_int(r.get(5)?),
                        longest_silence_ms: from_sql_int(r.get(6)?),
                        dead_air_count: r.get(7)?,
                        agent_interruptions: r.get(8)?,
                        customer_interruptions: r.get(9)?,
                        agent_wpm: r.get(10)?,
                        customer_wpm: r.get(11)?,
                        time_to_agent_first_words_ms: r
                            .get::<_, Option<i64>>(12)?
                            .map(from_sql_int),
                        hold_count: r.get(13)?,
                        hold_total_ms: from_sql_int(r.get(14)?),
                        longest_hold_ms: from_sql_int(r.get(15)?),
                    })
                },
            )
            .optional()
            .step(&self.path, "cannot read call metrics")
    }

    fn latest_scorecards(&self, interaction: i64) -> Result<Vec<Scorecard>, StoreError> {
        let step = "cannot read scorecards";
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT s.id, r.rubric_id, r.version, s.score, s.band, s.score_unit, s.points,
                        s.max_points, s.language, s.critical_miss
                 FROM latest_scorecards s JOIN rubrics r ON r.id = s.rubric
                 WHERE s.interaction_id = ?1 AND s.kind = 'automatic' ORDER BY r.rubric_id",
            )
            .step(&self.path, step)?;
        let heads: Vec<(i64, Scorecard)> = statement
            .query_map([interaction], |r| Ok((r.get(0)?, scorecard_head_at(r, 1, String::new())?)))
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        let call_id: String = self
            .conn
            .query_row("SELECT call_id FROM interactions WHERE id = ?1", [interaction], |r| {
                r.get(0)
            })
            .step(&self.path, step)?;
        heads
            .into_iter()
            .map(|(id, mut card)| {
                card.interaction = call_id.clone();
                card.sections = self.sections(id)?;
                card.criteria = self.criteria(id)?;
                Ok(card)
            })
            .collect()
    }

    pub(crate) fn sections(&self, scorecard: i64) -> Result<Vec<SectionResult>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT section, score, points, max, critical_miss FROM section_results
                 WHERE scorecard_id = ?1 ORDER BY position",
            )
            .step(&self.path, "cannot read section results")?;
        statement
            .query_map([scorecard], |r| {
                Ok(SectionResult {
                    id: r.get(0)?,
                    score: r.get(1)?,
                    points: r.get(2)?,
                    max: r.get(3)?,
                    critical_miss: r.get(4)?,
                })
            })
            .and_then(Iterator::collect)
            .step(&self.path, "cannot read section results")
    }

    pub(crate) fn criteria(&self, scorecard: i64) -> Result<Vec<CriterionResult>, StoreError> {
        let step = "cannot read criterion results";
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT criterion, section, verdict, points, max, value, critical_miss, reason
                 FROM criterion_results WHERE scorecard_id = ?1 ORDER BY position",
            )
            .step(&self.path, step)?;
        let mut criteria: Vec<CriterionResult> = statement
            .query_map([scorecard], |r| criterion_at(r, 0))
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        let mut evidence = self
            .conn
            .prepare_cached(
                "SELECT criterion, speaker, start_ms, end_ms, quote, turn FROM evidence
                 WHERE scorecard_id = ?1 ORDER BY criterion, position",
            )
            .step(&self.path, step)?;
        let rows: Vec<(String, Evidence)> = evidence
            .query_map([scorecard], |r| Ok((r.get(0)?, evidence_at(r, 1)?)))
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        for (criterion, item) in rows {
            if let Some(c) = criteria.iter_mut().find(|c| c.id == criterion) {
                c.evidence.push(item);
            }
        }
        Ok(criteria)
    }
}

fn filter_params(filter: &Filter) -> impl rusqlite::Params + '_ {
    (&filter.employee, &filter.since, &filter.until, filter.below)
}

fn export_row(r: &Row<'_>) -> rusqlite::Result<ExportRow> {
    Ok(ExportRow {
        interaction: r.get(0)?,
        call_id: r.get(1)?,
        kind: r.get(2)?,
        started_at: r.get(3)?,
        employee_id: r.get(4)?,
        employee_name: r.get(5)?,
        queue: r.get(6)?,
        direction: r.get(7)?,
        rubric: r.get(8)?,
        rubric_version: r.get(9)?,
        rubric_sha256: r.get(10)?,
        score: r.get(11)?,
        band: r.get(12)?,
        section: r.get(13)?,
        criterion: r.get(14)?,
        verdict: r.get(15)?,
        points: r.get(16)?,
        max: r.get(17)?,
        value: r.get(18)?,
        critical_miss: r.get(19)?,
        reason: r.get(20)?,
        scorecard_kind: r.get(21)?,
        reviewer: r.get(22)?,
        reviewed_at: r.get(23)?,
        decision: r.get(24)?,
        override_reason: r.get(25)?,
    })
}

/// A criterion result from the columns criterion, section, verdict, points, max, value,
/// critical_miss, reason, in that order from column `first`; its evidence is read apart.
/// A scorecard's head (rubric id and version, score, band, unit, points, maximum, language,
/// critical miss) from nine consecutive columns starting at `first`; sections and criteria are
/// read separately.
pub(crate) fn scorecard_head_at(
    r: &Row<'_>,
    first: usize,
    interaction: String,
) -> rusqlite::Result<Scorecard> {
    Ok(Scorecard {
        interaction,
        rubric: r.get(first)?,
        rubric_version: r.get(first + 1)?,
        score: r.get(first + 2)?,
        band: r.get(first + 3)?,
        score_unit: r.get(first + 4)?,
        points: r.get(first + 5)?,
        max_points: r.get(first + 6)?,
        language: r.get(first + 7)?,
        critical_miss: r.get(first + 8)?,
        sections: Vec::new(),
        criteria: Vec::new(),
    })
}

pub(crate) fn criterion_at(r: &Row<'_>, first: usize) -> rusqlite::Result<CriterionResult> {
    Ok(CriterionResult {
        id: r.get(first)?,
        section: r.get(first + 1)?,
        verdict: verdict(&r.get::<_, String>(first + 2)?),
        points: r.get(first + 3)?,
        max: r.get(first + 4)?,
        value: r.get(first + 5)?,
        critical_miss: r.get(first + 6)?,
        evidence: Vec::new(),
        reason: r.get(first + 7)?,
    })
}

/// Evidence from the columns speaker, start_ms, end_ms, quote, turn, from column `first`.
pub(crate) fn evidence_at(r: &Row<'_>, first: usize) -> rusqlite::Result<Evidence> {
    Ok(Evidence {
        speaker: role(&r.get::<_, String>(first)?),
        start_ms: r.get::<_, Option<i64>>(first + 1)?.map(from_sql_int),
        end_ms: r.get::<_, Option<i64>>(first + 2)?.map(from_sql_int),
        quote: r.get(first + 3)?,
        turn: r.get::<_, Option<i64>>(first + 4)?.map(|t| t.max(0) as usize),
    })
}

/// An answer from its (kind, number, text) columns, as `write` stores it.
pub(crate) fn answer_value(kind: &str, number: Option<f64>, text: Option<String>) -> AnswerValue {
    match kind {
        "yes" => AnswerValue::Yes,
        "no" => AnswerValue::No,
        "number" => AnswerValue::Number(number.unwrap_or(0.0)),
        "text" => AnswerValue::Text(text.unwrap_or_default()),
        "choice" => {
            AnswerValue::Choice(text.unwrap_or_default().split(',').map(str::to_string).collect())
        }
        _ => AnswerValue::Na,
    }
}

/// The schema's CHECK constraints keep these columns to the names below.
pub(crate) fn role(name: &str) -> Role {
    Role::from_name(name).unwrap_or(Role::Unknown)
}

pub(crate) fn verdict(name: &str) -> Verdict {
    match name {
        "pass" => Verdict::Pass,
        "partial" => Verdict::Partial,
        "fail" => Verdict::Fail,
        _ => Verdict::Na,
    }
}

pub(crate) fn from_sql_int(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// The static name of a stored redaction kind (the table's CHECK admits only these).
fn redaction_kind(name: &str) -> &'static str {
    const KINDS: [&str; 6] =
        ["card-number", "security-code", "expiry-date", "phone-number", "email", "national-id"];
    KINDS.into_iter().find(|k| *k == name).unwrap_or("card-number")
}
