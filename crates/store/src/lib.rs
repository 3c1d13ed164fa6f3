//! qadesk's SQLite file: the only crate that knows SQL. Opens and migrates the database,
//! stores ingested interactions atomically, stores reviews and disputes, reads them back as
//! `domain` types, and deletes what retention or a person's erasure asks for.

mod dispute;
mod error;
mod history;
mod privacy;
mod read;
mod review;
mod schema;
mod write;

use std::path::{Path, PathBuf};

use qadesk_domain::InteractionKind;
use rusqlite::Connection;

pub use dispute::NewDispute;
pub use error::StoreError;
pub use privacy::{COVERAGE, Cleanup, QUOTE_REMOVED, Removal, Retention};
pub use read::{
    Counts, Detail, ExportRow, Filter, ListRow, StoredRecording, StoredRedactions, StoredTranscript,
};
pub use review::{NewReview, ReviewTarget, SavedReview};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION, create_at_version};
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

/// Ranks an interaction's scorecards of one rubric id for reports, the one to use first: the
/// latest review (by when it was made), else the automatic scorecard of the highest rubric
/// version. `s` is the scorecards alias, `r` the rubrics one.
pub(crate) const REPORT_RANK: &str = "s.kind = 'reviewed' DESC,
    CASE WHEN s.kind = 'reviewed' THEN s.scored_at END DESC, r.version DESC, r.id DESC,
    s.id DESC";

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
