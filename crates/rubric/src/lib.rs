//! Rubrics: the TOML schema, validation with line:col problems, the scoring engine, and the
//! re-scoring of a scorecard after a person's review.
//!
//! Takes text and data, returns data: no file system, no terminal.

pub mod answers;
mod checklist;
mod compile;
mod engine;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
mod language;
pub mod load;
mod matcher;
pub mod model;
pub mod normalize;
mod prepare;
mod review;
pub mod schema;
mod scoring;

pub use checklist::{answer_text, localized, type_name};
pub use error::{Problem, RubricError};
pub use model::{Band, ChoiceOption, Criterion, Question, Rubric, Section, ShowIf};
pub use review::{ReviewProblem, verdict_from_name, verdicts_for};
pub use scoring::ScoreOptions;

/// Parses, validates and compiles a rubric from its TOML text.
pub fn parse(source: &str) -> Result<Rubric, RubricError> {
    let loaded = load::load(source).map_err(RubricError::Invalid)?;
    compile::compile(source, &loaded).map_err(RubricError::Invalid)
}
