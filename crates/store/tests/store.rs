//! The store against real SQLite files: what goes in comes back, ingest is idempotent, and
//! files from a newer qadesk or another program are refused without being touched.

use std::path::{Path, PathBuf};

use qadesk_domain::{
    CallMetrics, CriterionDecision, CriterionResult, Evidence, InteractionKind, Role, Scorecard,
    SectionResult, Segment, Transcript, Verdict,
};
use qadesk_store::{
    APPLICATION_ID, Counts, Direction, ExportRow, Failure, Filter, Metadata, NewDispute,
    NewInteraction, NewReview, RecordingInfo, Redaction, RubricText, SCHEMA_VERSION, SourceFile,
    Store, StoreError, Stored, StoredRecording,
};
use rusqlite::Connection;
use tempfile::TempDir;

/// A database file in its own directory, removed with the value.
struct Db {
    _dir: TempDir,
    path: PathBuf,
}

fn new_db() -> Db {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("qadesk.db");
    Db { _dir: dir, path }
}

fn open(path: &Path) -> Store {
    Store::open(path).unwrap_or_else(|error| panic!("open: {error}"))
}

/// A plain connection for what the store's API does not show, with foreign keys on as the
/// store has them.
fn raw(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("raw connection");
    conn.pragma_update(None, "foreign_keys", "ON").expect("foreign keys");
    conn
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|error| panic!("{sql}: {error}"))
}

/// `PRAGMA integrity_check` says ok and `PRAGMA foreign_key_check` finds nothing.
fn assert_consistent(path: &Path) {
    let conn = raw(path);
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("integrity check");
    assert_eq!(integrity, ["ok"]);
    let violations: Vec<(String, Option<i64>, String)> = conn
        .prepare("PRAGMA foreign_key_check")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect())
        .expect("foreign key check");
    assert_eq!(violations, []);
}

fn sha(n: u32) -> String {
    format!("{n:064x}")
}

/// Stores version `version` of the call-quality rubric and returns its row id.
fn rubric(store: &mut Store, version: u32) -> i64 {
    let toml = format!("id = \"call-quality\"\ntitle = \"Call quality\"\nversion = {version}\n");
    let hash = sha(0xab00 + version);
    store
        .rubric(&RubricText {
            rubric_id: "call-quality",
            version,
            title: "Call quality",
            sha256: &hash,
            toml: &toml,
        })
        .expect("rubric stored")
}

fn timed_transcript() -> Transcript {
    Transcript {
        language: Some("en".into()),
        segments: vec![
            // As from Whisper: with its confidence (a value an f32 holds exactly, so the
            // comparison after the round trip through SQLite's REAL is exact).
            Segment {
                confidence: Some(0.875),
                ..Segment::timed(
                    Role::Agent,
                    0,
                    3_200,
                    "Good morning, Nordlys Telecom, Anna speaking.",
                )
            },
            Segment {
                confidence: Some(0.5),
                ..Segment::timed(
                    Role::Customer,
                    3_500,
                    9_000,
                    "Hi, my internet is down since yesterday.",
                )
            },
            Segment::timed(
                Role::Agent,
                8_500,
                12_000,
                "I am sorry to hear that, one moment please.",
            ),
            Segment::timed(
                Role::Agent,
                20_000,
                23_000,
                "Thanks for holding, the line works again.",
            ),
            Segment::timed(Role::Unknown, 23_500, 24_000, "[music]"),
        ],
    }
}

fn untimed_transcript() -> Transcript {
    Transcript {
        language: None,
        segments: vec![
            Segment::untimed(Role::Customer, "Hello?"),
            Segment::untimed(Role::Agent, "Hello, how can I help?"),
        ],
    }
}

/// A scorecard exercising every column: sections with and without a score, every verdict,
/// evidence with and without times, a value, a critical miss, positions out of id order.
fn scorecard(call_id: &str, version: u32, score: f64) -> Scorecard {
    let evidence = |speaker, times: Option<(u64, u64)>, turn, quote: &str| Evidence {
        speaker,
        start_ms: times.map(|t| t.0),
        end_ms: times.map(|t| t.1),
        quote: quote.into(),
        turn: Some(turn),
    };
    Scorecard {
        interaction: call_id.into(),
        rubric: "call-quality".into(),
        rubric_version: version,
        score: Some(score),
        band: Some("Good".into()),
        score_unit: "percent".into(),
        points: 15.0,
        max_points: 20.0,
        language: Some("en".into()),
        critical_miss: false,
        sections: vec![
            SectionResult {
                id: "courtesy".into(),
                score: Some(100.0),
                points: 10.0,
                max: 10.0,
                critical_miss: false,
            },
            SectionResult {
                id: "resolution".into(),
                score: Some(50.0),
                points: 5.0,
                max: 10.0,
                critical_miss: true,
            },
            SectionResult {
                id: "empathy".into(),
                score: None,
                points: 0.0,
                max: 0.0,
                critical_miss: false,
            },
        ],
        criteria: vec![
            CriterionResult {
                id: "greeting".into(),
                section: "courtesy".into(),
                verdict: Verdict::Pass,
                points: 10.0,
                max: 10.0,
                value: None,
                critical_miss: false,
                evidence: vec![evidence(
                    Role::Agent,
                    Some((0, 3_200)),
                    1,
                    "Good morning, Nordlys Telecom, Anna speaking.",
                )],
                reason: "greeting phrase in the first 15 s of agent speech".into(),
            },
            CriterionResult {
                id: "hold-etiquette".into(),
                section: "resolution".into(),
                verdict: Verdict::Partial,
                points: 2.5,
                max: 5.0,
                value: Some(3.0),
                critical_miss: false,
                // Later turn first: evidence keeps the engine's order, not the transcript's.
                evidence: vec![
                    evidence(
                        Role::Agent,
                        Some((20_000, 23_000)),
                        4,
                        "Thanks for holding, the line works again.",
                    ),
                    evidence(
                        Role::Agent,
                        Some((8_500, 12_000)),
                        3,
                        "I am sorry to hear that, one moment please.",
                    ),
                ],
                reason: "asked to hold and thanked, but no reason given".into(),
            },
            CriterionResult {
                id: "confirm-resolution".into(),
                section: "resolution".into(),
                verdict: Verdict::Fail,
                points: 2.5,
                max: 5.0,
                value: None,
                critical_miss: true,
                evidence: vec![evidence(Role::Unknown, None, 5, "[music]")],
                reason: "no confirmation question before the end of the call".into(),
            },
            CriterionResult {
                id: "empathy".into(),
                section: "empathy".into(),
                verdict: Verdict::Na,
                points: 0.0,
                max: 0.0,
                value: None,
                critical_miss: false,
                evidence: Vec::new(),
                reason: "no complaint was raised".into(),
            },
        ],
    }
}

/// A call from a transcript file, taken by employee e17 on 5 March 2024.
fn call(call_id: &str, source: u32, rubric: i64) -> NewInteraction {
    let transcript = timed_transcript();
    NewInteraction {
        source: SourceFile { path: format!("calls/{call_id}.txt"), sha256: sha(source) },
        meta: Metadata {
            call_id: call_id.into(),
            employee_id: Some("e17".into()),
            employee_name: Some("Anna Berg".into()),
            started_at: Some("2024-03-05T09:30:00".into()),
            ..Metadata::default()
        },
        recording: None,
        metrics: CallMetrics::from_transcript(&transcript),
        transcript: Some(transcript),
        origin: "file:txt".into(),
        scorecards: vec![(rubric, scorecard(call_id, 1, 75.0))],
        visit: None,
        answers: Vec::new(),
        attachments: Vec::new(),
        redactions: Vec::new(),
    }
}

