//! Coaching sheets, QA summaries, evaluator calibration and a person's export: view models
//! built from stored scorecards, reviews and records, agreement statistics, and the rendering
//! of sheets and summaries with minijinja. The only crate that knows templates; it does no
//! I/O — the CLI reads the database and template files and writes the results.

pub mod agreement;
mod calibration;
mod chart;
mod coach;
pub mod error;
mod format;
mod guide;
pub mod mask;
mod person;
mod render;
mod summary;

pub use calibration::{
    Calibration, CriterionAgreement, Method, Percent, ReviewerKappa, build_calibration,
};
pub use coach::{CoachInput, CoachingSheet, build_sheet};
pub use error::ReportError;
pub use guide::{CriterionGuide, Guides, RubricGuide};
pub use person::{
    EXPORT_FORMAT, EXPORT_VERSION, OTHER_EMPLOYEE, PersonExport, WITHHELD_CUSTOMER,
    WITHHELD_UNKNOWN, build_export,
};
pub use render::{Format, Renderer, TemplateSet};
pub use summary::{LOW_CONFIDENCE, MIN_EMPLOYEES, Summary, SummaryInput, build_summary};
