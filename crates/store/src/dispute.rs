//! Employees' disputes of verdicts: opening one against the scorecard reports use, deciding it
//! once, and listing them by employee or interaction.

use qadesk_domain::{Dispute, Outcome};
use rusqlite::{OptionalExtension, Row, params};

use crate::error::{Context, StoreError};
use crate::read::verdict;
use crate::review::resolve;
use crate::write::NOW;
use crate::{REPORT_RANK, Store};

/// A dispute to open.
#[derive(Debug, Clone, Copy)]
pub struct NewDispute<'a> {
    /// The interaction: row id or call id.
    pub interaction: &'a str,
    pub criterion: &'a str,
    /// Only needed when two rubrics of the interaction have a criterion of this id.
    pub rubric: Option<&'a str>,
    pub employee: &'a str,
    pub reason: &'a str,
}

/// The columns [`dispute_at`] reads; `d` is the disputes alias.
const DISPUTE_COLUMNS: &str = "d.id, d.interaction_id, i.call_id, d.scorecard_id, s.kind,
    s.reviewer, r.rubric_id, d.criterion, d.verdict, d.employee_id, d.reason, d.opened_at,
    d.outcome, d.decided_by, d.decided_at, d.note";

const DISPUTE_FROM: &str = "disputes d
    JOIN interactions i ON i.id = d.interaction_id
    JOIN scorecards s ON s.id = d.scorecard_id
    JOIN rubrics r ON r.id = s.rubric";

fn dispute_at(r: &Row<'_>) -> rusqlite::Result<Dispute> {
    Ok(Dispute {
        id: r.get(0)?,
        interaction: r.get(1)?,
        call_id: r.get(2)?,
        scorecard: r.get(3)?,
        scorecard_kind: r.get(4)?,
        reviewer: r.get(5)?,
        rubric: r.get(6)?,
        criterion: r.get(7)?,
        verdict: verdict(&r.get::<_, String>(8)?),
        employee: r.get(9)?,
        reason: r.get(10)?,
        opened_at: r.get(11)?,
        outcome: r.get::<_, Option<String>>(12)?.as_deref().and_then(Outcome::from_name),
        decided_by: r.get(13)?,
        decided_at: r.get(14)?,
        note: r.get(15)?,
    })
}