fn insert(store: &mut Store, items: &[NewInteraction]) -> Vec<Result<Stored, StoreError>> {
    store.insert_batch(items).unwrap_or_else(|error| panic!("batch: {error}"))
}

fn inserted(outcome: &Result<Stored, StoreError>) -> i64 {
    match outcome {
        Ok(Stored::Inserted { interaction }) => *interaction,
        other => panic!("expected a new interaction, got {other:?}"),
    }
}

fn export_all(store: &Store, filter: &Filter) -> Vec<ExportRow> {
    let mut rows = Vec::new();
    store
        .export(filter, |row| {
            rows.push(row);
            Ok::<(), StoreError>(())
        })
        .expect("export");
    rows
}

fn listed(store: &Store, filter: &Filter) -> Vec<String> {
    store.list(filter).expect("list").into_iter().map(|row| row.call_id).collect()
}

#[test]
fn a_new_file_gets_the_qadesk_application_id_schema_version_and_wal() {
    let db = new_db();
    drop(open(&db.path));
    let conn = raw(&db.path);
    let application_id: i64 =
        conn.pragma_query_value(None, "application_id", |r| r.get(0)).expect("application id");
    let user_version: i64 =
        conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("user version");
    let journal: String =
        conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).expect("journal mode");
    assert_eq!(application_id, 0x7161_6473);
    assert_eq!(application_id, APPLICATION_ID);
    assert_eq!((user_version, SCHEMA_VERSION), (6, 6));
    assert_eq!(journal, "wal");
    let objects: Vec<(String, String)> = conn
        .prepare(
            "SELECT type, name FROM sqlite_schema
             WHERE type IN ('table', 'view') ORDER BY type, name",
        )
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .expect("schema");
    let names: Vec<(&str, &str)> = objects.iter().map(|(t, n)| (t.as_str(), n.as_str())).collect();
    assert_eq!(
        names,
        [
            ("table", "answers"),
            ("table", "attachments"),
            ("table", "call_metrics"),
            ("table", "criterion_results"),
            ("table", "disputes"),
            ("table", "employees"),
            ("table", "evidence"),
            ("table", "failures"),
            ("table", "interactions"),
            ("table", "recordings"),
            ("table", "redactions"),
            ("table", "review_decisions"),
            ("table", "rubrics"),
            ("table", "scorecards"),
            ("table", "section_results"),
            ("table", "segments"),
            ("table", "transcripts"),
            ("table", "visits"),
            ("view", "latest_scorecards"),
        ]
    );
    drop(conn);
    // Opening again finds the schema in place and changes nothing.
    let store = open(&db.path);
    assert_eq!(store.counts().expect("counts"), Counts::default());
    assert_eq!(store.path(), db.path);
    drop(store);
    assert_consistent(&db.path);
}

#[test]
fn an_interaction_comes_back_as_it_was_stored() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    let mut mystery = call("m-0001", 1, rubric);
    mystery.meta.kind = InteractionKind::MysteryCall;
    mystery.meta.queue = Some("billing".into());
    mystery.meta.direction = Some(Direction::Outbound);
    mystery.source.path = "audio/m-0001.wav".into();
    mystery.origin = "whisper:ggml-base.bin".into();
    mystery.recording = Some(RecordingInfo {
        path: "audio/m-0001.wav".into(),
        sha256: mystery.source.sha256.clone(),
        codec: "mulaw".into(),
        duration_ms: Some(24_480),
        sample_rate: 8_000,
        channels: 2,
        transcribe_ms: 3_170,
    });
    let mut chat = call("chat-7", 2, rubric);
    chat.transcript = Some(untimed_transcript());
    chat.metrics = None;
    chat.meta.started_at = None;

    assert!(!store.has_source(&sha(1)).expect("lookup"));
    let outcomes = insert(&mut store, &[mystery.clone(), chat.clone()]);
    let id = inserted(&outcomes[0]);
    inserted(&outcomes[1]);
    assert!(store.has_source(&sha(1)).expect("lookup"));
    assert!(!store.has_source(&sha(3)).expect("lookup"));

    let detail = store.detail("m-0001").expect("detail by call id");
    assert_eq!(detail.interaction, id);
    assert_eq!(detail.call_id, "m-0001");
    assert_eq!(detail.kind, InteractionKind::MysteryCall);
    assert_eq!(detail.started_at.as_deref(), Some("2024-03-05T09:30:00"));
    assert_eq!(detail.employee_id.as_deref(), Some("e17"));
    assert_eq!(detail.employee_name.as_deref(), Some("Anna Berg"));
    assert_eq!(detail.queue.as_deref(), Some("billing"));
    assert_eq!(detail.direction.as_deref(), Some("outbound"));
    assert_eq!(detail.source_path, "audio/m-0001.wav");
    assert_eq!(detail.ingested_at.len(), "2024-03-05T09:30:00Z".len(), "{}", detail.ingested_at);
    assert!(detail.ingested_at.ends_with('Z'), "{}", detail.ingested_at);
    assert_eq!(
        detail.recording,
        Some(StoredRecording {
            codec: "mulaw".into(),
            duration_ms: Some(24_480),
            sample_rate: 8_000,
            channels: 2,
            transcribe_ms: 3_170,
        })
    );
    assert_eq!(detail.transcript_origin.as_deref(), Some("whisper:ggml-base.bin"));
    assert_eq!(detail.transcript, timed_transcript());
    // The transcript's confidence: its segments' weighted by their length (45 and 40 chars).
    let stored: f64 = raw(&db.path)
        .query_row(
            "SELECT t.confidence FROM transcripts t JOIN interactions i ON i.id = t.interaction_id
             WHERE i.call_id = ?1",
            [&detail.call_id],
            |r| r.get(0),
        )
        .expect("transcript confidence");
    let expected = (45.0 * 0.875 + 40.0 * 0.5) / 85.0;
    assert!((stored - expected).abs() < 1e-6, "{stored} vs {expected}");
    let metrics = detail.metrics.expect("metrics stored");
    assert_eq!(Some(&metrics), mystery.metrics.as_ref());
    // The sample has a hold and an interruption, so those columns carry real values.
    assert_eq!((metrics.hold_count, metrics.hold_total_ms), (1, 8_000));
    assert_eq!(metrics.agent_interruptions, 1);
    assert_eq!(detail.scorecards, [scorecard("m-0001", 1, 75.0)]);

    // The row id finds the same interaction.
    let by_row = store.detail(&id.to_string()).expect("detail by row id");
    assert_eq!(by_row.call_id, "m-0001");

    let chat_detail = store.detail("chat-7").expect("detail of the chat");
    assert_eq!(chat_detail.transcript, untimed_transcript());
    assert_eq!(chat_detail.metrics, None);
    assert_eq!(chat_detail.recording, None);
    assert_eq!(chat_detail.started_at, None);
    assert_eq!(chat_detail.transcript_origin.as_deref(), Some("file:txt"));

    let stored: Vec<(String, Transcript)> = store
        .transcripts(&Filter::default())
        .expect("transcripts")
        .into_iter()
        .map(|t| (t.call_id, t.transcript))
        .collect();
    assert_eq!(
        stored,
        [("m-0001".to_string(), timed_transcript()), ("chat-7".to_string(), untimed_transcript())]
    );

    match store.detail("no-such-call") {
        Err(StoreError::NoSuchInteraction { key, path }) => {
            assert_eq!((key.as_str(), path.as_path()), ("no-such-call", db.path.as_path()));
        }
        other => panic!("expected NoSuchInteraction, got {other:?}"),
    }
    drop(store);
    assert_consistent(&db.path);
}

