//! Plain data types that flow between qadesk's crates; no I/O, no parsing of files.

pub mod history;
pub mod interaction;
pub mod metrics;
pub mod person;
pub mod review;
pub mod scorecard;
pub mod transcript;

pub use history::{Employee, ScoredInteraction, StoredRubric};
pub use interaction::{AnswerValue, Answers, Interaction, InteractionKind};
pub use metrics::{CallMetrics, Silence};
pub use review::{
    CriterionDecision, Decision, Dispute, DisputeMark, Outcome, Rating, Review, ReviewMark,
};
pub use scorecard::{CriterionResult, Evidence, Scorecard, SectionResult, Verdict};
pub use transcript::{Role, Segment, Transcript, Word};
