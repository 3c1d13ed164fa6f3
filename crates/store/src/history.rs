//! Reads for the coaching sheets and summaries: employees, scored interactions with the
//! scorecard reports use (the latest review, or the automatic one when unreviewed interactions
//! are included), with criteria, evidence and disputes, and stored rubric texts, as `domain`
//! types.
//! A fixed number of queries per selection, whatever its size, so a sheet costs the same few index seeks.

use std::collections::HashMap;

use qadesk_domain::{DisputeMark, Employee, Outcome, ReviewMark, ScoredInteraction, StoredRubric};
use rusqlite::{OptionalExtension, params_from_iter};

use crate::error::{Context, StoreError};
use crate::read::{criterion_at, evidence_at, scorecard_head_at};
use crate::{Filter, REPORT_RANK, Store, kind_from_name};

/// The `WHERE` clause of a report query and its parameters; `i` is the interactions alias.
/// Only the conditions the filter sets are written, because `?1 IS NULL OR …` keeps SQLite
/// from using an index. Dates compare `coalesce(started_at, ingested_at)`, the expression
/// migration 3 indexes; `until` includes the whole day it names.
fn period(filter: &Filter) -> (String, Vec<String>) {
    let mut clauses = vec!["1".to_string()];
    let mut values = Vec::new();
    if let Some(employee) = &filter.employee {
        values.push(employee.clone());
        clauses.push(format!("i.employee_id = ?{}", values.len()));
    }
    if let Some(since) = &filter.since {
        values.push(since.clone());
        clauses.push(format!("coalesce(i.started_at, i.ingested_at) >= ?{}", values.len()));
    }
    if let Some(until) = &filter.until {
        values.push(format!("{until}T99"));
        clauses.push(format!("coalesce(i.started_at, i.ingested_at) < ?{}", values.len()));
    }
    (clauses.join(" AND "), values)
}

/// The condition on scorecard kinds for reports: reviewed ones only, unless unreviewed
/// interactions are included (then automatic ones may stand in; the report order prefers a
/// review where there is one).
fn kinds_clause(include_unreviewed: bool) -> &'static str {
    if include_unreviewed { "" } else { "AND s.kind = 'reviewed'" }
}

impl Store {
    /// The employee with this id, if the store has one.
    pub fn employee(&self, id: &str) -> Result<Option<Employee>, StoreError> {
        self.conn
            .query_row("SELECT id, name FROM employees WHERE id = ?1", [id], |r| {
                Ok(Employee { id: r.get(0)?, name: r.get(1)? })
            })
            .optional()
            .step(&self.path, "cannot read the employee")
    }

