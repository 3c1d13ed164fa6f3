//! The database schema as an ordered list of migrations, and opening a file: pragmas, version
//! check, migration. Owns every `CREATE`; queries live in `write` and `read`.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::error::{Context, StoreError};

/// `PRAGMA application_id` of a qadesk database: "qads" in ASCII, so `file(1)` and qadesk can
/// tell it from other SQLite files.
pub const APPLICATION_ID: i64 = 0x7161_6473;

/// Migration `i` takes the schema from version `i` to `i + 1`; `PRAGMA user_version` holds the
/// version reached. Never edit a released migration: add one.
const MIGRATIONS: &[&str] =
    &[MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4, MIGRATION_5, MIGRATION_6];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a connection waits for another writer before giving up. Ingest transactions are
/// short, so a wait this long means something is stuck, not busy.
const BUSY_TIMEOUT_MS: u32 = 60_000;

const MIGRATION_1: &str = "
CREATE TABLE employees (
    id   TEXT PRIMARY KEY,
    name TEXT
) STRICT;

CREATE TABLE interactions (
    id            INTEGER PRIMARY KEY,
    call_id       TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('call', 'mystery-call', 'visit')),
    employee_id   TEXT REFERENCES employees(id),
    started_at    TEXT,
    queue         TEXT,
    direction     TEXT CHECK (direction IN ('inbound', 'outbound')),
    source_path   TEXT NOT NULL,
    source_sha256 TEXT NOT NULL UNIQUE,
    ingested_at   TEXT NOT NULL
) STRICT;
CREATE INDEX interactions_by_employee ON interactions(employee_id, started_at);
CREATE INDEX interactions_by_start ON interactions(started_at);

