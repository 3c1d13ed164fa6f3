//! Coaching sheets, QA summaries and evaluator calibration: view models built from stored
//! scorecards and reviews, agreement statistics, and rendering with minijinja. The only crate that knows templates; it does no I/O — the CLI
//! reads the database and template files and writes the results.

pub mod agreement;
mod calibration;
mod chart;
mod coach;
pub mod error;
mod format;
mod guide;
pub mod mask;
mod render;
mod summary;

pub use calibration::{
    Calibration, CriterionAgreement, Method, Percent, ReviewerKappa, build_calibration,
};
pub use coach::{CoachInput, CoachingSheet, build_sheet};
pub use error::ReportError;
pub use guide::{CriterionGuide, Guides, RubricGuide};
pub use render::{Format, Renderer, TemplateSet};
pub use summary::{LOW_CONFIDENCE, MIN_EMPLOYEES, Summary, SummaryInput, build_summary};
