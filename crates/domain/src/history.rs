//! Plain types for reading scored history back: an employee, a scored interaction with the
//! scorecard reports use (its latest review, or its latest automatic scorecard), and a stored
//! rubric text. The store fills them, reports read them.

use crate::{DisputeMark, InteractionKind, ReviewMark, Scorecard};

/// An employee as the store knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employee {
    pub id: String,
    /// `None` when no metadata ever gave a name.
    pub name: Option<String>,
}

/// One interaction with the scorecard of one rubric that reports use: the latest reviewed
/// one, or, when asked to include unreviewed interactions, the latest automatic one.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredInteraction {
    /// The interaction's row id.
    pub interaction: i64,
    pub call_id: String,
    pub kind: InteractionKind,
    /// Local start time, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`, when known.
    pub started_at: Option<String>,
    pub employee_id: Option<String>,
    pub employee_name: Option<String>,
    /// Where the transcript came from (`file:txt`, `whisper:…`), when there is one.
    pub transcript_origin: Option<String>,
    /// How sure the speech recogniser was of the transcript, 0–1
    /// ([`Transcript::confidence`](crate::Transcript::confidence)); `None` for typed ones.
    pub transcript_confidence: Option<f32>,
    /// The row id of the exact rubric text that produced the scorecard.
    pub rubric_key: i64,
    /// Criteria with their evidence; `sections` is left empty.
    pub scorecard: Scorecard,
    /// A mystery shopper's free-text answers, (question id, text) in checklist order; empty
    /// for recorded calls.
    pub comments: Vec<(String, String)>,
    /// Who reviewed the scorecard and when; `None` for an automatic scorecard nobody has
    /// reviewed yet (shown only when reports are asked to include unreviewed interactions).
    pub review: Option<ReviewMark>,
    /// Disputes of this scorecard's verdicts, open or decided.
    pub disputes: Vec<DisputeMark>,
}

/// A rubric text as stored, to be parsed again for titles, weights and coaching texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRubric {
    /// Row id, what [`ScoredInteraction::rubric_key`] refers to.
    pub key: i64,
    pub rubric_id: String,
    pub version: u32,
    pub title: String,
    pub sha256: String,
    pub toml: String,
}
