//! The store's one error type: what went wrong, with the database file and the step named.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {step}: {source}")]
    Sqlite {
        path: PathBuf,
        step: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "{path}: written by a newer qadesk (schema version {found}; this qadesk knows versions up \
         to {supported}): upgrade qadesk to open it; the file was left untouched"
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error(
        "{path}: not a qadesk database (application id {found:#x}); the file was left untouched"
    )]
    NotQadesk { path: PathBuf, found: i64 },
    #[error("{path}: no interaction with the id or call id `{key}`")]
    NoSuchInteraction { path: PathBuf, key: String },
    #[error("{path}: no such person: no employee has the id `{id}`")]
    NoSuchPerson { path: PathBuf, id: String },
    #[error(
        "call id `{call_id}` is already stored for another file ({other}); give each file its own call id"
    )]
    CallIdTaken { call_id: String, other: String },
    #[error("{path}: no automatic scorecard with the row id {id}")]
    NoSuchScorecard { path: PathBuf, id: i64 },
    #[error(
        "{call_id} is not {employee}'s interaction ({whose}): only its own employee can dispute \
         its verdicts"
    )]
    NotTheirs { call_id: String, employee: String, whose: String },
    #[error("{call_id} has no criterion `{criterion}` (its criteria: {known})")]
    NoSuchCriterion { call_id: String, criterion: String, known: String },
    #[error(
        "{call_id} has a criterion `{criterion}` in more than one rubric ({rubrics}): name one \
         with --rubric"
    )]
    AmbiguousCriterion { call_id: String, criterion: String, rubrics: String },
    #[error(
        "{call_id}: `{criterion}` ({rubric}) is already disputed: dispute #{id}, opened \
         {opened_at}, is still open; it can be disputed again once #{id} is decided"
    )]
    AlreadyDisputed {
        id: i64,
        call_id: String,
        rubric: String,
        criterion: String,
        opened_at: String,
    },
    #[error(
        "{call_id} was re-scored while you reviewed it (the automatic scorecard you saw is of \
         {seen}; it is now of {scored_at}), so your decisions may answer verdicts it no longer \
         has: nothing was stored; review it again"
    )]
    StaleReview { call_id: String, seen: String, scored_at: String },
    #[error("{path}: no dispute #{id}; `qadesk dispute list` shows them")]
    NoSuchDispute { path: PathBuf, id: i64 },
    #[error(
        "dispute #{id} was already decided ({outcome}, by {by} at {at}); a dispute is decided \
         once"
    )]
    AlreadyDecided { id: i64, outcome: String, by: String, at: String },
    #[error(
        "{path}: migrating the schema left rows in `{table}` that refer to nothing; nothing was \
         changed"
    )]
    BrokenMigration { path: PathBuf, table: String },
    #[error(
        "{path}: the file system keeps SQLite in `{mode}` journal mode, not WAL; put the \
         database on a local disk"
    )]
    NoWal { path: PathBuf, mode: String },
}

/// Attaches the database path and the step to a SQLite error.
pub(crate) trait Context<T> {
    fn step(self, path: &std::path::Path, step: &'static str) -> Result<T, StoreError>;
}

impl<T> Context<T> for Result<T, rusqlite::Error> {
    fn step(self, path: &std::path::Path, step: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Sqlite { path: path.to_path_buf(), step, source })
    }
}
