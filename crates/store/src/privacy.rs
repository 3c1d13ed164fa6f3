//! Data-protection duties: deleting what is past its retention period (`purge`), deleting
//! everything stored about one employee (`erase_person`), and reading it all back for them
//! (`person_record`). A deletion is one write transaction with `secure_delete` on; after it the
//! file is vacuumed and the WAL checkpointed and truncated, so deleted bytes leave both files.
//!
//! Deletions start at `interactions` and rely on its `ON DELETE CASCADE` foreign keys for
//! everything stored with an interaction, and rows are counted per table before and after, so
//! a table added later that cascades from `interactions` is deleted and reported without a
//! line here. [`COVERAGE`] says how each table is treated; a test fails when a table is added
//! without a line there.

use qadesk_domain::Employee;
use qadesk_domain::person::{
    AttachedFile, FailedFile, PersonInteraction, PersonRecord, RecordingFacts, StoredScorecard,
    StoredTranscriptText, VisitFacts, mentions,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::error::{Context, StoreError};
use crate::read::{answer_value, from_sql_int, scorecard_head_at};
use crate::{Store, kind_from_name};

/// What replaces an evidence quote once its transcript is past retention: the verdict, its
/// points and its reason stay, the words are gone.
pub const QUOTE_REMOVED: &str = "[removed: transcript past its retention period]";

/// How each table is covered by purge, erase and export. Every table of the schema must be
/// listed (a test checks it): a new table needs a decision, not silence.
pub const COVERAGE: &[(&str, &str)] = &[
    ("employees", "erase deletes the person's row; export shows it"),
    ("interactions", "purge and erase delete rows; export shows the person's"),
    ("recordings", "cascades from interactions; export shows the facts (no audio is stored)"),
    ("transcripts", "cascades from interactions; transcript retention deletes it; export shows it"),
    ("segments", "cascades from transcripts; export shows the person's own turns"),
    ("call_metrics", "cascades from interactions; export shows it"),
    ("rubrics", "shared rubric texts, no personal data: kept"),
    ("scorecards", "cascades from interactions; export shows every one"),
    ("section_results", "cascades from scorecards; export shows it"),
    ("criterion_results", "cascades from scorecards; export shows it"),
    ("evidence", "cascades from criterion_results; transcript retention clears quotes"),
    (
        "failures",
        "failure retention and erase (rows naming the person) delete rows; export shows those naming them",
    ),
    ("visits", "cascades from interactions; export shows it without the shopper"),
    ("answers", "cascades from interactions; export shows it"),
    ("attachments", "cascades from interactions; export shows names and hashes"),
    ("redactions", "cascades from interactions; kinds and times only, no words: not in the export"),
    (
        "review_decisions",
        "cascades from criterion_results; export shows reviewed scorecards (kind, verdicts), not the reviewer",
    ),
    (
        "disputes",
        "cascades from interactions; export shows the person's without who decided; erase renames the person where they decided others'",
    ),
];

/// Cut-off dates (`YYYY-MM-DD`): whatever is dated before one is past its retention period.
/// An interaction's date is `coalesce(started_at, ingested_at)`, as in every period filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retention {
    /// Interactions, with everything stored with them.
    pub interactions_before: Option<String>,
    /// Transcripts and their segments, and the evidence quotes taken from them; scores,
    /// metrics and reasons stay.
    pub transcripts_before: Option<String>,
    /// Failed files, by when they last failed.
    pub failures_before: Option<String>,
}

/// What a deletion removed, or for a dry run would remove.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Removal {
    /// (table, rows removed) for every table that lost rows, in schema order.
    pub rows: Vec<(String, i64)>,
    /// Evidence quotes replaced by [`QUOTE_REMOVED`].
    pub quotes_cleared: i64,
    /// `None` for a dry run, which rolls everything back.
    pub cleanup: Option<Cleanup>,
}

impl Removal {
    /// Rows removed from `table`.
    pub fn removed(&self, table: &str) -> i64 {
        self.rows.iter().find(|(t, _)| t == table).map_or(0, |(_, n)| *n)
    }

    /// True when nothing was (or would be) removed or cleared.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.quotes_cleared == 0
    }
}