CREATE TABLE recordings (
    interaction_id INTEGER PRIMARY KEY REFERENCES interactions(id) ON DELETE CASCADE,
    path           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    codec          TEXT NOT NULL,
    duration_ms    INTEGER,
    sample_rate    INTEGER NOT NULL,
    channels       INTEGER NOT NULL,
    transcribe_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE transcripts (
    interaction_id INTEGER PRIMARY KEY REFERENCES interactions(id) ON DELETE CASCADE,
    language       TEXT,
    origin         TEXT NOT NULL
) STRICT;

CREATE TABLE segments (
    interaction_id INTEGER NOT NULL REFERENCES transcripts(interaction_id) ON DELETE CASCADE,
    turn           INTEGER NOT NULL,
    speaker        TEXT NOT NULL CHECK (speaker IN ('agent', 'customer', 'unknown')),
    start_ms       INTEGER,
    end_ms         INTEGER,
    text           TEXT NOT NULL,
    PRIMARY KEY (interaction_id, turn)
) STRICT, WITHOUT ROWID;

CREATE TABLE call_metrics (
    interaction_id          INTEGER PRIMARY KEY REFERENCES interactions(id) ON DELETE CASCADE,
    duration_ms             INTEGER NOT NULL,
    agent_talk_ms           INTEGER NOT NULL,
    customer_talk_ms        INTEGER NOT NULL,
    agent_talk_share        REAL NOT NULL,
    customer_talk_share     REAL NOT NULL,
    total_silence_ms        INTEGER NOT NULL,
    longest_silence_ms      INTEGER NOT NULL,
    dead_air_count          INTEGER NOT NULL,
    agent_interruptions     INTEGER NOT NULL,
    customer_interruptions  INTEGER NOT NULL,
    agent_wpm               REAL,
    customer_wpm            REAL,
    agent_first_words_ms    INTEGER,
    hold_count              INTEGER NOT NULL,
    hold_total_ms           INTEGER NOT NULL,
    longest_hold_ms         INTEGER NOT NULL
) STRICT;

CREATE TABLE rubrics (
    id            INTEGER PRIMARY KEY,
    rubric_id     TEXT NOT NULL,
    version       INTEGER NOT NULL,
    title         TEXT NOT NULL,
    sha256        TEXT NOT NULL UNIQUE,
    toml          TEXT NOT NULL,
    first_used_at TEXT NOT NULL
) STRICT;

CREATE TABLE scorecards (
    id             INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    rubric         INTEGER NOT NULL REFERENCES rubrics(id),
    kind           TEXT NOT NULL CHECK (kind IN ('automatic')),
    score          REAL,
    band           TEXT,
    score_unit     TEXT NOT NULL,
    points         REAL NOT NULL,
    max_points     REAL NOT NULL,
    critical_miss  INTEGER NOT NULL,
    language       TEXT,
    scored_at      TEXT NOT NULL,
    UNIQUE (interaction_id, rubric, kind)
) STRICT;
CREATE INDEX scorecards_by_rubric ON scorecards(rubric);

CREATE TABLE section_results (
    scorecard_id  INTEGER NOT NULL REFERENCES scorecards(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    section       TEXT NOT NULL,
    score         REAL,
    points        REAL NOT NULL,
    max           REAL NOT NULL,
    critical_miss INTEGER NOT NULL,
    PRIMARY KEY (scorecard_id, section)
) STRICT, WITHOUT ROWID;

CREATE TABLE criterion_results (
    scorecard_id  INTEGER NOT NULL REFERENCES scorecards(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    criterion     TEXT NOT NULL,
    section       TEXT NOT NULL,
    verdict       TEXT NOT NULL CHECK (verdict IN ('pass', 'partial', 'fail', 'na')),
    points        REAL NOT NULL,
    max           REAL NOT NULL,
    value         REAL,
    critical_miss INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    PRIMARY KEY (scorecard_id, criterion)
) STRICT, WITHOUT ROWID;

CREATE TABLE evidence (
    scorecard_id INTEGER NOT NULL,
    criterion    TEXT NOT NULL,
    position     INTEGER NOT NULL,
    speaker      TEXT NOT NULL CHECK (speaker IN ('agent', 'customer', 'unknown')),
    start_ms     INTEGER,
    end_ms       INTEGER,
    turn         INTEGER,
    quote        TEXT NOT NULL,
    PRIMARY KEY (scorecard_id, criterion, position),
    FOREIGN KEY (scorecard_id, criterion)
        REFERENCES criterion_results(scorecard_id, criterion) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- The scorecard to show for each interaction and rubric: the highest rubric version it was
-- scored with (re-scoring with a new version keeps the old scorecards for comparison).
CREATE VIEW latest_scorecards AS
SELECT id, interaction_id, rubric, kind, score, band, score_unit, points, max_points,
       critical_miss, language, scored_at
FROM (
    SELECT s.*, row_number() OVER (
        PARTITION BY s.interaction_id, r.rubric_id, s.kind
        ORDER BY r.version DESC, r.id DESC
    ) AS newest
    FROM scorecards s JOIN rubrics r ON r.id = s.rubric
)
WHERE newest = 1;

CREATE TABLE failures (
    path           TEXT PRIMARY KEY,
    sha256         TEXT,
    reason         TEXT NOT NULL,
    attempts       INTEGER NOT NULL,
    last_failed_at TEXT NOT NULL
) STRICT;
";

/// Mystery shopping: the visit's facts, the shopper's answers, and attached files.
const MIGRATION_2: &str = "
CREATE TABLE visits (
    interaction_id       INTEGER PRIMARY KEY REFERENCES interactions(id) ON DELETE CASCADE,
    location             TEXT,
    time_in              TEXT,
    time_out             TEXT,
    shopper_id           TEXT,
    employee_description TEXT
) STRICT;

CREATE TABLE answers (
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    question       TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('yes', 'no', 'na', 'number', 'text', 'choice')),
    number         REAL,
    text           TEXT,
    PRIMARY KEY (interaction_id, question)
) STRICT, WITHOUT ROWID;

CREATE TABLE attachments (
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    question       TEXT NOT NULL,
    path           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    size_bytes     INTEGER NOT NULL,
    PRIMARY KEY (interaction_id, question)
) STRICT, WITHOUT ROWID;
";

/// Indexes for the coaching sheets and summaries (issue 6). Reports select an employee's
/// interactions by `coalesce(started_at, ingested_at)`, the same expression as every period
/// filter, so the index is on that expression: the range is then an index seek instead of a
/// scan of everything the employee ever did.
const MIGRATION_3: &str = "
CREATE INDEX interactions_by_employee_period
    ON interactions(employee_id, coalesce(started_at, ingested_at));
CREATE INDEX interactions_by_period ON interactions(coalesce(started_at, ingested_at));
";

/// How sure the speech recogniser was (issue 6's low-confidence transcripts): per segment,
/// Whisper's mean token probability, and per transcript the mean of its segments weighted by
/// their length (`Transcript::confidence`), kept so reports need not read every segment.
/// NULL where nothing said (typed transcripts, files without it, rows stored before).
const MIGRATION_4: &str = "
ALTER TABLE segments ADD COLUMN confidence REAL CHECK (confidence BETWEEN 0 AND 1);
ALTER TABLE transcripts ADD COLUMN confidence REAL CHECK (confidence BETWEEN 0 AND 1);
";

/// Human review (issue 7): reviewed scorecards beside the automatic ones, the decision behind
/// each reviewed verdict, and employees' disputes of verdicts.
///
/// `scorecards` is rebuilt, the way SQLite documents for changing a table's constraints (run
/// with foreign keys off, checked before commit, see `migrate`): its `kind` may now be
/// `reviewed`, a reviewed scorecard names its `reviewer`, and one interaction may have one
/// automatic scorecard per rubric text and one reviewed scorecard per rubric text and
/// reviewer. Row ids are kept, so section results, criterion results and evidence still
/// belong to their scorecards. The view is dropped first and made again, ranked per reviewer.
const MIGRATION_5: &str = "
DROP VIEW latest_scorecards;

CREATE TABLE scorecards_v5 (
    id             INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    rubric         INTEGER NOT NULL REFERENCES rubrics(id),
    kind           TEXT NOT NULL CHECK (kind IN ('automatic', 'reviewed')),
    score          REAL,
    band           TEXT,
    score_unit     TEXT NOT NULL,
    points         REAL NOT NULL,
    max_points     REAL NOT NULL,
    critical_miss  INTEGER NOT NULL,
    language       TEXT,
    scored_at      TEXT NOT NULL,
    reviewer       TEXT CHECK ((kind = 'reviewed') = (reviewer IS NOT NULL))
) STRICT;
INSERT INTO scorecards_v5 (id, interaction_id, rubric, kind, score, band, score_unit, points,
                           max_points, critical_miss, language, scored_at)
SELECT id, interaction_id, rubric, kind, score, band, score_unit, points, max_points,
       critical_miss, language, scored_at
FROM scorecards;
DROP TABLE scorecards;
ALTER TABLE scorecards_v5 RENAME TO scorecards;
CREATE INDEX scorecards_by_rubric ON scorecards(rubric);
CREATE INDEX scorecards_by_interaction ON scorecards(interaction_id, kind);
CREATE UNIQUE INDEX scorecards_one_automatic ON scorecards(interaction_id, rubric)
    WHERE kind = 'automatic';
CREATE UNIQUE INDEX scorecards_one_review ON scorecards(interaction_id, rubric, reviewer)
    WHERE kind = 'reviewed';

-- The scorecards to show for each interaction and rubric: per kind (and per reviewer), the
-- one scored with the highest rubric version.
CREATE VIEW latest_scorecards AS
SELECT id, interaction_id, rubric, kind, score, band, score_unit, points, max_points,
       critical_miss, language, scored_at, reviewer
FROM (
    SELECT s.*, row_number() OVER (
        PARTITION BY s.interaction_id, r.rubric_id, s.kind, s.reviewer
        ORDER BY r.version DESC, r.id DESC
    ) AS newest
    FROM scorecards s JOIN rubrics r ON r.id = s.rubric
)
WHERE newest = 1;

-- How each verdict of a reviewed scorecard came about: the automatic verdict the reviewer saw,
-- and whether they accepted it or overrode it (with their reason).
CREATE TABLE review_decisions (
    scorecard_id      INTEGER NOT NULL,
    criterion         TEXT NOT NULL,
    decision          TEXT NOT NULL CHECK (decision IN ('accepted', 'overridden')),
    automatic_verdict TEXT NOT NULL CHECK (automatic_verdict IN ('pass', 'partial', 'fail', 'na')),
    automatic_points  REAL NOT NULL,
    reason            TEXT CHECK ((decision = 'overridden') = (reason IS NOT NULL)),
    PRIMARY KEY (scorecard_id, criterion),
    FOREIGN KEY (scorecard_id, criterion)
        REFERENCES criterion_results(scorecard_id, criterion) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- An employee's dispute of one verdict of one scorecard, and how it was decided.
CREATE TABLE disputes (
    id             INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    scorecard_id   INTEGER NOT NULL REFERENCES scorecards(id) ON DELETE CASCADE,
    criterion      TEXT NOT NULL,
    verdict        TEXT NOT NULL CHECK (verdict IN ('pass', 'partial', 'fail', 'na')),
    employee_id    TEXT NOT NULL,
    reason         TEXT NOT NULL,
    opened_at      TEXT NOT NULL,
    outcome        TEXT CHECK (outcome IN ('upheld', 'rejected', 'partly')),
    decided_by     TEXT,
    decided_at     TEXT,
    note           TEXT,
    CHECK ((outcome IS NULL) = (decided_by IS NULL) AND (outcome IS NULL) = (decided_at IS NULL))
) STRICT;
CREATE INDEX disputes_by_employee ON disputes(employee_id, opened_at);
CREATE INDEX disputes_by_scorecard ON disputes(scorecard_id, criterion);
CREATE INDEX disputes_by_interaction ON disputes(interaction_id);
";

/// Where card numbers and personal data were redacted in each transcript (issue 7): the
/// utterance, what kind of data, and when it was said, so that the recording can be silenced
/// there (`qadesk redact-audio`). What was said is never stored.
const MIGRATION_6: &str = "
CREATE TABLE redactions (
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    turn           INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('card-number', 'security-code', 'expiry-date',
                                                 'phone-number', 'email', 'national-id')),
    start_ms       INTEGER,
    end_ms         INTEGER
) STRICT;
CREATE INDEX redactions_by_interaction ON redactions(interaction_id, turn);
";

/// Opens (creating if needed) the database at `path`, sets the connection's pragmas, refuses a
/// file from a newer qadesk or another application, and migrates an older one.
pub fn open(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).step(path, "cannot open")?;
    conn.busy_timeout(std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS)))
        .step(path, "cannot set the busy timeout")?;
    check_identity(&conn, path)?;
    // WAL lets readers (`qadesk list` during an ingest) go on while one process writes;
    // FULL makes every committed transaction survive a power cut, not only a killed process.
    let mode = switch_to_wal(&conn).step(path, "cannot switch to WAL")?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::NoWal { path: path.to_path_buf(), mode });
    }
    conn.pragma_update(None, "synchronous", "FULL").step(path, "cannot set synchronous")?;
    conn.pragma_update(None, "foreign_keys", "ON").step(path, "cannot enable foreign keys")?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

