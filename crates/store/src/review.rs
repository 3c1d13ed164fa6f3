//! Human review in the database: the automatic scorecards to review, storing a reviewed
//! scorecard beside its automatic one (a reviewer's new review replaces their own earlier one),
//! reading reviews back, the next interaction a reviewer has not reviewed, and the ratings
//! calibration compares. The automatic scorecard's rows are only ever read here.

use qadesk_domain::{CriterionDecision, Rating, Review, Scorecard};
use rusqlite::{OptionalExtension, params};

use crate::error::{Context, StoreError};
use crate::read::{scorecard_head_at, verdict};
use crate::write::{insert_results, upsert_head};
use crate::{Filter, Store};

/// An automatic scorecard that can be reviewed, with what a review needs.
#[derive(Debug, Clone)]
pub struct ReviewTarget {
    /// The automatic scorecard's row id.
    pub scorecard: i64,
    pub interaction: i64,
    pub call_id: String,
    /// The row id of the exact rubric text it was scored with, and that text.
    pub rubric_key: i64,
    pub rubric_toml: String,
    /// When the automatic scorecard was last (re-)scored: a review carries it back to
    /// [`Store::save_review`], which refuses the review if a rescore changed it meanwhile.
    pub scored_at: String,
    /// Sections, criteria and evidence included.
    pub card: Scorecard,
}

/// A reviewed scorecard to store.
#[derive(Debug, Clone, Copy)]
pub struct NewReview<'a> {
    /// The automatic scorecard reviewed (row id).
    pub automatic: i64,
    /// Its `scored_at` when the review began ([`ReviewTarget::scored_at`]): a rescore since
    /// then (same row id, new verdicts) makes the review stale, and it is refused.
    pub automatic_scored_at: &'a str,
    pub reviewer: &'a str,
    pub card: &'a Scorecard,
    pub decisions: &'a [CriterionDecision],
}

/// What storing a review did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedReview {
    /// The reviewed scorecard's row id (kept when it replaced the reviewer's earlier review).
    pub scorecard: i64,
    /// True when it replaced this reviewer's earlier review of the same scorecard.
    pub replaced: bool,
    pub reviewed_at: String,
}