#[test]
fn a_call_id_that_looks_like_a_row_id_wins_over_the_row_id() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    let outcomes = insert(&mut store, &[call("2", 1, rubric), call("second", 2, rubric)]);
    assert_eq!((inserted(&outcomes[0]), inserted(&outcomes[1])), (1, 2));
    assert_eq!(store.detail("2").expect("detail").call_id, "2");
    assert_eq!(store.detail("1").expect("detail").call_id, "2");
}

#[test]
fn segment_turns_and_evidence_turns_count_alike_so_they_join() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    insert(&mut store, &[call("c1", 1, rubric)]);
    drop(store);
    let conn = raw(&db.path);
    let joined: Vec<(String, i64, String, String)> = conn
        .prepare(
            "SELECT e.criterion, e.turn, e.quote, g.text
             FROM evidence e
             JOIN scorecards s ON s.id = e.scorecard_id
             JOIN segments g ON g.interaction_id = s.interaction_id AND g.turn = e.turn
             ORDER BY e.criterion, e.position",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect()
        })
        .expect("join");
    assert_eq!(joined.len(), 4);
    for (criterion, turn, quote, text) in &joined {
        assert_eq!(quote, text, "{criterion} turn {turn}");
    }
    let turns: Vec<i64> = conn
        .prepare("SELECT turn FROM segments ORDER BY turn")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("turns");
    assert_eq!(turns, [1, 2, 3, 4, 5]);
}

#[test]
fn the_same_content_twice_is_stored_once() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    let first = call("c1", 1, rubric);
    let id = inserted(&insert(&mut store, std::slice::from_ref(&first))[0]);
    let after_first = store.counts().expect("counts");
    assert_eq!(
        after_first,
        Counts {
            interactions: 1,
            segments: 5,
            scorecards: 1,
            criterion_results: 4,
            evidence: 4,
            failures: 0
        }
    );

    // A rerun, and the same content under another name and call id: both already stored.
    let mut renamed = call("c1-copy", 1, rubric);
    renamed.source.path = "elsewhere/copy.txt".into();
    let outcomes = insert(&mut store, &[first.clone(), renamed]);
    let expected = Stored::AlreadyStored { interaction: id };
    assert_eq!(
        outcomes.iter().map(|o| o.as_ref().ok()).collect::<Vec<_>>(),
        [Some(&expected), Some(&expected)]
    );
    assert_eq!(store.counts().expect("counts"), after_first);

    // Twice in one batch: the second sees the first.
    let outcomes = insert(&mut store, &[call("c2", 2, rubric), call("c2", 2, rubric)]);
    let second = inserted(&outcomes[0]);
    assert_eq!(outcomes[1].as_ref().ok(), Some(&Stored::AlreadyStored { interaction: second }));
    assert_eq!(store.counts().expect("counts").interactions, 2);
    drop(store);
    let conn = raw(&db.path);
    assert_eq!(count(&conn, "SELECT count(*) FROM interactions WHERE call_id = 'c1-copy'"), 0);
}

#[test]
fn a_taken_call_id_fails_that_item_and_the_rest_of_the_batch_is_stored() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    insert(&mut store, &[call("c1", 1, rubric)]);
    let mut clash = call("c1", 3, rubric);
    clash.source.path = "calls/other-c1.txt".into();
    let outcomes = insert(&mut store, &[call("c2", 2, rubric), clash, call("c3", 4, rubric)]);
    inserted(&outcomes[0]);
    match &outcomes[1] {
        Err(StoreError::CallIdTaken { call_id, other }) => {
            assert_eq!((call_id.as_str(), other.as_str()), ("c1", "calls/c1.txt"));
        }
        other => panic!("expected CallIdTaken, got {other:?}"),
    }
    inserted(&outcomes[2]);
    assert_eq!(
        store.counts().expect("counts"),
        Counts {
            interactions: 3,
            segments: 15,
            scorecards: 3,
            criterion_results: 12,
            evidence: 12,
            failures: 0
        }
    );
    assert!(!store.has_source(&sha(3)).expect("lookup"));
    assert_eq!(listed(&store, &Filter::default()), ["c1", "c2", "c3"]);
    assert_eq!(store.detail("c1").expect("detail").source_path, "calls/c1.txt");
    drop(store);
    assert_consistent(&db.path);
}

#[test]
fn an_item_whose_rubric_row_does_not_exist_is_refused_by_the_foreign_keys() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    let outcomes = insert(&mut store, &[call("c1", 1, rubric), call("c2", 2, rubric + 100)]);
    inserted(&outcomes[0]);
    match &outcomes[1] {
        Err(StoreError::Sqlite { path, .. }) => assert_eq!(path, &db.path),
        other => panic!("expected a foreign key error, got {other:?}"),
    }
    // Nothing of the refused item is left, not even its transcript.
    let counts = store.counts().expect("counts");
    assert_eq!((counts.interactions, counts.segments, counts.scorecards), (1, 5, 1));
    drop(store);
    assert_consistent(&db.path);
}

#[test]
fn an_unknown_employee_stays_null_and_a_known_one_keeps_its_name() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    let mut anonymous = call("c1", 1, rubric);
    anonymous.meta.employee_id = None;
    anonymous.meta.employee_name = None;
    let mut nameless = call("c2", 2, rubric);
    nameless.meta.employee_name = None;
    nameless.meta.started_at = Some("2024-03-06".into());
    insert(&mut store, &[anonymous, call("c0", 3, rubric)]);
    insert(&mut store, &[nameless]);

    let detail = store.detail("c1").expect("detail");
    assert_eq!((detail.employee_id, detail.employee_name), (None, None));
    let rows = store.list(&Filter::default()).expect("list");
    let employees: Vec<(&str, Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|r| (r.call_id.as_str(), r.employee_id.as_deref(), r.employee_name.as_deref()))
        .collect();
    assert_eq!(
        employees,
        [
            ("c0", Some("e17"), Some("Anna Berg")),
            ("c1", None, None),
            ("c2", Some("e17"), Some("Anna Berg")),
        ]
    );
    assert!(
        export_all(&store, &Filter::default())
            .iter()
            .filter(|r| r.call_id == "c1")
            .all(|r| r.employee_id.is_none() && r.employee_name.is_none())
    );
    drop(store);
    let conn = raw(&db.path);
    assert_eq!(count(&conn, "SELECT count(*) FROM interactions WHERE employee_id IS NULL"), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM employees"), 1);
}