/// Switches a connection to WAL and returns the journal mode SQLite reports. While another
/// process opens the same new file, SQLite can refuse the switch as busy at once, without
/// waiting in the busy handler, so the switch is retried for as long as the busy timeout.
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<String> {
    let deadline =
        std::time::Instant::now() + std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS));
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            outcome => return outcome,
        }
    }
}

/// Refuses files qadesk must not touch, before anything is written to them.
fn check_identity(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    // One statement, so one snapshot: read one by one, another process's migration could
    // commit between the reads and make its new file look like someone else's.
    let (app, version, tables): (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id),
                    (SELECT user_version FROM pragma_user_version),
                    (SELECT count(*) FROM sqlite_schema)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .step(path, "cannot read the file header")?;
    if app == APPLICATION_ID {
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        return Ok(());
    }
    if app != 0 {
        return Err(StoreError::NotQadesk { path: path.to_path_buf(), found: app });
    }
    // A migration writes the application id in the same transaction as the version, so a file
    // without the id is qadesk's to take only while it is empty: another program's file may
    // well use `user_version` for its own schema.
    if version != 0 || tables > 0 {
        return Err(StoreError::NotQadesk { path: path.to_path_buf(), found: 0 });
    }
    Ok(())
}

fn user_version(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .step(path, "cannot read the schema version")
}