/// The interaction a key (row id or call id, as `qadesk show` takes it) names:
/// (row id, call id, employee id).
pub(crate) fn resolve(
    conn: &rusqlite::Connection,
    path: &std::path::Path,
    key: &str,
) -> Result<(i64, String, Option<String>), StoreError> {
    conn.query_row(
        "SELECT id, call_id, employee_id FROM interactions
             WHERE call_id = ?1 OR (id = ?2 AND ?2 IS NOT NULL)
             ORDER BY call_id = ?1 DESC LIMIT 1",
        params![key, key.parse::<i64>().ok()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
    .step(path, "cannot look up the interaction")?
    .ok_or_else(|| StoreError::NoSuchInteraction { path: path.to_path_buf(), key: key.to_string() })
}

impl Store {
    /// The latest automatic scorecard per rubric id of one interaction (by row id or call id),
    /// by rubric id.
    pub fn review_targets(&self, key: &str) -> Result<Vec<ReviewTarget>, StoreError> {
        let step = "cannot read the scorecards to review";
        let (interaction, call_id, _) = resolve(&self.conn, &self.path, key)?;
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.rubric, r.toml, r.rubric_id, r.version, s.score, s.band,
                        s.score_unit, s.points, s.max_points, s.language, s.critical_miss,
                        s.scored_at
                 FROM latest_scorecards s JOIN rubrics r ON r.id = s.rubric
                 WHERE s.interaction_id = ?1 AND s.kind = 'automatic'
                 ORDER BY r.rubric_id",
            )
            .step(&self.path, step)?;
        let heads: Vec<ReviewTarget> = statement
            .query_map([interaction], |r| {
                Ok(ReviewTarget {
                    scorecard: r.get(0)?,
                    interaction,
                    call_id: call_id.clone(),
                    rubric_key: r.get(1)?,
                    rubric_toml: r.get(2)?,
                    scored_at: r.get(12)?,
                    card: scorecard_head_at(r, 3, call_id.clone())?,
                })
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        heads
            .into_iter()
            .map(|mut target| {
                target.card.sections = self.sections(target.scorecard)?;
                target.card.criteria = self.criteria(target.scorecard)?;
                Ok(target)
            })
            .collect()
    }

    /// The oldest interaction (by its date, else its ingest time) with an automatic scorecard
    /// of a rubric this reviewer has not reviewed it with (of rubric id `rubric` only, when
    /// given); its call id.
    pub fn next_unreviewed(
        &self,
        reviewer: &str,
        rubric: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT i.call_id
                 FROM interactions i
                 JOIN latest_scorecards s ON s.interaction_id = i.id AND s.kind = 'automatic'
                 JOIN rubrics r ON r.id = s.rubric
                 WHERE (?2 IS NULL OR r.rubric_id = ?2)
                   AND NOT EXISTS (
                     SELECT 1 FROM scorecards v JOIN rubrics vr ON vr.id = v.rubric
                     WHERE v.interaction_id = i.id AND v.kind = 'reviewed'
                       AND v.reviewer = ?1 AND vr.rubric_id = r.rubric_id
                 )
                 ORDER BY coalesce(i.started_at, i.ingested_at), i.id
                 LIMIT 1",
                params![reviewer, rubric],
                |r| r.get(0),
            )
            .optional()
            .step(&self.path, "cannot find the next interaction to review")
    }

    /// True when this reviewer has reviewed this automatic scorecard's interaction with the
    /// same rubric id (whatever its version).
    pub fn has_reviewed(&self, automatic: i64, reviewer: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (
                     SELECT 1 FROM scorecards a JOIN rubrics ar ON ar.id = a.rubric
                     JOIN scorecards v ON v.interaction_id = a.interaction_id
                         AND v.kind = 'reviewed' AND v.reviewer = ?2
                     JOIN rubrics vr ON vr.id = v.rubric AND vr.rubric_id = ar.rubric_id
                     WHERE a.id = ?1
                 )",
                params![automatic, reviewer],
                |r| r.get(0),
            )
            .step(&self.path, "cannot look up earlier reviews")
    }

    /// Stores a reviewed scorecard next to the automatic one it reviews, with the decision
    /// behind each verdict, in one transaction. The reviewer's earlier review of the same
    /// rubric text is replaced (same row id, so disputes of it stay); other reviewers' reviews
    /// and the automatic scorecard are not touched.
    pub fn save_review(&mut self, review: &NewReview<'_>) -> Result<SavedReview, StoreError> {
        let mut saved = self.save_reviews(std::slice::from_ref(review))?;
        Ok(saved.remove(0))
    }

    /// Stores several reviews in one transaction (all or none), as [`Store::save_review`]
    /// stores one.
    pub fn save_reviews(
        &mut self,
        reviews: &[NewReview<'_>],
    ) -> Result<Vec<SavedReview>, StoreError> {
        let path = self.path.clone();
        let tx = self.write_transaction()?;
        let mut saved = Vec::with_capacity(reviews.len());
        for review in reviews {
            saved.push(save_one(&tx, review, &path)?);
        }
        tx.commit().step(&path, "cannot commit the review")?;
        Ok(saved)
    }

    /// Every reviewer's latest review of one interaction (row id), per rubric id, oldest
    /// first.
    pub fn reviews(&self, interaction: i64) -> Result<Vec<Review>, StoreError> {
        let step = "cannot read the reviews";
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.reviewer, s.scored_at, r.rubric_id, r.version, s.score, s.band,
                        s.score_unit, s.points, s.max_points, s.language, s.critical_miss,
                        i.call_id
                 FROM latest_scorecards s JOIN rubrics r ON r.id = s.rubric
                 JOIN interactions i ON i.id = s.interaction_id
                 WHERE s.interaction_id = ?1 AND s.kind = 'reviewed'
                 ORDER BY s.scored_at, s.id",
            )
            .step(&self.path, step)?;
        let heads: Vec<(i64, Review)> = statement
            .query_map([interaction], |r| {
                Ok((
                    r.get(0)?,
                    Review {
                        reviewer: r.get(1)?,
                        reviewed_at: r.get(2)?,
                        scorecard: scorecard_head_at(r, 3, r.get(12)?)?,
                        decisions: Vec::new(),
                    },
                ))
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)?;
        let mut decisions = self
            .conn
            .prepare_cached(
                "SELECT d.criterion, d.decision, d.automatic_verdict, d.automatic_points, d.reason
                 FROM review_decisions d
                 JOIN criterion_results c
                     ON c.scorecard_id = d.scorecard_id AND c.criterion = d.criterion
                 WHERE d.scorecard_id = ?1 ORDER BY c.position",
            )
            .step(&self.path, step)?;
        let mut reviews = Vec::with_capacity(heads.len());
        for (id, mut review) in heads {
            review.scorecard.sections = self.sections(id)?;
            review.scorecard.criteria = self.criteria(id)?;
            review.decisions = decisions
                .query_map([id], |r| {
                    Ok(CriterionDecision {
                        criterion: r.get(0)?,
                        accepted: r.get::<_, String>(1)? == "accepted",
                        automatic_verdict: verdict(&r.get::<_, String>(2)?),
                        automatic_points: r.get(3)?,
                        reason: r.get(4)?,
                    })
                })
                .and_then(Iterator::collect)
                .step(&self.path, step)?;
            reviews.push(review);
        }
        Ok(reviews)
    }

    /// Every reviewer's verdict on every criterion of the interactions the filter selects
    /// (`below` does not apply), from each reviewer's latest review per rubric id, with the
    /// automatic verdict that reviewer saw (`review_decisions.automatic_verdict`: a rescore
    /// rewrites the automatic scorecard in place, so today's may differ); only rubric `rubric`
    /// when given. Ordered by rubric, criterion position, interaction and reviewer.
    pub fn ratings(
        &self,
        filter: &Filter,
        rubric: Option<&str>,
    ) -> Result<Vec<Rating>, StoreError> {
        let step = "cannot read the reviewers' ratings";
        let mut statement = self
            .conn
            .prepare(
                "SELECT r.rubric_id, c.criterion, s.interaction_id, s.reviewer, c.verdict,
                        d.automatic_verdict
                 FROM interactions i
                 JOIN latest_scorecards s ON s.interaction_id = i.id AND s.kind = 'reviewed'
                 JOIN rubrics r ON r.id = s.rubric
                 JOIN criterion_results c ON c.scorecard_id = s.id
                 LEFT JOIN review_decisions d
                     ON d.scorecard_id = s.id AND d.criterion = c.criterion
                 WHERE (?1 IS NULL OR i.employee_id = ?1)
                   AND (?2 IS NULL OR coalesce(i.started_at, i.ingested_at) >= ?2)
                   AND (?3 IS NULL OR coalesce(i.started_at, i.ingested_at) < ?3 || 'T99')
                   AND (?4 IS NULL OR r.rubric_id = ?4)
                 ORDER BY r.rubric_id, c.position, s.interaction_id, s.reviewer",
            )
            .step(&self.path, step)?;
        statement
            .query_map(params![filter.employee, filter.since, filter.until, rubric], |r| {
                Ok(Rating {
                    rubric: r.get(0)?,
                    criterion: r.get(1)?,
                    interaction: r.get(2)?,
                    reviewer: r.get(3)?,
                    verdict: verdict(&r.get::<_, String>(4)?),
                    automatic: r.get::<_, Option<String>>(5)?.map(|v| verdict(&v)),
                })
            })
            .and_then(Iterator::collect)
            .step(&self.path, step)
    }

    /// The rubric ids that reviewed scorecards were made with.
    pub fn reviewed_rubrics(&self) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT DISTINCT r.rubric_id FROM scorecards s JOIN rubrics r ON r.id = s.rubric
                 WHERE s.kind = 'reviewed' ORDER BY r.rubric_id",
            )
            .step(&self.path, "cannot list reviewed rubrics")?;
        statement
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .step(&self.path, "cannot list reviewed rubrics")
    }
}