#[test]
fn rescoring_replaces_the_same_rubric_and_a_new_version_is_shown_alone() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    assert_eq!(rubric(&mut store, 1), v1, "the same text is stored once");
    let id = inserted(&insert(&mut store, &[call("c1", 1, v1)])[0]);

    store.save_scorecards(v1, &[(id, scorecard("c1", 1, 70.0))]).expect("rescore");
    let counts = store.counts().expect("counts");
    assert_eq!((counts.scorecards, counts.criterion_results, counts.evidence), (1, 4, 4));
    assert_eq!(store.detail("c1").expect("detail").scorecards, [scorecard("c1", 1, 70.0)]);

    let v2 = rubric(&mut store, 2);
    assert_ne!(v2, v1);
    let mut newer = scorecard("c1", 2, 90.0);
    newer.criteria.truncate(1);
    newer.criteria[0].reason = "greeting said, version 2".into();
    store.save_scorecards(v2, &[(id, newer.clone())]).expect("score with version 2");

    // Both versions are kept, only the newest is shown.
    let counts = store.counts().expect("counts");
    assert_eq!((counts.scorecards, counts.criterion_results, counts.evidence), (2, 5, 5));
    assert_eq!(store.detail("c1").expect("detail").scorecards, [newer.clone()]);
    let rows = store.list(&Filter::default()).expect("list");
    let summary: Vec<(&str, &str, u32, Option<f64>)> = rows
        .iter()
        .map(|r| (r.call_id.as_str(), r.rubric.as_str(), r.rubric_version, r.score))
        .collect();
    assert_eq!(summary, [("c1", "call-quality", 2, Some(90.0))]);
    let exported: Vec<(u32, String, String)> = export_all(&store, &Filter::default())
        .into_iter()
        .map(|r| (r.rubric_version, r.criterion, r.reason))
        .collect();
    assert_eq!(exported, [(2, "greeting".to_string(), "greeting said, version 2".to_string())]);
    // `below` looks at the shown scorecard, not the older one that would match.
    assert_eq!(
        listed(&store, &Filter { below: Some(80.0), ..Filter::default() }),
        Vec::<String>::new()
    );

    // Re-scoring with version 1 again replaces its own card and still shows version 2.
    store.save_scorecards(v1, &[(id, scorecard("c1", 1, 10.0))]).expect("rescore v1");
    assert_eq!(store.counts().expect("counts").scorecards, 2);
    assert_eq!(store.detail("c1").expect("detail").scorecards, [newer]);
    drop(store);
    let conn = raw(&db.path);
    assert_eq!(count(&conn, "SELECT count(*) FROM latest_scorecards WHERE interaction_id = 1"), 1);
    drop(conn);
    assert_consistent(&db.path);
}

#[test]
fn filters_select_by_employee_day_range_and_score() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    let spec: [(&str, Option<&str>, Option<&str>, f64); 5] = [
        ("c1", Some("e1"), Some("2024-03-04T09:00:00"), 40.0),
        ("c2", Some("e1"), Some("2024-03-05"), 80.0),
        ("c3", Some("e2"), Some("2024-03-05T23:59:59"), 55.0),
        ("c4", Some("e2"), Some("2024-03-06T00:00:00"), 95.0),
        // No start time: the ingest time (today) stands in for it.
        ("c5", None, None, 10.0),
    ];
    let items: Vec<NewInteraction> = spec
        .iter()
        .zip(1..)
        .map(|(&(call_id, employee, started, score), source)| {
            let mut item = call(call_id, source, rubric);
            item.meta.employee_id = employee.map(String::from);
            item.meta.started_at = started.map(String::from);
            item.scorecards[0].1 = scorecard(call_id, 1, score);
            item
        })
        .collect();
    insert(&mut store, &items);

    let text = |s: &str| Some(s.to_string());
    let cases: [(Filter, &[&str]); 8] = [
        (Filter::default(), &["c1", "c2", "c3", "c4", "c5"]),
        (Filter { employee: text("e1"), ..Filter::default() }, &["c1", "c2"]),
        (Filter { employee: text("nobody"), ..Filter::default() }, &[]),
        (Filter { since: text("2024-03-05"), ..Filter::default() }, &["c2", "c3", "c4", "c5"]),
        (Filter { until: text("2024-03-05"), ..Filter::default() }, &["c1", "c2", "c3"]),
        (
            Filter { since: text("2024-03-05"), until: text("2024-03-05"), ..Filter::default() },
            &["c2", "c3"],
        ),
        // Strictly below: 55 is not below 55.
        (Filter { below: Some(55.0), ..Filter::default() }, &["c1", "c5"]),
        (Filter { employee: text("e2"), below: Some(60.0), ..Filter::default() }, &["c3"]),
    ];
    for (filter, expected) in &cases {
        assert_eq!(listed(&store, filter), *expected, "{filter:?}");
        let mut exported: Vec<String> =
            export_all(&store, filter).into_iter().map(|r| r.call_id).collect();
        exported.dedup();
        assert_eq!(exported, *expected, "export {filter:?}");
    }
    // Re-scoring takes every transcript the dates and employee select, whatever the score.
    let rescored: Vec<String> = store
        .transcripts(&Filter { employee: text("e2"), below: Some(1.0), ..Filter::default() })
        .expect("transcripts")
        .into_iter()
        .map(|t| t.call_id)
        .collect();
    assert_eq!(rescored, ["c3", "c4"]);
}

#[test]
fn export_gives_one_row_per_criterion_in_order_and_stops_when_asked() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    let mut item = call("c1", 1, rubric);
    item.meta.queue = Some("support".into());
    item.meta.direction = Some(Direction::Inbound);
    insert(&mut store, &[item]);
    let rows = export_all(&store, &Filter::default());
    let summary: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.section.as_str(),
                r.criterion.as_str(),
                r.verdict.as_str(),
                r.points,
                r.max,
                r.value,
                r.critical_miss,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("courtesy", "greeting", "pass", 10.0, 10.0, None, false),
            ("resolution", "hold-etiquette", "partial", 2.5, 5.0, Some(3.0), false),
            ("resolution", "confirm-resolution", "fail", 2.5, 5.0, None, true),
            ("empathy", "empathy", "na", 0.0, 0.0, None, false),
        ]
    );
    let first = &rows[0];
    assert_eq!(
        (
            first.call_id.as_str(),
            first.kind.as_str(),
            first.started_at.as_deref(),
            first.employee_id.as_deref(),
            first.employee_name.as_deref(),
            first.queue.as_deref(),
            first.direction.as_deref(),
        ),
        (
            "c1",
            "call",
            Some("2024-03-05T09:30:00"),
            Some("e17"),
            Some("Anna Berg"),
            Some("support"),
            Some("inbound")
        )
    );
    assert_eq!(
        (first.rubric.as_str(), first.rubric_version, first.rubric_sha256.as_str()),
        ("call-quality", 1, sha(0xab01).as_str())
    );
    assert_eq!((first.score, first.band.as_deref()), (Some(75.0), Some("Good")));

    /// The caller's own error, so export can stop early: `None` when the caller stopped it.
    #[derive(Debug)]
    struct Stop(Option<StoreError>);
    impl From<StoreError> for Stop {
        fn from(error: StoreError) -> Self {
            Stop(Some(error))
        }
    }
    let mut seen = 0;
    let stopped = store.export(&Filter::default(), |_| {
        seen += 1;
        if seen == 2 { Err(Stop(None)) } else { Ok(()) }
    });
    assert!(matches!(stopped, Err(Stop(None))), "{stopped:?}");
    assert_eq!(seen, 2);
}