/// What was done after the deletion so that the deleted bytes leave the files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cleanup {
    /// The database was rebuilt (`VACUUM`): no free page or free space in a page keeps old
    /// content, whatever wrote it.
    pub vacuumed: bool,
    /// The WAL was checkpointed into the database and truncated to zero bytes. False when
    /// another connection kept reading for longer than the busy timeout: the WAL keeps old
    /// pages until a later checkpoint (any qadesk command closing the database last does one).
    pub wal_truncated: bool,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

impl Store {
    /// Deletes what `retention` says is past its period, in one transaction. With `dry_run`
    /// the same deletions run and are rolled back, so the counts are exact and nothing changes.
    pub fn purge(&mut self, retention: &Retention, dry_run: bool) -> Result<Removal, StoreError> {
        let path = self.path.clone();
        self.delete_in_one_transaction(dry_run, |tx| {
            let mut quotes = 0;
            if let Some(before) = &retention.interactions_before {
                tx.execute(
                    "DELETE FROM interactions WHERE coalesce(started_at, ingested_at) < ?1",
                    [before],
                )
                .step(&path, "cannot delete old interactions")?;
            }
            if let Some(before) = &retention.transcripts_before {
                // Evidence taken from a transcript names its turn; a checklist's evidence
                // quotes the shopper's answers, has no turn, and stays.
                quotes =
                    tx.execute(
                        "UPDATE evidence SET quote = ?2
                         WHERE turn IS NOT NULL AND quote <> ?2 AND scorecard_id IN (
                             SELECT s.id FROM scorecards s
                             JOIN interactions i ON i.id = s.interaction_id
                             WHERE coalesce(i.started_at, i.ingested_at) < ?1)",
                        params![before, QUOTE_REMOVED],
                    )
                    .step(&path, "cannot clear old evidence quotes")? as i64;
                tx.execute(
                    "DELETE FROM transcripts WHERE interaction_id IN (
                         SELECT id FROM interactions
                         WHERE coalesce(started_at, ingested_at) < ?1)",
                    [before],
                )
                .step(&path, "cannot delete old transcripts")?;
            }
            if let Some(before) = &retention.failures_before {
                tx.execute("DELETE FROM failures WHERE last_failed_at < ?1", [before])
                    .step(&path, "cannot delete old failures")?;
            }
            Ok(quotes)
        })
    }

    /// Deletes everything stored about one employee: their interactions with all that is
    /// stored with them, the failed files whose path or reason names them, and their row.
    pub fn erase_person(&mut self, id: &str, dry_run: bool) -> Result<Removal, StoreError> {
        let employee = self.existing_employee(id)?;
        let path = self.path.clone();
        self.delete_in_one_transaction(dry_run, |tx| {
            // Read inside the transaction, so a failure recorded meanwhile is not missed.
            let named = failures_naming(tx, &employee).step(&path, "cannot read the failures")?;
            tx.execute("DELETE FROM interactions WHERE employee_id = ?1", [id])
                .step(&path, "cannot delete the person's interactions")?;
            for failed in named.iter().map(|f| &f.path) {
                tx.execute("DELETE FROM failures WHERE path = ?1", [failed])
                    .step(&path, "cannot delete a failure naming the person")?;
            }
            // The person as a reviewer or a decider of other people's disputes: their id goes,
            // the other employees' reviews and outcomes stay (a reviewed scorecard needs a
            // reviewer name, unique per interaction and rubric: the row id keeps it unique).
            tx.execute(
                "UPDATE scorecards SET reviewer = 'erased reviewer ' || id
                 WHERE kind = 'reviewed' AND reviewer = ?1",
                [id],
            )
            .step(&path, "cannot remove the person as a reviewer")?;
            tx.execute("UPDATE disputes SET decided_by = 'erased' WHERE decided_by = ?1", [id])
                .step(&path, "cannot remove the person as a dispute's decider")?;
            // A table that refers to employees without ON DELETE CASCADE or SET NULL makes
            // this fail, and the whole erase is rolled back.
            tx.execute("DELETE FROM employees WHERE id = ?1", [id])
                .step(&path, "cannot delete the employee (does a table still refer to it?)")?;
            Ok(0)
        })
    }

    /// Everything stored about one employee, for an export.
    pub fn person_record(&self, id: &str) -> Result<PersonRecord, StoreError> {
        // One read transaction: every query sees the same snapshot, whatever an ingest or a
        // purge commits meanwhile. It only reads, so it is rolled back when dropped.
        let _snapshot =
            self.conn.unchecked_transaction().step(&self.path, "cannot start reading")?;
        let employee = self.existing_employee(id)?;
        let step = "cannot read the person's interactions";
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, call_id, kind, started_at, ingested_at, queue, direction,
                        source_path, source_sha256
                 FROM interactions WHERE employee_id = ?1
                 ORDER BY coalesce(started_at, ingested_at), id",
            )
            .step(&self.path, step)?;
        let heads: Vec<(i64, PersonInteraction)> = statement
            .query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    PersonInteraction {
                        call_id: r.get(1)?,
                        kind: kind_from_name(&r.get::<_, String>(2)?),
                        started_at: r.get(3)?,
                        ingested_at: r.get(4)?,
                        queue: r.get(5)?,
                        direction: r.get(6)?,
                        source_path: r.get(7)?,
                        source_sha256: r.get(8)?,
                        recording: None,
                        transcript: None,
                        metrics: None,
                        scorecards: Vec::new(),
                        visit: None,
                        answers: Vec::new(),
                        attachments: Vec::new(),
                    },
                ))
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        let mut interactions = Vec::with_capacity(heads.len());
        for (key, mut item) in heads {
            item.recording = self.recording_facts(key)?;
            item.transcript = self.transcript_text(key)?;
            item.metrics = self.metrics(key)?;
            item.scorecards = self.every_scorecard(key, &item.call_id)?;
            item.visit = self.visit_facts(key)?;
            item.answers = self.answers_of(key)?;
            item.attachments = self.attachments_of(key)?;
            interactions.push(item);
        }
        let failures =
            failures_naming(&self.conn, &employee).step(&self.path, "cannot read the failures")?;
        let disputes = self.disputes(Some(id), false, None)?;
        Ok(PersonRecord { employee, interactions, failures, disputes })
    }

    /// Every employee the store knows, by id.
    pub fn employees(&self) -> Result<Vec<Employee>, StoreError> {
        let mut statement = self
            .conn
            .prepare("SELECT id, name FROM employees ORDER BY id")
            .step(&self.path, "cannot list employees")?;
        statement
            .query_map([], |r| Ok(Employee { id: r.get(0)?, name: r.get(1)? }))
            .and_then(Iterator::collect)
            .step(&self.path, "cannot list employees")
    }

    /// The tables of the schema, in the order they were created.
    pub fn tables(&self) -> Result<Vec<String>, StoreError> {
        table_names(&self.conn).step(&self.path, "cannot list the tables")
    }

    fn existing_employee(&self, id: &str) -> Result<Employee, StoreError> {
        self.employee(id)?
            .ok_or_else(|| StoreError::NoSuchPerson { path: self.path.clone(), id: id.to_string() })
    }

    /// Runs `delete` in one write transaction with `secure_delete` on and counts what every
    /// table lost. A dry run rolls back; otherwise the transaction commits and the file is
    /// cleaned up (see [`Cleanup`]). `delete` returns the number of quotes it cleared.
    fn delete_in_one_transaction(
        &mut self,
        dry_run: bool,
        delete: impl FnOnce(&Connection) -> Result<i64, StoreError>,
    ) -> Result<Removal, StoreError> {
        let path = self.path.clone();
        // Freed cells and pages are overwritten with zeros instead of being left as free
        // space that still holds the old content.
        self.conn
            .pragma_update(None, "secure_delete", "ON")
            .step(&path, "cannot turn on secure_delete")?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .step(&path, "cannot start the deletion")?;
        let before = row_counts(&tx).step(&path, "cannot count rows")?;
        let quotes_cleared = delete(&tx)?;
        let after = row_counts(&tx).step(&path, "cannot count rows")?;
        let rows = before
            .iter()
            .map(|(table, n)| {
                let left = after.iter().find(|(t, _)| t == table).map_or(0, |(_, m)| *m);
                (table.clone(), n - left)
            })
            .filter(|(_, removed)| *removed != 0)
            .collect();
        let mut removal = Removal { rows, quotes_cleared, cleanup: None };
        if dry_run {
            tx.rollback().step(&path, "cannot roll back the dry run")?;
            return Ok(removal);
        }
        tx.commit().step(&path, "cannot commit the deletion")?;
        removal.cleanup = Some(self.clean_up(!removal.is_empty())?);
        Ok(removal)
    }

    /// Rebuilds the file when anything was deleted or it has free pages (which may hold old
    /// content written before `secure_delete` was on), then checkpoints the WAL into it and
    /// truncates the WAL.
    fn clean_up(&mut self, deleted: bool) -> Result<Cleanup, StoreError> {
        let path = self.path.clone();
        let bytes_before = self.file_bytes()?;
        let free: i64 = self
            .conn
            .pragma_query_value(None, "freelist_count", |r| r.get(0))
            .step(&path, "cannot count free pages")?;
        let vacuumed = deleted || free > 0;
        if vacuumed {
            self.conn.execute_batch("VACUUM").step(&path, "cannot vacuum the database")?;
        }
        // (busy, frames in the WAL, frames checkpointed): a reader that outlasts the busy
        // timeout leaves busy = 1 and the WAL as it is.
        let (busy, _, _): (i64, i64, i64) = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .step(&path, "cannot checkpoint the WAL")?;
        let wal = wal_path(&path);
        let wal_empty = std::fs::metadata(&wal).map_or(true, |m| m.len() == 0);
        Ok(Cleanup {
            vacuumed,
            wal_truncated: busy == 0 && wal_empty,
            bytes_before,
            bytes_after: self.file_bytes()?,
        })
    }

    /// The size of the database file and its WAL together.
    fn file_bytes(&self) -> Result<u64, StoreError> {
        let size = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
        Ok(size(&self.path) + size(&wal_path(&self.path)))
    }

    fn recording_facts(&self, interaction: i64) -> Result<Option<RecordingFacts>, StoreError> {
        self.conn
            .query_row(
                "SELECT path, sha256, codec, duration_ms, sample_rate, channels
                 FROM recordings WHERE interaction_id = ?1",
                [interaction],
                |r| {
                    Ok(RecordingFacts {
                        path: r.get(0)?,
                        sha256: r.get(1)?,
                        codec: r.get(2)?,
                        duration_ms: r.get::<_, Option<i64>>(3)?.map(from_sql_int),
                        sample_rate: r.get(4)?,
                        channels: r.get(5)?,
                    })
                },
            )
            .optional()
            .step(&self.path, "cannot read the recording")
    }

    fn transcript_text(
        &self,
        interaction: i64,
    ) -> Result<Option<StoredTranscriptText>, StoreError> {
        let head: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT origin, language FROM transcripts WHERE interaction_id = ?1",
                [interaction],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .step(&self.path, "cannot read the transcript")?;
        let Some((origin, language)) = head else {
            return Ok(None);
        };
        // Turns are stored from 1 without gaps, in the order `segments` returns them.
        let turns = (1..).zip(self.segments(interaction)?).collect();
        Ok(Some(StoredTranscriptText { origin, language, turns }))
    }

    /// Every scorecard of an interaction, whatever its kind or rubric version, oldest first.
    fn every_scorecard(
        &self,
        interaction: i64,
        call_id: &str,
    ) -> Result<Vec<StoredScorecard>, StoreError> {
        let step = "cannot read scorecards";
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.kind, s.scored_at, r.rubric_id, r.version, s.score, s.band,
                        s.score_unit, s.points, s.max_points, s.language, s.critical_miss,
                        r.title, r.sha256
                 FROM scorecards s JOIN rubrics r ON r.id = s.rubric
                 WHERE s.interaction_id = ?1 ORDER BY s.scored_at, s.id",
            )
            .step(&self.path, step)?;
        let heads: Vec<(i64, StoredScorecard)> = statement
            .query_map([interaction], |r| {
                Ok((
                    r.get(0)?,
                    StoredScorecard {
                        kind: r.get(1)?,
                        scored_at: r.get(2)?,
                        rubric_title: r.get(12)?,
                        rubric_sha256: r.get(13)?,
                        scorecard: scorecard_head_at(r, 3, call_id.to_string())?,
                    },
                ))
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        heads
            .into_iter()
            .map(|(id, mut stored)| {
                stored.scorecard.sections = self.sections(id)?;
                stored.scorecard.criteria = self.criteria(id)?;
                Ok(stored)
            })
            .collect()
    }

    fn visit_facts(&self, interaction: i64) -> Result<Option<VisitFacts>, StoreError> {
        self.conn
            .query_row(
                "SELECT location, time_in, time_out, shopper_id, employee_description
                 FROM visits WHERE interaction_id = ?1",
                [interaction],
                |r| {
                    Ok(VisitFacts {
                        location: r.get(0)?,
                        time_in: r.get(1)?,
                        time_out: r.get(2)?,
                        shopper_id: r.get(3)?,
                        employee_description: r.get(4)?,
                    })
                },
            )
            .optional()
            .step(&self.path, "cannot read the visit")
    }

    fn answers_of(
        &self,
        interaction: i64,
    ) -> Result<Vec<(String, qadesk_domain::AnswerValue)>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT question, kind, number, text FROM answers
                 WHERE interaction_id = ?1 ORDER BY position",
            )
            .step(&self.path, "cannot read the answers")?;
        statement
            .query_map([interaction], |r| {
                Ok((r.get(0)?, answer_value(&r.get::<_, String>(1)?, r.get(2)?, r.get(3)?)))
            })
            .and_then(Iterator::collect)
            .step(&self.path, "cannot read the answers")
    }

    fn attachments_of(&self, interaction: i64) -> Result<Vec<AttachedFile>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT question, path, sha256, size_bytes FROM attachments
                 WHERE interaction_id = ?1 ORDER BY question",
            )
            .step(&self.path, "cannot read the attachments")?;
        statement
            .query_map([interaction], |r| {
                Ok(AttachedFile {
                    question: r.get(0)?,
                    path: r.get(1)?,
                    sha256: r.get(2)?,
                    size_bytes: from_sql_int(r.get(3)?),
                })
            })
            .and_then(Iterator::collect)
            .step(&self.path, "cannot read the attachments")
    }
}

