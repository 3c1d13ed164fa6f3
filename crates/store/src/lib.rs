//! qadesk's SQLite file: the only crate that knows SQL. Opens and migrates the database,
//! stores ingested interactions atomically, and reads them back as `domain` types.

mod error;
mod history;
mod read;
mod schema;
mod write;

use std::path::{Path, PathBuf};

use qadesk_domain::InteractionKind;
use rusqlite::Connection;

pub use error::StoreError;
pub use read::{
    Counts, Detail, ExportRow, Filter, ListRow, StoredRecording, StoredRedactions, StoredTranscript,
};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use write::{
    Attachment, Direction, Failure, Metadata, NewInteraction, RecordingInfo, Redaction, RubricText,
    SourceFile, Stored, VisitInfo,
};

/// An open qadesk database. One per thread: a `Store` is not shared between threads.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the database at `path`, creating and migrating it as needed. Refuses a file from a
    /// newer qadesk or from another application without changing it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store { conn: schema::open(path)?, path: path.to_path_buf() })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

pub(crate) fn kind_name(kind: InteractionKind) -> &'static str {
    match kind {
        InteractionKind::Call => "call",
        InteractionKind::MysteryCall => "mystery-call",
        InteractionKind::Visit => "visit",
    }
}

pub(crate) fn kind_from_name(name: &str) -> InteractionKind {
    match name {
        "mystery-call" => InteractionKind::MysteryCall,
        "visit" => InteractionKind::Visit,
        _ => InteractionKind::Call,
    }
}