#[test]
fn a_failure_is_kept_until_the_file_is_stored() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    store.record_failure("calls/c1.txt", None, "cannot read: permission denied").expect("record");
    store
        .record_failure("calls/c1.txt", Some(&sha(1)), "line 3: no speaker")
        .expect("record again");
    store.record_failure("calls/broken.wav", None, "truncated WAV").expect("record");
    assert_eq!(
        store.failures().expect("failures"),
        [
            Failure {
                path: "calls/broken.wav".into(),
                sha256: None,
                reason: "truncated WAV".into(),
                attempts: 1,
            },
            Failure {
                path: "calls/c1.txt".into(),
                sha256: Some(sha(1)),
                reason: "line 3: no speaker".into(),
                attempts: 2,
            },
        ]
    );
    assert_eq!(store.counts().expect("counts").failures, 2);

    inserted(&insert(&mut store, &[call("c1", 1, rubric)])[0]);
    let left: Vec<String> =
        store.failures().expect("failures").into_iter().map(|f| f.path).collect();
    assert_eq!(left, ["calls/broken.wav"]);

    // A copy of stored content under a failed path clears that failure too.
    store.record_failure("calls/copy.txt", None, "interrupted").expect("record");
    let mut copy = call("copy", 1, rubric);
    copy.source.path = "calls/copy.txt".into();
    let outcomes = insert(&mut store, &[copy]);
    assert!(matches!(outcomes[0], Ok(Stored::AlreadyStored { .. })), "{outcomes:?}");
    let left: Vec<String> =
        store.failures().expect("failures").into_iter().map(|f| f.path).collect();
    assert_eq!(left, ["calls/broken.wav"]);
}

#[test]
fn a_database_from_a_newer_qadesk_is_refused_and_left_untouched() {
    let db = new_db();
    let mut store = open(&db.path);
    let rubric = rubric(&mut store, 1);
    insert(&mut store, &[call("c1", 1, rubric)]);
    drop(store);
    let conn = raw(&db.path);
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).expect("bump version");
    drop(conn);
    let before = std::fs::read(&db.path).expect("read file");

    let Err(error) = Store::open(&db.path) else { panic!("a newer database was opened") };
    let message = error.to_string();
    assert!(message.starts_with(&db.path.display().to_string()), "{message}");
    assert!(message.contains("newer qadesk"), "{message}");
    match error {
        StoreError::NewerSchema { path, found, supported } => {
            assert_eq!(
                (path, found, supported),
                (db.path.clone(), SCHEMA_VERSION + 1, SCHEMA_VERSION)
            );
        }
        other => panic!("expected NewerSchema, got {other}"),
    }
    assert_eq!(std::fs::read(&db.path).expect("read file"), before);
}

#[test]
fn a_sqlite_file_of_another_program_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temporary directory");
    // (file name, setup SQL, application id reported)
    let cases: [(&str, &str, i64); 3] = [
        ("notes.db", "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');", 0),
        (
            "fossil.db",
            "CREATE TABLE blob (rid INTEGER PRIMARY KEY); PRAGMA application_id = 252006674;",
            0x0F05_5112,
        ),
        // Many programs version their schema with user_version; 1 is not qadesk's 1.
        ("versioned.db", "CREATE TABLE items (id INTEGER); PRAGMA user_version = 1;", 0),
    ];
    for (name, setup, found_id) in cases {
        let path = dir.path().join(name);
        let conn = Connection::open(&path).expect("create foreign file");
        conn.execute_batch(setup).expect("setup");
        drop(conn);
        let before = std::fs::read(&path).expect("read file");
        match Store::open(&path) {
            Err(StoreError::NotQadesk { path: named, found }) => {
                assert_eq!((named.as_path(), found), (path.as_path(), found_id), "{name}");
            }
            Err(other) => panic!("{name}: expected NotQadesk, got {other}"),
            Ok(_) => panic!("{name}: a foreign database was opened"),
        }
        assert_eq!(std::fs::read(&path).expect("read file"), before, "{name}");
    }
}

#[test]
fn a_file_that_is_not_sqlite_gives_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let text = dir.path().join("calls.csv");
    std::fs::write(&text, "call_id,employee\nc1,e17\nc2,e18\n").expect("write text");
    let long = dir.path().join("notes.txt");
    std::fs::write(&long, "not a database\n".repeat(200)).expect("write text");
    for path in [&text, &long] {
        let before = std::fs::read(path).expect("read file");
        match Store::open(path) {
            Err(error @ StoreError::Sqlite { .. }) => {
                let message = error.to_string();
                assert!(message.starts_with(&path.display().to_string()), "{message}");
                assert!(message.contains("not a database"), "{message}");
            }
            Err(other) => panic!("expected a SQLite error, got {other}"),
            Ok(_) => panic!("{} was opened as a database", path.display()),
        }
        assert_eq!(std::fs::read(path).expect("read file"), before);
    }
    let missing = dir.path().join("no-such-folder").join("qadesk.db");
    match Store::open(&missing) {
        Err(error) => {
            let message = error.to_string();
            assert!(message.starts_with(&missing.display().to_string()), "{message}");
        }
        Ok(_) => panic!("a database was opened in a folder that does not exist"),
    }
}

#[test]
fn the_file_stays_consistent_through_every_kind_of_write() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    let v2 = rubric(&mut store, 2);
    let mut clash = call("c1", 9, v1);
    clash.source.path = "calls/clash.txt".into();
    let outcomes = insert(
        &mut store,
        &[call("c1", 1, v1), call("c2", 2, v1), call("c1", 1, v1), clash, call("c3", 3, v1 + 50)],
    );
    let oks = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(oks, 3);
    store.record_failure("calls/clash.txt", Some(&sha(9)), "call id taken").expect("record");
    store.save_scorecards(v2, &[(1, scorecard("c1", 2, 60.0))]).expect("rescore");
    store.save_scorecards(v1, &[(2, scorecard("c2", 1, 65.0))]).expect("rescore");
    drop(store);
    assert_consistent(&db.path);
    let conn = raw(&db.path);
    assert_eq!(count(&conn, "SELECT count(*) FROM scorecards"), 3);
    assert_eq!(count(&conn, "SELECT count(*) FROM latest_scorecards"), 2);
}

#[test]
fn deleting_an_interaction_removes_everything_that_belongs_to_it() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    let v2 = rubric(&mut store, 2);
    let mut recorded = call("c1", 1, v1);
    recorded.recording = Some(RecordingInfo {
        path: recorded.source.path.clone(),
        sha256: recorded.source.sha256.clone(),
        codec: "pcm16".into(),
        duration_ms: Some(24_000),
        sample_rate: 16_000,
        channels: 2,
        transcribe_ms: 1_200,
    });
    recorded.redactions = vec![
        Redaction { turn: 2, kind: "card-number", start_ms: Some(4_000), end_ms: Some(8_000) },
        Redaction { turn: 2, kind: "security-code", start_ms: Some(8_000), end_ms: Some(9_000) },
    ];
    let outcomes = insert(&mut store, &[recorded, call("c2", 2, v1)]);
    let (gone, kept) = (inserted(&outcomes[0]), inserted(&outcomes[1]));
    store.save_scorecards(v2, &[(gone, scorecard("c1", 2, 50.0))]).expect("rescore");
    drop(store);

    let conn = raw(&db.path);
    let per_interaction = |table: &str, id: i64| -> i64 {
        let sql = match table {
            "section_results" | "criterion_results" | "evidence" => format!(
                "SELECT count(*) FROM {table} WHERE scorecard_id IN
                 (SELECT id FROM scorecards WHERE interaction_id = {id})"
            ),
            _ => format!("SELECT count(*) FROM {table} WHERE interaction_id = {id}"),
        };
        count(&conn, &sql)
    };
    let tables = [
        "recordings",
        "transcripts",
        "segments",
        "call_metrics",
        "scorecards",
        "section_results",
        "criterion_results",
        "evidence",
        "redactions",
    ];
    let before: Vec<i64> = tables.iter().map(|t| per_interaction(t, gone)).collect();
    assert_eq!(before, [1, 1, 5, 1, 2, 6, 8, 8, 2]);
    // Orphans are counted across the tables, since the scorecard ids go with the delete.
    let total_children = |conn: &Connection| {
        (
            count(conn, "SELECT count(*) FROM section_results"),
            count(conn, "SELECT count(*) FROM criterion_results"),
            count(conn, "SELECT count(*) FROM evidence"),
        )
    };
    assert_eq!(total_children(&conn), (9, 12, 12));

    let deleted = conn.execute("DELETE FROM interactions WHERE id = ?1", [gone]).expect("delete");
    assert_eq!(deleted, 1);
    let after: Vec<i64> = tables.iter().map(|t| per_interaction(t, gone)).collect();
    assert_eq!(after, [0; 9]);
    assert_eq!(total_children(&conn), (3, 4, 4));
    let kept_rows: Vec<i64> = tables.iter().map(|t| per_interaction(t, kept)).collect();
    assert_eq!(kept_rows, [0, 1, 5, 1, 1, 3, 4, 4, 0]);
    // Shared rows stay: the employee and both rubric texts.
    assert_eq!(count(&conn, "SELECT count(*) FROM employees"), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM rubrics"), 2);
    drop(conn);
    assert_consistent(&db.path);
}