    /// Employees with at least one reviewed interaction the filter selects (or one with any
    /// scorecard, when unreviewed ones count too), by id.
    pub fn employees_scored(
        &self,
        filter: &Filter,
        include_unreviewed: bool,
    ) -> Result<Vec<Employee>, StoreError> {
        let step = "cannot list employees";
        let (clause, values) = period(filter);
        let kinds = kinds_clause(include_unreviewed);
        let sql = format!(
            "SELECT e.id, e.name FROM employees e
             WHERE EXISTS (
                 SELECT 1 FROM interactions i JOIN scorecards s ON s.interaction_id = i.id
                 WHERE i.employee_id = e.id AND {clause} {kinds}
             )
             ORDER BY e.id"
        );
        let mut statement = self.conn.prepare(&sql).step(&self.path, step)?;
        statement
            .query_map(params_from_iter(&values), |r| {
                Ok(Employee { id: r.get(0)?, name: r.get(1)? })
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)
    }

    /// Every interaction the filter selects (`below` does not apply) with the scorecard per
    /// rubric id that reports use, oldest first: its latest review (whoever made it); or, with
    /// `include_unreviewed`, for an interaction nobody has reviewed with that rubric, its
    /// latest automatic scorecard as the `latest_scorecards` view defines it.
    pub fn scored_interactions(
        &self,
        filter: &Filter,
        include_unreviewed: bool,
    ) -> Result<Vec<ScoredInteraction>, StoreError> {
        let step = "cannot read scored interactions";
        let (clause, values) = period(filter);
        let kinds = kinds_clause(include_unreviewed);
        // The view ranks every scorecard in the file before filtering; ranking only the
        // selected ones here keeps a sheet's cost proportional to its own interactions.
        let sql = format!(
            "SELECT i.id, i.call_id, i.kind, i.started_at, i.employee_id, e.name, t.origin,
                    s.id, s.rubric, r.rubric_id, r.version, s.score, s.band, s.score_unit,
                    s.points, s.max_points, s.language, s.critical_miss, s.kind, s.reviewer,
                    s.scored_at, t.confidence
             FROM interactions i
             JOIN scorecards s ON s.interaction_id = i.id
             JOIN rubrics r ON r.id = s.rubric
             LEFT JOIN employees e ON e.id = i.employee_id
             LEFT JOIN transcripts t ON t.interaction_id = i.id
             WHERE {clause} {kinds}
             ORDER BY coalesce(i.started_at, i.ingested_at), i.call_id, r.rubric_id,
                      {REPORT_RANK}"
        );
        let mut statement = self.conn.prepare_cached(&sql).step(&self.path, step)?;
        let mut rows = statement.query(params_from_iter(&values)).step(&self.path, step)?;
        let mut items: Vec<ScoredInteraction> = Vec::new();
        let mut by_scorecard: HashMap<i64, usize> = HashMap::new();
        while let Some(r) = rows.next().step(&self.path, step)? {
            let interaction: i64 = r.get(0).step(&self.path, step)?;
            let rubric_id: String = r.get(9).step(&self.path, step)?;
            // Rows of one interaction and rubric id come in report order: keep the first.
            if items.last().is_some_and(|last| {
                last.interaction == interaction && last.scorecard.rubric == rubric_id
            }) {
                continue;
            }
            let read = || -> rusqlite::Result<ScoredInteraction> {
                Ok(ScoredInteraction {
                    interaction,
                    call_id: r.get(1)?,
                    kind: kind_from_name(&r.get::<_, String>(2)?),
                    started_at: r.get(3)?,
                    employee_id: r.get(4)?,
                    employee_name: r.get(5)?,
                    transcript_origin: r.get(6)?,
                    transcript_confidence: r.get::<_, Option<f64>>(21)?.map(|c| c as f32),
                    rubric_key: r.get(8)?,
                    comments: Vec::new(),
                    review: match r.get::<_, String>(18)?.as_str() {
                        "reviewed" => Some(ReviewMark {
                            reviewer: r.get::<_, Option<String>>(19)?.unwrap_or_default(),
                            reviewed_at: r.get(20)?,
                        }),
                        _ => None,
                    },
                    disputes: Vec::new(),
                    // Column 9 is the rubric id read above.
                    scorecard: scorecard_head_at(r, 9, r.get(1)?)?,
                })
            };
            let item = read().step(&self.path, step)?;
            by_scorecard.insert(r.get(7).step(&self.path, step)?, items.len());
            items.push(item);
        }
        drop(rows);
        self.attach_criteria(filter, &mut items, &by_scorecard)?;
        self.attach_comments(filter, &mut items)?;
        self.attach_disputes(filter, &mut items)?;
        Ok(items)
    }

    /// Fills in criteria and evidence of the kept scorecards, one query each for all of them.
    fn attach_criteria(
        &self,
        filter: &Filter,
        items: &mut [ScoredInteraction],
        by_scorecard: &HashMap<i64, usize>,
    ) -> Result<(), StoreError> {
        let step = "cannot read criterion results";
        let (clause, values) = period(filter);
        let sql = format!(
            "SELECT c.scorecard_id, c.criterion, c.section, c.verdict, c.points, c.max, c.value,
                    c.critical_miss, c.reason
             FROM interactions i
             JOIN scorecards s ON s.interaction_id = i.id
             JOIN criterion_results c ON c.scorecard_id = s.id
             WHERE {clause}
             ORDER BY c.scorecard_id, c.position"
        );
        let mut statement = self.conn.prepare_cached(&sql).step(&self.path, step)?;
        let mut rows = statement.query(params_from_iter(&values)).step(&self.path, step)?;
        // (scorecard, criterion) → (item, index in its criteria), for the evidence below.
        let mut slots: HashMap<(i64, String), (usize, usize)> = HashMap::new();
        while let Some(r) = rows.next().step(&self.path, step)? {
            let scorecard: i64 = r.get(0).step(&self.path, step)?;
            let Some(&item) = by_scorecard.get(&scorecard) else { continue };
            let criterion = criterion_at(r, 1).step(&self.path, step)?;
            let criteria = &mut items[item].scorecard.criteria;
            slots.insert((scorecard, criterion.id.clone()), (item, criteria.len()));
            criteria.push(criterion);
        }
        drop(rows);

        let step = "cannot read evidence";
        let sql = format!(
            "SELECT v.scorecard_id, v.criterion, v.speaker, v.start_ms, v.end_ms, v.quote, v.turn
             FROM interactions i
             JOIN scorecards s ON s.interaction_id = i.id
             JOIN evidence v ON v.scorecard_id = s.id
             WHERE {clause}
             ORDER BY v.scorecard_id, v.criterion, v.position"
        );
        let mut statement = self.conn.prepare_cached(&sql).step(&self.path, step)?;
        let mut rows = statement.query(params_from_iter(&values)).step(&self.path, step)?;
        while let Some(r) = rows.next().step(&self.path, step)? {
            let key: (i64, String) =
                (r.get(0).step(&self.path, step)?, r.get(1).step(&self.path, step)?);
            let Some(&(item, index)) = slots.get(&key) else { continue };
            let evidence = evidence_at(r, 2).step(&self.path, step)?;
            items[item].scorecard.criteria[index].evidence.push(evidence);
        }
        Ok(())
    }

    /// Fills in the disputes of the kept scorecards' verdicts. A dispute belongs to a verdict
    /// (interaction, rubric id, criterion), not to the scorecard row it was opened on: a review
    /// stored after it (another reviewer's, or the first one after a dispute of the automatic
    /// scorecard) does not hide it. The dispute keeps the verdict it was opened against.
    fn attach_disputes(
        &self,
        filter: &Filter,
        items: &mut [ScoredInteraction],
    ) -> Result<(), StoreError> {
        let step = "cannot read disputes";
        let (clause, values) = period(filter);
        let sql = format!(
            "SELECT d.interaction_id, r.rubric_id, d.criterion, d.outcome
             FROM interactions i JOIN disputes d ON d.interaction_id = i.id
             JOIN scorecards s ON s.id = d.scorecard_id
             JOIN rubrics r ON r.id = s.rubric
             WHERE {clause}
             ORDER BY d.opened_at, d.id"
        );
        let mut statement = self.conn.prepare_cached(&sql).step(&self.path, step)?;
        let rows: Vec<(i64, String, String, Option<String>)> = statement
            .query_map(params_from_iter(&values), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        let by_verdict: HashMap<(i64, &str), usize> = items
            .iter()
            .enumerate()
            .map(|(index, item)| ((item.interaction, item.scorecard.rubric.as_str()), index))
            .collect();
        let mut marks: Vec<(usize, DisputeMark)> = Vec::new();
        for (interaction, rubric, criterion, outcome) in rows {
            if let Some(&item) = by_verdict.get(&(interaction, rubric.as_str())) {
                let outcome = outcome.as_deref().and_then(Outcome::from_name);
                marks.push((item, DisputeMark { criterion, outcome }));
            }
        }
        for (item, mark) in marks {
            items[item].disputes.push(mark);
        }
        Ok(())
    }

    /// Fills in the shoppers' free-text answers of the selected visits and mystery calls.
    fn attach_comments(
        &self,
        filter: &Filter,
        items: &mut [ScoredInteraction],
    ) -> Result<(), StoreError> {
        let step = "cannot read the shoppers' comments";
        let (clause, values) = period(filter);
        let sql = format!(
            "SELECT a.interaction_id, a.question, a.text
             FROM interactions i JOIN answers a ON a.interaction_id = i.id
             WHERE {clause} AND i.kind != 'call' AND a.kind = 'text'
             ORDER BY a.interaction_id, a.position"
        );
        let mut statement = self.conn.prepare_cached(&sql).step(&self.path, step)?;
        let rows: Vec<(i64, String, Option<String>)> = statement
            .query_map(params_from_iter(&values), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        let mut by_interaction: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for (interaction, question, text) in rows {
            let text = text.unwrap_or_default();
            if !text.trim().is_empty() {
                by_interaction.entry(interaction).or_default().push((question, text));
            }
        }
        for item in items.iter_mut() {
            if let Some(comments) = by_interaction.get(&item.interaction) {
                item.comments = comments.clone();
            }
        }
        Ok(())
    }

    /// The stored rubric texts with these row ids, in id order; unknown ids are left out.
    pub fn rubric_texts(&self, keys: &[i64]) -> Result<Vec<StoredRubric>, StoreError> {
        let step = "cannot read stored rubrics";
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id, rubric_id, version, title, sha256, toml FROM rubrics WHERE id = ?1",
            )
            .step(&self.path, step)?;
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let mut found = Vec::with_capacity(keys.len());
        for key in keys {
            let row = statement
                .query_row([key], |r| {
                    Ok(StoredRubric {
                        key: r.get(0)?,
                        rubric_id: r.get(1)?,
                        version: r.get(2)?,
                        title: r.get(3)?,
                        sha256: r.get(4)?,
                        toml: r.get(5)?,
                    })
                })
                .optional()
                .step(&self.path, step)?;
            found.extend(row);
        }
        Ok(found)
    }
}