/// Applies the missing migrations, each in the same transaction as its version bump. The
/// version is re-read inside the write lock, so two processes opening a new file at once
/// migrate it once.
///
/// Foreign keys are off while migrating: SQLite's documented way of changing a table's
/// constraints (migration 5) creates a new table, copies the rows and drops the old one, and
/// with foreign keys on, dropping it would delete every row that refers to it. They can only
/// be switched outside a transaction, so they are switched around it, and
/// `PRAGMA foreign_key_check` must find nothing before the migration commits.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    migrate_to(conn, path, SCHEMA_VERSION)
}

fn migrate_to(conn: &mut Connection, path: &Path, target: i64) -> Result<(), StoreError> {
    if user_version(conn, path)? >= target {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF").step(path, "cannot disable foreign keys")?;
    let outcome = migrate_without_foreign_keys(conn, path, target);
    conn.pragma_update(None, "foreign_keys", "ON").step(path, "cannot enable foreign keys")?;
    outcome
}

fn migrate_without_foreign_keys(
    conn: &mut Connection,
    path: &Path,
    target: i64,
) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .step(path, "cannot start the migration")?;
    let from = user_version(&tx, path)?;
    if from > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: from,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().take(target as usize).skip(from as usize) {
        tx.execute_batch(sql).step(path, "cannot migrate the schema")?;
        tx.pragma_update(None, "user_version", index as i64 + 1)
            .step(path, "cannot record the schema version")?;
    }
    let broken: Option<String> = tx
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()
        .step(path, "cannot check the migrated references")?;
    if let Some(table) = broken {
        return Err(StoreError::BrokenMigration { path: path.to_path_buf(), table });
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .step(path, "cannot mark the file as a qadesk database")?;
    tx.commit().step(path, "cannot commit the migration")
}

/// Creates (or migrates) a database only up to schema version `version`, as an older qadesk
/// would have left it: for tests of migrations. qadesk itself always migrates to the latest.
#[doc(hidden)]
pub fn create_at_version(path: &Path, version: i64) -> Result<(), StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
    let mut conn = Connection::open_with_flags(path, flags).step(path, "cannot open")?;
    check_identity(&conn, path)?;
    migrate_to(&mut conn, path, version.clamp(0, SCHEMA_VERSION))
}