#[test]
fn several_stores_writing_one_new_file_at_once_lose_nothing() {
    let db = new_db();
    let writers = 4;
    let batches = 10;
    let per_batch = 5;
    std::thread::scope(|scope| {
        for writer in 0..writers {
            let path = db.path.clone();
            scope.spawn(move || {
                let mut store = open(&path);
                let rubric = rubric(&mut store, 1);
                for batch in 0..batches {
                    let items: Vec<NewInteraction> = (0..per_batch)
                        .map(|n| {
                            let k = (writer * batches + batch) * per_batch + n;
                            call(&format!("w{writer}-{k}"), k, rubric)
                        })
                        .collect();
                    for outcome in insert(&mut store, &items) {
                        inserted(&outcome);
                    }
                }
            });
        }
    });
    let store = open(&db.path);
    let total = i64::from(writers * batches * per_batch);
    let counts = store.counts().expect("counts");
    assert_eq!((counts.interactions, counts.scorecards), (total, total));
    drop(store);
    let conn = raw(&db.path);
    assert_eq!(count(&conn, "SELECT count(*) FROM rubrics"), 1);
    drop(conn);
    assert_consistent(&db.path);
}

/// The ```sql blocks of the crate's README, each one query.
fn readme_queries() -> Vec<String> {
    let mut queries = Vec::new();
    let mut current: Option<String> = None;
    for line in include_str!("../README.md").lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sql") => current = Some(String::new()),
            (Some(query), "```") => {
                queries.push(std::mem::take(query));
                current = None;
            }
            (Some(query), text) => {
                query.push_str(text);
                query.push('\n');
            }
            (None, _) => {}
        }
    }
    queries
}

#[test]
fn the_example_queries_in_the_readme_run() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    let mut second = call("call-0002", 2, v1);
    second.meta.employee_id = None;
    second.scorecards[0].1 = scorecard("call-0002", 1, 40.0);
    let mut redacted = call("call-0001", 1, v1);
    redacted.redactions = vec![Redaction {
        turn: 2,
        kind: "phone-number",
        start_ms: Some(3_500),
        end_ms: Some(9_000),
    }];
    let outcomes = insert(&mut store, &[redacted, second]);
    let first = inserted(&outcomes[0]);
    let v2 = rubric(&mut store, 2);
    store.save_scorecards(v2, &[(first, scorecard("call-0001", 2, 90.0))]).expect("rescore");
    // QA1 reviews call-0001 and overrides its greeting; its employee disputes the result.
    let target = store.review_targets("call-0001").expect("targets").remove(0);
    let mut reviewed = target.card.clone();
    reviewed.criteria[0].verdict = Verdict::Fail;
    reviewed.criteria[0].points = 0.0;
    reviewed.criteria[0].reason = "the greeting was cut off".into();
    let decisions: Vec<CriterionDecision> = target
        .card
        .criteria
        .iter()
        .map(|c| CriterionDecision {
            criterion: c.id.clone(),
            accepted: c.id != "greeting",
            automatic_verdict: c.verdict,
            automatic_points: c.points,
            reason: (c.id == "greeting").then(|| "the greeting was cut off".to_string()),
        })
        .collect();
    store
        .save_review(&NewReview {
            automatic: target.scorecard,
            automatic_scored_at: &target.scored_at,
            reviewer: "QA1",
            card: &reviewed,
            decisions: &decisions,
        })
        .expect("review");
    store
        .open_dispute(&NewDispute {
            interaction: "call-0001",
            criterion: "greeting",
            rubric: None,
            employee: "e17",
            reason: "I did greet",
        })
        .expect("dispute");
    drop(store);

    let queries = readme_queries();
    assert_eq!(queries.len(), 13);
    let conn = Connection::open_with_flags(&db.path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("read-only connection");
    let mut rows_per_query = Vec::new();
    for query in &queries {
        let mut statement = conn.prepare(query).unwrap_or_else(|error| panic!("{error}\n{query}"));
        let rows = statement
            .query_map([], |_| Ok(()))
            .and_then(Iterator::collect::<Result<Vec<()>, _>>)
            .unwrap_or_else(|error| panic!("{error}\n{query}"));
        rows_per_query.push(rows.len());
    }
    // Latest scores: 2; employees: e17 and unknown; judged criteria: 3; verdicts of call-0001
    // with their evidence: 5 (two quotes for one, none for `na`); calls with a hold: 2;
    // automatic scorecards: 3; utterances: 5; redactions: 1; rubric texts shown: 1; reviewed interactions:
    // 1; overridden verdicts: 1; e17's disputes: 1; one employee's rows: a count for each of
    // 5 tables.
    assert_eq!(rows_per_query, [2, 2, 3, 5, 2, 3, 5, 1, 1, 1, 1, 1, 5]);
}