impl Store {
    /// Opens a dispute of one verdict, on the scorecard reports use for the interaction (its
    /// latest review, else its automatic scorecard), keeping the verdict as it stands now.
    /// Only the interaction's own employee can dispute it, and a verdict (interaction, rubric
    /// id, criterion) has one open dispute at a time. The scorecard is chosen inside the write
    /// transaction, so a review stored meanwhile cannot slip in between.
    pub fn open_dispute(&mut self, new: &NewDispute<'_>) -> Result<Dispute, StoreError> {
        let path = self.path.clone();
        let step = "cannot open the dispute";
        let tx = self.write_transaction()?;
        let (interaction, call_id, employee) = resolve(&tx, &path, new.interaction)?;
        if employee.as_deref() != Some(new.employee) {
            return Err(StoreError::NotTheirs {
                call_id,
                employee: new.employee.to_string(),
                whose: employee
                    .map_or("its employee is not known".to_string(), |e| format!("it is {e}'s")),
            });
        }
        // The scorecard reports use, per rubric id: the first of each rubric in report order.
        let sql = format!(
            "SELECT s.id, r.rubric_id, c.verdict IS NOT NULL, c.verdict
             FROM scorecards s JOIN rubrics r ON r.id = s.rubric
             LEFT JOIN criterion_results c ON c.scorecard_id = s.id AND c.criterion = ?2
             WHERE s.interaction_id = ?1
             ORDER BY r.rubric_id, {REPORT_RANK}"
        );
        let rows: Vec<(i64, String, bool, Option<String>)> = tx
            .prepare(&sql)
            .and_then(|mut s| {
                s.query_map(params![interaction, new.criterion], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect()
            })
            .step(&path, step)?;
        let mut shown: Vec<(i64, String, bool, Option<String>)> = Vec::new();
        for row in rows {
            if shown.last().is_none_or(|last| last.1 != row.1) {
                shown.push(row);
            }
        }
        let candidates: Vec<&(i64, String, bool, Option<String>)> = shown
            .iter()
            .filter(|row| row.2 && new.rubric.is_none_or(|wanted| wanted == row.1))
            .collect();
        let (scorecard, rubric, verdict) = match candidates.as_slice() {
            [(id, rubric, _, verdict)] => {
                (*id, rubric.clone(), verdict.clone().unwrap_or_default())
            }
            [] => {
                let known = criteria_of(&tx, &shown.iter().map(|r| r.0).collect::<Vec<_>>())
                    .step(&path, step)?;
                return Err(StoreError::NoSuchCriterion {
                    call_id,
                    criterion: new.criterion.to_string(),
                    known: known.join(", "),
                });
            }
            several => {
                return Err(StoreError::AmbiguousCriterion {
                    call_id,
                    criterion: new.criterion.to_string(),
                    rubrics: several.iter().map(|r| r.1.clone()).collect::<Vec<_>>().join(", "),
                });
            }
        };
        // One open dispute per verdict, whichever scorecard of the rubric it was opened on.
        let open: Option<(i64, String)> = tx
            .query_row(
                "SELECT d.id, d.opened_at FROM disputes d
                 JOIN scorecards s ON s.id = d.scorecard_id JOIN rubrics r ON r.id = s.rubric
                 WHERE d.interaction_id = ?1 AND r.rubric_id = ?2 AND d.criterion = ?3
                   AND d.outcome IS NULL
                 ORDER BY d.id LIMIT 1",
                params![interaction, rubric, new.criterion],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .step(&path, step)?;
        if let Some((id, opened_at)) = open {
            return Err(StoreError::AlreadyDisputed {
                id,
                call_id,
                rubric,
                criterion: new.criterion.to_string(),
                opened_at,
            });
        }
        tx.execute(
            &format!(
                "INSERT INTO disputes (interaction_id, scorecard_id, criterion, verdict,
                     employee_id, reason, opened_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, {NOW})"
            ),
            params![interaction, scorecard, new.criterion, verdict, new.employee, new.reason],
        )
        .step(&path, step)?;
        let id = tx.last_insert_rowid();
        tx.commit().step(&path, "cannot commit the dispute")?;
        self.dispute(id)
    }

    /// Records how a dispute ended. A dispute is decided once: deciding it again is refused
    /// with what was decided before.
    pub fn decide_dispute(
        &mut self,
        id: i64,
        outcome: Outcome,
        by: &str,
        note: Option<&str>,
    ) -> Result<Dispute, StoreError> {
        let path = self.path.clone();
        let tx = self.write_transaction()?;
        let changed = tx
            .execute(
                &format!(
                    "UPDATE disputes SET outcome = ?2, decided_by = ?3, decided_at = {NOW},
                         note = ?4
                     WHERE id = ?1 AND outcome IS NULL"
                ),
                params![id, outcome.as_str(), by, note],
            )
            .step(&path, "cannot decide the dispute")?;
        tx.commit().step(&path, "cannot commit the decision")?;
        let dispute = self.dispute(id)?;
        if changed == 0 {
            return Err(StoreError::AlreadyDecided {
                id,
                outcome: dispute.outcome.map_or("", Outcome::as_str).to_string(),
                by: dispute.decided_by.unwrap_or_default(),
                at: dispute.decided_at.unwrap_or_default(),
            });
        }
        Ok(dispute)
    }

    /// One dispute by id.
    pub fn dispute(&self, id: i64) -> Result<Dispute, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {DISPUTE_COLUMNS} FROM {DISPUTE_FROM} WHERE d.id = ?1"),
                [id],
                dispute_at,
            )
            .optional()
            .step(&self.path, "cannot read the dispute")?
            .ok_or(StoreError::NoSuchDispute { path: self.path.clone(), id })
    }

    /// Disputes, oldest first: one employee's (when given), only open ones (when asked), of
    /// one interaction (row id, when given).
    pub fn disputes(
        &self,
        employee: Option<&str>,
        open_only: bool,
        interaction: Option<i64>,
    ) -> Result<Vec<Dispute>, StoreError> {
        let step = "cannot list disputes";
        let sql = format!(
            "SELECT {DISPUTE_COLUMNS} FROM {DISPUTE_FROM}
             WHERE (?1 IS NULL OR d.employee_id = ?1) AND (?2 = 0 OR d.outcome IS NULL)
               AND (?3 IS NULL OR d.interaction_id = ?3)
             ORDER BY d.opened_at, d.id"
        );
        let mut statement = self.conn.prepare(&sql).step(&self.path, step)?;
        statement
            .query_map(params![employee, open_only, interaction], dispute_at)
            .and_then(Iterator::collect)
            .step(&self.path, step)
    }
}

/// The criterion ids of these scorecards, in rubric order, without repeats.
fn criteria_of(conn: &rusqlite::Connection, scorecards: &[i64]) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare_cached(
        "SELECT criterion FROM criterion_results WHERE scorecard_id = ?1 ORDER BY position",
    )?;
    let mut known: Vec<String> = Vec::new();
    for &id in scorecards {
        let ids: Vec<String> =
            statement.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        for criterion in ids {
            if !known.contains(&criterion) {
                known.push(criterion);
            }
        }
    }
    Ok(known)
}
