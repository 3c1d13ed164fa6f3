//! The scorecard contract: what a rubric concluded about one interaction, with evidence.

use serde::{Deserialize, Serialize};

use crate::Role;

/// The outcome of one criterion. `Na` means the criterion did not apply and leaves the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Partial,
    Fail,
    Na,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Partial => "partial",
            Verdict::Fail => "fail",
            Verdict::Na => "na",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A moment of the interaction that backs a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub speaker: Role,
    /// `null` when the transcript has no times; `turn` still locates the quote.
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    pub quote: String,
    /// 1-based position of the utterance in the transcript.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn: Option<usize>,
}

/// The result of one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    pub id: String,
    pub section: String,
    pub verdict: Verdict,
    pub points: f64,
    pub max: f64,
    /// The raw value on the criterion's scale (1–5, a number) when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// True when this criterion is critical and was missed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical_miss: bool,
    pub evidence: Vec<Evidence>,
    pub reason: String,
}

/// The result of one section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionResult {
    pub id: String,
    /// Percent of the section's applicable maximum; `None` when nothing in it applied.
    pub score: Option<f64>,
    pub points: f64,
    pub max: f64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical_miss: bool,
}

/// What a rubric concluded about one interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub interaction: String,
    pub rubric: String,
    pub rubric_version: u32,
    /// The total as the rubric defines it (a percent by default, points where the rubric says so);
    /// `None` when no criterion applied.
    pub score: Option<f64>,
    pub band: Option<String>,
    /// `percent` or `points`: how to read `score`.
    pub score_unit: String,
    pub points: f64,
    pub max_points: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical_miss: bool,
    pub sections: Vec<SectionResult>,
    pub criteria: Vec<CriterionResult>,
}