/// The reads behind coaching sheets and summaries (issue 6) return what `qadesk show` returns
/// for the same interactions, newest rubric version only, filtered like `list`.
#[test]
fn report_reads_return_the_latest_scorecards_of_the_selected_interactions() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    let mut c2 = call("c2", 2, v1);
    c2.meta.employee_id = Some("e18".into());
    c2.meta.employee_name = Some("Bo Lind".into());
    c2.meta.started_at = Some("2024-03-07T10:00:00".into());
    let mut c3 = call("c3", 3, v1);
    c3.meta.employee_id = None;
    c3.meta.employee_name = None;
    c3.meta.started_at = Some("2024-03-06".into());
    c3.meta.kind = InteractionKind::Visit;
    let ids: Vec<i64> =
        insert(&mut store, &[call("c1", 1, v1), c2, c3]).iter().map(inserted).collect();
    let v2 = rubric(&mut store, 2);
    let mut newer = scorecard("c1", 2, 90.0);
    newer.criteria.truncate(1);
    store.save_scorecards(v2, &[(ids[0], newer.clone())]).expect("rescore");

    let all = store.scored_interactions(&Filter::default(), true).expect("read");
    let order: Vec<(&str, u32, Option<&str>)> = all
        .iter()
        .map(|i| (i.call_id.as_str(), i.scorecard.rubric_version, i.employee_id.as_deref()))
        .collect();
    assert_eq!(order, [("c1", 2, Some("e17")), ("c3", 1, None), ("c2", 1, Some("e18"))]);
    assert_eq!(all[0].rubric_key, v2);
    assert_eq!(all[1].kind, InteractionKind::Visit);
    assert_eq!(all[0].transcript_origin.as_deref(), Some("file:txt"));
    for item in &all {
        let mut shown = store.detail(&item.call_id).expect("detail").scorecards.remove(0);
        shown.sections.clear();
        assert_eq!(item.scorecard, shown, "{}", item.call_id);
    }

    let e17 = Filter { employee: Some("e17".into()), ..Filter::default() };
    let calls = |filter: &Filter| -> Vec<String> {
        store
            .scored_interactions(filter, true)
            .expect("read")
            .into_iter()
            .map(|i| i.call_id)
            .collect()
    };
    assert_eq!(calls(&e17), ["c1"]);
    let later = Filter {
        since: Some("2024-03-06".into()),
        until: Some("2024-03-07".into()),
        ..Filter::default()
    };
    assert_eq!(calls(&later), ["c3", "c2"]);
    let employees = |filter: &Filter| -> Vec<String> {
        store.employees_scored(filter, true).expect("employees").into_iter().map(|e| e.id).collect()
    };
    assert_eq!(employees(&Filter::default()), ["e17", "e18"]);
    assert_eq!(employees(&later), ["e18"]);
    assert_eq!(
        store.employee("e18").expect("read").and_then(|e| e.name).as_deref(),
        Some("Bo Lind")
    );
    assert_eq!(store.employee("nobody").expect("read"), None);

    let texts = store.rubric_texts(&[v2, v1, v2, 999]).expect("rubric texts");
    let keys: Vec<(i64, u32)> = texts.iter().map(|t| (t.key, t.version)).collect();
    assert_eq!(keys, [(v1, 1), (v2, 2)]);
    assert!(texts[1].toml.contains("version = 2"));
}

/// A file from before the report indexes (issue 6, migration 3) gets them when opened.
#[test]
fn a_file_from_before_the_report_indexes_gets_them_and_the_confidence_columns() {
    let db = new_db();
    qadesk_store::create_at_version(&db.path, 2).expect("a version 2 file");
    let conn = raw(&db.path);
    assert_eq!(count(&conn, "PRAGMA user_version"), 2);
    drop(conn);
    drop(open(&db.path));
    let conn = raw(&db.path);
    let indexes = count(
        &conn,
        "SELECT count(*) FROM sqlite_schema WHERE type = 'index'
         AND name IN ('interactions_by_employee_period', 'interactions_by_period')",
    );
    assert_eq!(indexes, 2);
    assert_eq!(count(&conn, "PRAGMA user_version"), SCHEMA_VERSION);
    let confidence_columns = count(
        &conn,
        "SELECT (SELECT count(*) FROM pragma_table_info('segments') WHERE name = 'confidence')
              + (SELECT count(*) FROM pragma_table_info('transcripts') WHERE name = 'confidence')",
    );
    assert_eq!(confidence_columns, 2, "migration 4 ran too");
    // The period filter of the report reads is served by the new index.
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT id FROM interactions i WHERE i.employee_id = 'e17'
             AND coalesce(i.started_at, i.ingested_at) >= '2024-03-01'",
        )
        .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(3))?.collect())
        .expect("plan");
    assert!(plan.iter().any(|p| p.contains("interactions_by_employee_period")), "{plan:?}");
}

/// Issue 7: erasing a person removes their rows from every table, counting them per table,
/// including a table the store knows nothing about that cascades from `scorecards` (as human
/// review's tables will), and keeps everyone else's.
#[test]
fn issue_7_erase_counts_every_table_and_keeps_the_others() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    let mut other = call("call-0002", 2, v1);
    other.meta.employee_id = Some("e18".into());
    other.meta.employee_name = Some("Jonas Lie".into());
    let outcomes = insert(&mut store, &[call("call-0001", 1, v1), other]);
    let (mine, theirs) = (inserted(&outcomes[0]), inserted(&outcomes[1]));
    store.record_failure("calls/2024-03-05_e17_x.wav", None, "truncated").expect("failure");
    store.record_failure("calls/2024-03-05_e18_x.wav", None, "truncated").expect("failure");
    drop(store);
    let conn = raw(&db.path);
    conn.execute_batch(&format!(
        "CREATE TABLE later_notes (scorecard_id INTEGER NOT NULL REFERENCES scorecards(id)
             ON DELETE CASCADE, note TEXT NOT NULL) STRICT;
         INSERT INTO later_notes SELECT id, 'note' FROM scorecards WHERE interaction_id = {mine};
         INSERT INTO later_notes SELECT id, 'note' FROM scorecards WHERE interaction_id = {theirs};"
    ))
    .expect("a table added later");
    drop(conn);

    let mut store = open(&db.path);
    let dry = store.erase_person("e17", true).expect("dry run");
    assert_eq!(dry.cleanup, None);
    assert_eq!(
        open(&db.path).counts().expect("counts").interactions,
        2,
        "a dry run deletes nothing"
    );
    let removal = store.erase_person("e17", false).expect("erase");
    assert_eq!(removal.rows, dry.rows);
    let expected = [
        ("employees", 1),
        ("interactions", 1),
        ("transcripts", 1),
        ("segments", 5),
        ("call_metrics", 1),
        // Migration 5 rebuilt `scorecards`, so it now comes after the tables made before it.
        ("section_results", 3),
        ("criterion_results", 4),
        ("evidence", 4),
        ("failures", 1),
        ("scorecards", 1),
        ("later_notes", 1),
    ];
    let got: Vec<(&str, i64)> = removal.rows.iter().map(|(t, n)| (t.as_str(), *n)).collect();
    assert_eq!(got, expected);
    let cleanup = removal.cleanup.expect("cleaned up");
    assert!(cleanup.vacuumed && cleanup.wal_truncated, "{cleanup:?}");
    assert!(matches!(
        store.erase_person("e17", false),
        Err(StoreError::NoSuchPerson { id, .. }) if id == "e17"
    ));
    drop(store);
    let conn = raw(&db.path);
    assert_eq!(count(&conn, "SELECT count(*) FROM later_notes"), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM interactions WHERE employee_id = 'e18'"), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM failures WHERE path LIKE '%e18%'"), 1);
}

#[test]
fn a_file_from_before_redaction_gets_the_redactions_table_and_keeps_its_data() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    inserted(&insert(&mut store, &[call("c1", 1, v1)])[0]);
    drop(store);
    let conn = raw(&db.path);
    conn.execute_batch(&format!(
        "DROP TABLE redactions; PRAGMA user_version = {};",
        SCHEMA_VERSION - 1
    ))
    .expect("back to the version before");
    drop(conn);
    let store = open(&db.path);
    let stored = store.redactions("c1").expect("redactions");
    assert_eq!(stored.call_id, "c1");
    assert!(stored.redactions.is_empty() && stored.recording.is_none());
    assert_eq!(store.counts().expect("counts").interactions, 1);
    drop(store);
    let conn = raw(&db.path);
    assert_eq!(count(&conn, "PRAGMA user_version"), SCHEMA_VERSION);
    drop(conn);
    assert_consistent(&db.path);
}