fn save_one(
    tx: &rusqlite::Transaction<'_>,
    review: &NewReview<'_>,
    path: &std::path::Path,
) -> Result<SavedReview, StoreError> {
    let step = "cannot store the review";
    let (interaction, rubric, scored_at, call_id): (i64, i64, String, String) = tx
        .query_row(
            "SELECT s.interaction_id, s.rubric, s.scored_at, i.call_id
             FROM scorecards s JOIN interactions i ON i.id = s.interaction_id
             WHERE s.id = ?1 AND s.kind = 'automatic'",
            [review.automatic],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()
        .step(path, step)?
        .ok_or(StoreError::NoSuchScorecard { path: path.to_path_buf(), id: review.automatic })?;
    // A rescore rewrites the automatic scorecard in place: the review must be of the verdicts
    // the reviewer saw. `scored_at` has whole seconds, so the verdicts are compared too.
    let mut current = tx
        .prepare_cached(
            "SELECT verdict FROM criterion_results WHERE scorecard_id = ?1 AND criterion = ?2",
        )
        .step(path, step)?;
    let mut changed = scored_at != review.automatic_scored_at;
    for d in review.decisions {
        if changed {
            break;
        }
        let now: Option<String> = current
            .query_row(params![review.automatic, d.criterion], |r| r.get(0))
            .optional()
            .step(path, step)?;
        changed = now.as_deref() != Some(d.automatic_verdict.as_str());
    }
    drop(current);
    if changed {
        return Err(StoreError::StaleReview {
            call_id,
            seen: review.automatic_scored_at.to_string(),
            scored_at,
        });
    }
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM scorecards WHERE interaction_id = ?1 AND rubric = ?2
                 AND kind = 'reviewed' AND reviewer = ?3",
            params![interaction, rubric, review.reviewer],
            |r| r.get(0),
        )
        .optional()
        .step(path, step)?;
    let scorecard =
        upsert_head(tx, existing, interaction, rubric, review.card, Some(review.reviewer))
            .step(path, step)?;
    insert_results(tx, scorecard, review.card).step(path, step)?;
    let mut decision = tx
        .prepare_cached(
            "INSERT INTO review_decisions (scorecard_id, criterion, decision, automatic_verdict,
                 automatic_points, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .step(path, step)?;
    for d in review.decisions {
        decision
            .execute(params![
                scorecard,
                d.criterion,
                if d.accepted { "accepted" } else { "overridden" },
                d.automatic_verdict.as_str(),
                d.automatic_points,
                d.reason,
            ])
            .step(path, step)?;
    }
    let reviewed_at: String = tx
        .query_row("SELECT scored_at FROM scorecards WHERE id = ?1", [scorecard], |r| r.get(0))
        .step(path, step)?;
    Ok(SavedReview { scorecard, replaced: existing.is_some(), reviewed_at })
}
