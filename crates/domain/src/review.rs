//! Plain types of human review: a reviewer's decision on each automatic verdict, the reviewed
//! scorecard it yields, the ratings calibration compares, and employees' disputes of verdicts.

use serde::{Deserialize, Serialize};

use crate::{Scorecard, Verdict};

/// What a reviewer decided about one automatic verdict.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// The automatic verdict stands.
    Accept,
    /// Another verdict, with the value on a five-point scale (which decides its points there),
    /// and the reviewer's reason, which is required.
    Override { verdict: Verdict, value: Option<f64>, reason: String },
}

/// How one criterion of a reviewed scorecard came about, kept beside its result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionDecision {
    pub criterion: String,
    /// False when the reviewer overrode the automatic verdict.
    pub accepted: bool,
    /// The automatic verdict and points the reviewer saw.
    pub automatic_verdict: Verdict,
    pub automatic_points: f64,
    /// The reviewer's reason for an override; `None` when accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A reviewed scorecard: the rubric's result after a person's decisions, with who and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub reviewer: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub reviewed_at: String,
    pub scorecard: Scorecard,
    /// One per criterion, in the scorecard's order.
    pub decisions: Vec<CriterionDecision>,
}

/// Which scorecard a report shows for an interaction: a person's review, or the automatic one
/// because nobody has reviewed it yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewMark {
    pub reviewer: String,
    pub reviewed_at: String,
}

/// One reviewer's verdict on one criterion of one interaction, for calibration; `automatic`
/// is the automatic verdict of the same rubric text, when it is still stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// The rubric's id (`call-quality`), not a row.
    pub rubric: String,
    pub criterion: String,
    /// The interaction's row id.
    pub interaction: i64,
    pub reviewer: String,
    pub verdict: Verdict,
    pub automatic: Option<Verdict>,
}

/// How a dispute ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The employee was right: the verdict should change.
    Upheld,
    /// The verdict stands.
    Rejected,
    /// The employee was partly right.
    Partly,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Upheld => "upheld",
            Outcome::Rejected => "rejected",
            Outcome::Partly => "partly",
        }
    }

    pub fn from_name(name: &str) -> Option<Outcome> {
        [Outcome::Upheld, Outcome::Rejected, Outcome::Partly]
            .into_iter()
            .find(|o| o.as_str() == name)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An employee's dispute of one verdict of one scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dispute {
    pub id: i64,
    /// The interaction's row id and call id.
    pub interaction: i64,
    pub call_id: String,
    /// The disputed scorecard (row id), its kind (`automatic` or `reviewed`) and reviewer.
    pub scorecard: i64,
    pub scorecard_kind: String,
    pub reviewer: Option<String>,
    pub rubric: String,
    pub criterion: String,
    /// The verdict disputed, as the scorecard has it.
    pub verdict: Verdict,
    /// Who opened it: the employee whose verdict it is.
    pub employee: String,
    pub reason: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub opened_at: String,
    /// `None` while the dispute is open.
    pub outcome: Option<Outcome>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub note: Option<String>,
}

/// A dispute as a report marks the verdict it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisputeMark {
    pub criterion: String,
    /// `None` while open.
    pub outcome: Option<Outcome>,
}