/// Issue 7: a table that refers to employees without a cascade makes an erase fail whole.
#[test]
fn issue_7_an_erase_that_cannot_finish_deletes_nothing() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    insert(&mut store, &[call("call-0001", 1, v1)]);
    drop(store);
    raw(&db.path)
        .execute_batch(
            "CREATE TABLE badges (employee_id TEXT NOT NULL REFERENCES employees(id)) STRICT;
             INSERT INTO badges VALUES ('e17');",
        )
        .expect("a table without a cascade");
    let mut store = open(&db.path);
    let error = store.erase_person("e17", false).expect_err("refused");
    assert!(error.to_string().contains("cannot delete the employee"), "{error}");
    assert_eq!(store.counts().expect("counts").interactions, 1);
    assert!(store.employee("e17").expect("read").is_some());
}

/// Issue 7: transcript retention drops the transcript and the quotes taken from it, and keeps
/// the scores and a checklist's evidence (which quotes answers, not a transcript).
#[test]
fn issue_7_transcript_retention_keeps_scores_and_answer_evidence() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    let mut visit = call("visit-1", 2, v1);
    visit.transcript = None;
    visit.metrics = None;
    visit.meta.kind = InteractionKind::Visit;
    let mut card = scorecard("visit-1", 1, 50.0);
    for criterion in &mut card.criteria {
        for e in &mut criterion.evidence {
            e.turn = None;
            e.quote = format!("{}: yes", criterion.id);
        }
    }
    visit.scorecards = vec![(v1, card)];
    let mut recent = call("call-new", 3, v1);
    recent.meta.started_at = Some("2026-06-01".into());
    insert(&mut store, &[call("call-old", 1, v1), visit, recent]);
    let retention = qadesk_store::Retention {
        transcripts_before: Some("2025-01-01".into()),
        ..Default::default()
    };
    let removal = store.purge(&retention, false).expect("purge");
    assert_eq!(removal.removed("transcripts"), 1);
    assert_eq!(removal.removed("segments"), 5);
    assert_eq!(removal.removed("interactions"), 0);
    assert_eq!(removal.quotes_cleared, 4);
    let old = store.detail("call-old").expect("still there");
    assert!(old.transcript.segments.is_empty());
    assert_eq!(old.scorecards[0].score, Some(75.0));
    assert!(
        old.scorecards[0]
            .criteria
            .iter()
            .flat_map(|c| &c.evidence)
            .all(|e| e.quote == qadesk_store::QUOTE_REMOVED)
    );
    let visit = store.detail("visit-1").expect("visit");
    assert!(visit.scorecards[0].criteria[0].evidence[0].quote.ends_with(": yes"));
    let recent = store.detail("call-new").expect("recent");
    assert_eq!(recent.transcript.segments.len(), 5);
    assert_eq!(
        recent.scorecards[0].criteria[0].evidence[0].quote,
        "Good morning, Nordlys Telecom, Anna speaking."
    );
    // Nothing is past its period any more.
    assert!(store.purge(&retention, false).expect("again").is_empty());
    drop(store);
    assert_consistent(&db.path);
}

/// Issue 7: a person's record holds every scorecard (every rubric version), their
/// transcripts with turn numbers, and only their interactions.
#[test]
fn issue_7_a_person_s_record_holds_every_scorecard_and_only_theirs() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    let mut other = call("call-0002", 2, v1);
    other.meta.employee_id = Some("e18".into());
    let outcomes = insert(&mut store, &[call("call-0001", 1, v1), other]);
    let v2 = rubric(&mut store, 2);
    store
        .save_scorecards(v2, &[(inserted(&outcomes[0]), scorecard("call-0001", 2, 90.0))])
        .expect("rescore");
    let record = store.person_record("e17").expect("record");
    assert_eq!(record.employee.name.as_deref(), Some("Anna Berg"));
    assert_eq!(record.interactions.len(), 1);
    let item = &record.interactions[0];
    assert_eq!(item.call_id, "call-0001");
    let versions: Vec<u32> = item.scorecards.iter().map(|s| s.scorecard.rubric_version).collect();
    assert_eq!(versions, [1, 2]);
    assert!(item.scorecards.iter().all(|s| s.kind == "automatic" && !s.rubric_sha256.is_empty()));
    let turns: Vec<u32> =
        item.transcript.as_ref().expect("transcript").turns.iter().map(|(t, _)| *t).collect();
    assert_eq!(turns, [1, 2, 3, 4, 5]);
    assert!(item.metrics.is_some());
    assert_eq!(store.employees().expect("employees").len(), 2);
    assert!(matches!(store.person_record("nobody"), Err(StoreError::NoSuchPerson { .. })));
}

#[test]
fn redactions_are_stored_with_the_interaction_and_read_back_by_call_id() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    let mut item = call("c1", 1, v1);
    item.recording = Some(RecordingInfo {
        path: "/calls/c1.wav".into(),
        sha256: sha(1),
        codec: "pcm16".into(),
        duration_ms: Some(24_000),
        sample_rate: 8_000,
        channels: 2,
        transcribe_ms: 900,
    });
    let spans = vec![
        Redaction { turn: 2, kind: "card-number", start_ms: Some(3_900), end_ms: Some(8_600) },
        Redaction { turn: 4, kind: "email", start_ms: None, end_ms: None },
    ];
    item.redactions = spans.clone();
    let id = inserted(&insert(&mut store, &[item])[0]);
    for key in ["c1", &id.to_string()] {
        let stored = store.redactions(key).expect("redactions");
        assert_eq!(stored.interaction, id);
        assert_eq!(stored.recording, Some(("/calls/c1.wav".to_string(), sha(1))));
        assert_eq!(stored.redactions, spans);
    }
    assert!(matches!(store.redactions("nope"), Err(StoreError::NoSuchInteraction { .. })));
}

#[test]
fn redacting_a_stored_transcript_rewrites_its_text_evidence_and_redactions_only() {
    let db = new_db();
    let mut store = open(&db.path);
    let v1 = rubric(&mut store, 1);
    let before = timed_transcript();
    let mut item = call("c1", 1, v1);
    // Evidence quoting the second utterance whole, and another quoting part of it.
    item.scorecards[0].1.criteria[0].evidence = vec![
        Evidence {
            speaker: Role::Customer,
            start_ms: Some(3_500),
            end_ms: Some(9_000),
            quote: before.segments[1].text.clone(),
            turn: Some(2),
        },
        Evidence {
            speaker: Role::Customer,
            start_ms: Some(3_500),
            end_ms: Some(9_000),
            quote: "my internet".into(),
            turn: Some(2),
        },
    ];
    let id = inserted(&insert(&mut store, &[item, call("c2", 2, v1)])[0]);
    let mut after = before.clone();
    after.segments[1].text = "Hi, my card is [card number ending 0366].".into();
    let spans =
        [Redaction { turn: 2, kind: "card-number", start_ms: Some(4_000), end_ms: Some(9_000) }];
    store.redact_stored(&[(id, &before, &after, &spans)]).expect("redact stored");
    let detail = store.detail("c1").expect("detail");
    assert_eq!(detail.transcript, after);
    let quotes: Vec<&str> =
        detail.scorecards[0].criteria[0].evidence.iter().map(|e| e.quote.as_str()).collect();
    assert_eq!(quotes, ["Hi, my card is [card number ending 0366].", "my internet"]);
    assert_eq!(store.redactions("c1").expect("redactions").redactions, spans);
    // The other interaction is untouched.
    assert_eq!(store.detail("c2").expect("detail").transcript, before);
    drop(store);
    assert_consistent(&db.path);
}