/// The failed files whose path or reason names the employee (their id, or their name).
fn failures_naming(conn: &Connection, employee: &Employee) -> rusqlite::Result<Vec<FailedFile>> {
    let mut statement = conn.prepare(
        "SELECT path, sha256, reason, attempts, last_failed_at FROM failures ORDER BY path",
    )?;
    let all: Vec<FailedFile> = statement
        .query_map([], |r| {
            Ok(FailedFile {
                path: r.get(0)?,
                sha256: r.get(1)?,
                reason: r.get(2)?,
                attempts: r.get(3)?,
                last_failed_at: r.get(4)?,
            })
        })
        .and_then(Iterator::collect)?;
    Ok(all
        .into_iter()
        .filter(|f| {
            !mentions(&f.path, employee).is_empty() || !mentions(&f.reason, employee).is_empty()
        })
        .collect())
}

fn table_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT name FROM sqlite_schema
         WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )?;
    statement.query_map([], |r| r.get(0)).and_then(Iterator::collect)
}

/// Rows in every table, in schema order.
fn row_counts(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    table_names(conn)?
        .into_iter()
        .map(|table| {
            // Table names come from sqlite_schema, quoted as identifiers.
            let quoted = format!("\"{}\"", table.replace('"', "\"\""));
            let n = conn.query_row(&format!("SELECT count(*) FROM {quoted}"), [], |r| r.get(0))?;
            Ok((table, n))
        })
        .collect()
}

fn wal_path(db: &std::path::Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push("-wal");
    std::path::PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_of_the_schema_has_a_line_in_coverage() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("q.db")).expect("opens");
        let tables = store.tables().expect("tables");
        let covered: Vec<&str> = COVERAGE.iter().map(|(t, _)| *t).collect();
        let missing: Vec<&String> =
            tables.iter().filter(|t| !covered.contains(&t.as_str())).collect();
        let stale: Vec<&&str> =
            covered.iter().filter(|t| !tables.iter().any(|u| u == **t)).collect();
        assert!(
            missing.is_empty() && stale.is_empty(),
            "tables without a line in privacy::COVERAGE: {missing:?} (decide how purge, erase \
             and export treat them); lines for tables that do not exist: {stale:?}"
        );
    }
}
