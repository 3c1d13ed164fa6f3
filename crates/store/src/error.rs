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
