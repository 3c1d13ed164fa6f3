//! Retention and people's rights through the real binary on real SQLite files: `qadesk purge`
//! (dry run byte for byte, exactly the old rows, no trace of purged words in the database or
//! its WAL, concurrent ingest, a killed purge), `qadesk person export` (their data, nobody
//! else's) and `qadesk person erase` (their id and name gone from the files' bytes, everyone
//! else's rows kept, a confirmation on a terminal).
//!
//! The erase test ingests the sample recording, so it runs Whisper: run these tests under
//! `flock /tmp/qadesk-whisper.lock` where others use Whisper at the same time.

#![allow(clippy::print_stderr)] // how many purges ran during the ingest, and how killed ones ended

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{query_rows, run_qadesk, transcript_batch, workspace};

fn arg(path: &Path) -> String {
    path.display().to_string()
}

fn qadesk(db: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--db", db.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    run_qadesk(&all, &[])
}

fn ok(db: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = qadesk(db, args);
    assert_eq!(code, 0, "qadesk {args:?} failed:\n{stdout}\n{stderr}");
    stdout
}

fn count(db: &Path, sql: &str) -> i64 {
    let rows = query_rows(db, sql);
    rows[0].trim_start_matches("Integer(").trim_end_matches(')').parse().expect("a count")
}

/// The database file and its WAL (when there is one), read as bytes.
fn file_bytes(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).expect("database file");
    if let Ok(wal) = std::fs::read(wal_of(db)) {
        bytes.extend(wal);
    }
    bytes
}

fn wal_of(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", db.display()))
}

fn occurrences(haystack: &[u8], needle: &str) -> usize {
    let needle = needle.as_bytes();
    haystack.windows(needle.len()).filter(|w| *w == needle).count()
}

/// `PRAGMA integrity_check` says ok and `foreign_key_check` finds nothing.
fn assert_sound(db: &Path) {
    assert_eq!(query_rows(db, "PRAGMA integrity_check"), ["Text(\"ok\")"]);
    assert!(query_rows(db, "PRAGMA foreign_key_check").is_empty(), "orphaned rows");
}

/// A sample call with `marker` added to its agent's first line (which the greeting's evidence
/// quotes) and to a customer line.
fn call_with(sample: &str, marker: &str) -> String {
    let text = std::fs::read_to_string(workspace().join("samples/transcripts").join(sample))
        .expect("sample");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[0].push_str(&format!(" Reference {marker}."));
    lines[1].push_str(&format!(" My code is {marker}."));
    lines.join("\n") + "\n"
}

const OLD_MARKER: &str = "Quillfeatherpurgemarker";
const MIDDLE_MARKER: &str = "Thistledownpurgemarker";

/// Calls of three ages, as of 2026-11-25 with interactions kept 400 days (before 2025-10-21
/// they go) and transcripts 180 days (before 2026-05-29 they go): two old calls, two of the
/// middle age whose transcripts go, two recent ones. Returns the folder of transcripts and
/// the metadata CSV.
fn calls_of_three_ages(dir: &Path) -> (PathBuf, PathBuf) {
    let calls = dir.join("calls");
    std::fs::create_dir_all(&calls).expect("calls dir");
    let plan = [
        ("old-1.txt", "en-broadband-good.txt", OLD_MARKER, "2024-02-01", "E1"),
        ("old-2.txt", "en-energy-mixed.txt", OLD_MARKER, "2025-10-20", "E2"),
        ("middle-1.txt", "en-broadband-poor.txt", MIDDLE_MARKER, "2025-10-21", "E1"),
        ("middle-2.txt", "en-mobile-objection-handled.txt", MIDDLE_MARKER, "2026-05-28", "E2"),
        ("new-1.txt", "en-insurance-interrupting.txt", "", "2026-05-29", "E1"),
        ("new-2.txt", "en-electronics-complaint-good.txt", "", "2026-11-20", "E2"),
    ];
    let mut csv = String::from("file,call_id,employee_id,date\n");
    for (file, sample, marker, date, employee) in plan {
        let text = if marker.is_empty() {
            std::fs::read_to_string(workspace().join("samples/transcripts").join(sample))
                .expect("sample")
        } else {
            call_with(sample, marker)
        };
        std::fs::write(calls.join(file), text).expect("write call");
        let id = file.trim_end_matches(".txt").to_uppercase();
        csv.push_str(&format!("{file},{id},{employee},{date}\n"));
    }
    let metadata = dir.join("calls.csv");
    std::fs::write(&metadata, csv).expect("metadata");
    (calls, metadata)
}

const RETENTION: &str = "[retention]\ninteractions = \"400d\"\ntranscripts = \"180 days\"\n\
                         failures = \"30d\"\n";

#[test]
fn purge_removes_exactly_what_is_past_retention_and_no_trace_of_it_stays_in_the_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("qa.db");
    let (calls, metadata) = calls_of_three_ages(dir.path());
    let rubric = arg(&workspace().join("rubrics/call-quality.toml"));
    ok(&db, &["ingest", &arg(&calls), "-r", &rubric, "--metadata", &arg(&metadata)]);
    // A failed file, aged past the 30 days failures are kept, and a fresh one.
    std::fs::write(dir.path().join("broken.txt"), [0u8, 159, 146, 150]).expect("binary file");
    std::fs::write(dir.path().join("broken-new.txt"), [0u8, 1, 2]).expect("binary file");
    let (code, _, _) =
        qadesk(&db, &["ingest", &arg(&dir.path().join("broken.txt")), "-r", &rubric]);
    assert_eq!(code, 1);
    let (code, _, _) =
        qadesk(&db, &["ingest", &arg(&dir.path().join("broken-new.txt")), "-r", &rubric]);
    assert_eq!(code, 1);
    rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.execute(
                "UPDATE failures SET last_failed_at = '2026-09-01T10:00:00Z'
                 WHERE path LIKE '%broken.txt'",
                [],
            )
        })
        .expect("age a failure");
    std::fs::write(dir.path().join("qadesk.toml"), RETENTION).expect("settings");

    let scores_before = query_rows(
        &db,
        "SELECT i.call_id, s.score FROM interactions i JOIN scorecards s ON s.interaction_id = i.id
         WHERE i.call_id LIKE 'MIDDLE%' ORDER BY 1",
    );
    assert_eq!(scores_before.len(), 2);
    assert!(!wal_of(&db).exists(), "the last connection to close removes the WAL");
    let before = std::fs::read(&db).expect("db");
    assert!(occurrences(&before, OLD_MARKER) > 0 && occurrences(&before, MIDDLE_MARKER) > 0);

    // A dry run counts and changes nothing: the file is the same, byte for byte.
    let dry = ok(&db, &["purge", "--dry-run", "--as-of", "2026-11-25"]);
    assert!(dry.contains("dry run: would remove"), "{dry}");
    assert!(dry.lines().any(|l| l.split_whitespace().eq(["interactions", "2"])), "{dry}");
    assert!(dry.lines().any(|l| l.split_whitespace().eq(["failures", "1"])), "{dry}");
    assert_eq!(std::fs::read(&db).expect("db"), before, "a dry run changed the file");
    assert!(!wal_of(&db).exists());

    let (code, stdout, stderr) = qadesk(&db, &["purge", "--as-of", "2026-11-25"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("what is dated before 2025-10-21 goes"), "{stderr}");
    assert!(stderr.contains("what is dated before 2026-05-29 goes"), "{stderr}");
    let removed: Vec<Vec<&str>> =
        stdout.lines().skip(1).map(|l| l.split_whitespace().collect()).collect();
    for (table, n) in [("interactions", "2"), ("transcripts", "4"), ("failures", "1")] {
        assert!(removed.iter().any(|l| l[..] == [table, n]), "{table} {n} in\n{stdout}");
    }

    // Exactly the old interactions went; the middle ones lost their transcripts, nothing else.
    assert_eq!(
        query_rows(&db, "SELECT call_id FROM interactions ORDER BY call_id"),
        ["Text(\"MIDDLE-1\")", "Text(\"MIDDLE-2\")", "Text(\"NEW-1\")", "Text(\"NEW-2\")"]
    );
    assert_eq!(
        query_rows(
            &db,
            "SELECT i.call_id FROM interactions i JOIN transcripts t ON t.interaction_id = i.id
             ORDER BY 1"
        ),
        ["Text(\"NEW-1\")", "Text(\"NEW-2\")"]
    );
    assert_eq!(
        query_rows(
            &db,
            "SELECT i.call_id, s.score FROM interactions i
             JOIN scorecards s ON s.interaction_id = i.id WHERE i.call_id LIKE 'MIDDLE%' ORDER BY 1",
        ),
        scores_before,
        "scores stay when transcripts go"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM evidence e JOIN scorecards s ON s.id = e.scorecard_id
             JOIN interactions i ON i.id = s.interaction_id
             WHERE i.call_id LIKE 'MIDDLE%' AND e.quote <> '[removed: transcript past its retention period]'"
        ),
        0
    );
    let new_quotes = query_rows(
        &db,
        "SELECT count(*), sum(e.quote LIKE '[removed:%') FROM evidence e
         JOIN scorecards s ON s.id = e.scorecard_id JOIN interactions i ON i.id = s.interaction_id
         WHERE i.call_id LIKE 'NEW%' AND e.turn IS NOT NULL",
    );
    assert!(new_quotes[0].ends_with("|Integer(0)") && !new_quotes[0].starts_with("Integer(0)"));
    assert_eq!(query_rows(&db, "SELECT path LIKE '%broken-new.txt' FROM failures"), ["Integer(1)"]);
    assert_sound(&db);
    // Not a byte of the purged words is left in the database file or its WAL.
    let after = file_bytes(&db);
    assert_eq!(occurrences(&after, OLD_MARKER), 0, "old transcripts' words left in the files");
    assert_eq!(occurrences(&after, MIDDLE_MARKER), 0, "purged transcripts' words left");
    assert!(after.len() < before.len(), "{} → {} bytes", before.len(), after.len());

    // Run again: nothing is past retention any more.
    let again = ok(&db, &["purge", "--as-of", "2026-11-25"]);
    assert!(again.contains("nothing past their retention period is stored"), "{again}");
}

#[test]
fn settings_problems_are_located_and_no_settings_means_nothing_is_purged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("qa.db");
    let (calls, metadata) = calls_of_three_ages(dir.path());
    let rubric = arg(&workspace().join("rubrics/call-quality.toml"));
    ok(&db, &["ingest", &arg(&calls), "-r", &rubric, "--metadata", &arg(&metadata)]);
    let before = std::fs::read(&db).expect("db");

    let (code, _, stderr) = qadesk(&db, &["purge"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("no retention is set"), "{stderr}");

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[retention]\ninteractions = 400\ntranscript = \"90d\"\nfailures = \"3m\"\n",
    )
    .expect("settings");
    let (code, _, stderr) = qadesk(&db, &["--config", &arg(&bad), "purge"]);
    assert_eq!(code, 2, "{stderr}");
    for located in
        [":2:16: invalid type: integer `400`", ":3:1: unknown field `transcript`", ":4:12: `3m`"]
    {
        assert!(stderr.contains(&format!("{}{located}", bad.display())), "{located} in {stderr}");
    }
    let (code, _, stderr) =
        qadesk(&db, &["--config", &arg(&dir.path().join("none.toml")), "purge"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such settings file"), "{stderr}");
    // QADESK_CONFIG names the file as --config does.
    let (code, _, stderr) = run_qadesk(&["--db", &arg(&db), "purge"], &[("QADESK_CONFIG", &bad)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown field `transcript`"), "{stderr}");
    assert_eq!(std::fs::read(&db).expect("db"), before, "nothing may change");
}

/// The sample calls (samples/metadata.csv), optionally the sample recording, the store visits
/// (E101 and E107), and two failed files: one whose name carries E101, one E107's.
fn sample_db(dir: &Path, with_recording: bool) -> PathBuf {
    let db = dir.join("samples.db");
    let root = workspace();
    let rubric = arg(&root.join("rubrics/call-quality.toml"));
    let metadata = arg(&root.join("samples/metadata.csv"));
    let mut paths = vec![arg(&root.join("samples/transcripts"))];
    if with_recording {
        paths.push(arg(&root.join("samples/recordings")));
    }
    let mut args = vec!["ingest"];
    args.extend(paths.iter().map(String::as_str));
    args.extend(["-r", &rubric, "--metadata", &metadata]);
    let (code, _, stderr) =
        run_qadesk(&[&["--db", &arg(&db)], &args[..]].concat(), &[("QADESK_MODEL", &model())]);
    assert_eq!(code, 0, "ingest failed: {stderr}");
    ok(
        &db,
        &[
            "shop",
            "import",
            &arg(&root.join("samples/answers/visit-2026-03-12-oslo.toml")),
            &arg(&root.join("samples/answers/visits-march.csv")),
            "--checklist",
            &arg(&root.join("samples/checklists/store-visit.toml")),
        ],
    );
    for name in ["2026-03-07_E101_broken.txt", "2026-03-07_E107_broken.txt"] {
        let file = dir.join(name);
        std::fs::write(&file, [0u8, 1, 2, 3]).expect("binary file");
        let (code, _, _) = qadesk(&db, &["ingest", &arg(&file), "-r", &rubric]);
        assert_eq!(code, 1);
    }
    db
}

fn model() -> PathBuf {
    std::env::var_os("QADESK_TEST_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("models/ggml-tiny.en.bin"))
}

/// Every employee as (id, name).
fn employees(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut statement =
        conn.prepare("SELECT id, coalesce(name, '') FROM employees").expect("query");
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(Iterator::collect)
        .expect("employees")
}

/// Rows per employee in the tables that hang off interactions, for "the others are untouched".
fn rows_per_employee(db: &Path) -> Vec<String> {
    query_rows(
        db,
        "SELECT i.employee_id, count(DISTINCT i.id), count(DISTINCT s.id),
                (SELECT count(*) FROM segments g JOIN interactions j ON j.id = g.interaction_id
                 WHERE j.employee_id IS i.employee_id),
                (SELECT count(*) FROM evidence e JOIN scorecards t ON t.id = e.scorecard_id
                 JOIN interactions j ON j.id = t.interaction_id WHERE j.employee_id IS i.employee_id),
                (SELECT count(*) FROM answers a JOIN interactions j ON j.id = a.interaction_id
                 WHERE j.employee_id IS i.employee_id)
         FROM interactions i LEFT JOIN scorecards s ON s.interaction_id = i.id
         GROUP BY i.employee_id ORDER BY i.employee_id",
    )
}

/// (table, column) of every text column holding `needle` (any case), found with SQL.
fn text_columns_holding(db: &Path, needle: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
        .and_then(|mut s| s.query_map([], |r| r.get(0)).and_then(Iterator::collect))
        .expect("tables");
    let mut found = Vec::new();
    for table in tables {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}') WHERE type = 'TEXT'"))
            .and_then(|mut s| s.query_map([], |r| r.get(0)).and_then(Iterator::collect))
            .expect("columns");
        for column in columns {
            let n: i64 = conn
                .query_row(
                    &format!("SELECT count(*) FROM \"{table}\" WHERE instr(lower(\"{column}\"), lower(?1))"),
                    [needle],
                    |r| r.get(0),
                )
                .expect("count");
            if n > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found
}

#[test]
fn erase_removes_one_person_from_the_files_bytes_and_keeps_everyone_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path(), true);
    let (id, name) = ("E101", "Anna Berg");
    let everyone = employees(&db);
    assert!(everyone.len() >= 6, "{everyone:?}");
    let bytes = file_bytes(&db);
    assert!(occurrences(&bytes, id) > 0 && occurrences(&bytes, name) > 0);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM recordings r JOIN interactions i ON i.id = r.interaction_id WHERE i.employee_id = 'E101'"
        ),
        1
    );
    // E101 also reviewed a colleague's call and decided the colleague's dispute of it, and
    // disputed a verdict of her own: the colleague's review and outcome stay, without her id;
    // her own dispute goes with her call.
    let sample =
        std::fs::read_to_string(workspace().join("samples/reviews/en-energy-mixed.QA1.toml"))
            .expect("sample decisions");
    let mut in_decisions = false;
    let accept_all: String = sample
        .lines()
        .map(|line| {
            in_decisions |= line == "[decisions]";
            match line.split_once(" = ") {
                Some((key, _)) if in_decisions && !line.starts_with('#') => {
                    format!("{key} = \"accept\"")
                }
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let decisions = dir.path().join("accept.toml");
    std::fs::write(&decisions, accept_all).expect("decisions file");
    ok(&db, &["review", "CALL-2026-0303-02", "--reviewer", id, "--decisions", &arg(&decisions)]);
    ok(
        &db,
        &[
            "dispute",
            "open",
            "CALL-2026-0303-02",
            "greeting",
            "--employee",
            "E107",
            "--reason",
            "I did greet",
        ],
    );
    ok(&db, &["dispute", "decide", "1", "--outcome", "rejected", "--by", id]);
    ok(
        &db,
        &[
            "dispute",
            "open",
            "CALL-2026-0302-11",
            "closing",
            "--employee",
            id,
            "--reason",
            "I closed",
        ],
    );
    let others_before: Vec<String> =
        rows_per_employee(&db).into_iter().filter(|r| !r.contains("\"E101\"")).collect();
    let failures_before = count(&db, "SELECT count(*) FROM failures");

    // Without a terminal and without --yes nothing happens.
    let (code, _, stderr) = qadesk(&db, &["person", "erase", id]);
    assert_eq!(code, 2);
    assert!(stderr.contains("needs a confirmation"), "{stderr}");
    assert_eq!(count(&db, "SELECT count(*) FROM employees WHERE id = 'E101'"), 1);

    let stdout = ok(&db, &["person", "erase", id, "--yes"]);
    let removed: Vec<Vec<&str>> =
        stdout.lines().skip(1).map(|l| l.split_whitespace().collect()).collect();
    for (table, n) in [
        ("employees", "1"),
        ("interactions", "6"),
        ("recordings", "1"),
        ("visits", "1"),
        ("attachments", "1"),
        ("failures", "1"),
    ] {
        assert!(removed.iter().any(|l| l[..] == [table, n]), "{table} {n} in\n{stdout}");
    }

    // Their id and name are nowhere in the database file or its WAL.
    let bytes = file_bytes(&db);
    assert_eq!(occurrences(&bytes, id), 0, "{id} still in the files");
    assert_eq!(occurrences(&bytes, name), 0, "{name} still in the files");
    // The first name alone is only in the shared rubric, which uses it as an example line.
    assert_eq!(text_columns_holding(&db, "Anna"), ["rubrics.toml"]);
    assert_eq!(
        query_rows(
            &db,
            "SELECT kind, reviewer LIKE 'erased reviewer %' FROM scorecards WHERE kind = 'reviewed'"
        ),
        ["Text(\"reviewed\")|Integer(1)"]
    );
    assert_eq!(
        query_rows(&db, "SELECT employee_id, outcome, decided_by FROM disputes"),
        ["Text(\"E107\")|Text(\"rejected\")|Text(\"erased\")"]
    );
    // Everyone else's rows are all there, and the files are sound.
    let others_after = rows_per_employee(&db);
    assert_eq!(others_after, others_before);
    assert_eq!(count(&db, "SELECT count(*) FROM failures"), failures_before - 1);
    assert_eq!(count(&db, "SELECT count(*) FROM failures WHERE path LIKE '%E107%'"), 1);
    assert_eq!(employees(&db).len(), everyone.len() - 1);
    assert_sound(&db);

    let (code, _, stderr) = qadesk(&db, &["person", "erase", id, "--yes"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such person"), "{stderr}");
}

#[test]
fn export_holds_the_person_s_data_and_no_one_else_s() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path(), false);
    let out = dir.path().join("E107.json");
    let (code, _, stderr) = qadesk(&db, &["person", "export", "E107", "--out", &arg(&out)]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&out).expect("export");
    let export: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(export["format"], "qadesk-person-export");
    assert_eq!(export["employee"]["id"], "E107");
    assert_eq!(export["employee"]["name"], "James Okafor");

    // Every interaction of theirs, with its transcript, scorecards and answers.
    let theirs = query_rows(
        &db,
        "SELECT call_id FROM interactions WHERE employee_id = 'E107'
         ORDER BY coalesce(started_at, ingested_at), id",
    );
    let exported: Vec<String> = export["interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .map(|i| format!("Text({})", i["call_id"]))
        .collect();
    assert_eq!(exported, theirs);
    let cards: usize = export["interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .map(|i| i["scorecards"].as_array().expect("scorecards").len())
        .sum();
    assert_eq!(
        cards as i64,
        count(
            &db,
            "SELECT count(*) FROM scorecards s JOIN interactions i ON i.id = s.interaction_id WHERE i.employee_id = 'E107'"
        )
    );
    let visit = export["interactions"]
        .as_array()
        .expect("interactions")
        .iter()
        .find(|i| i["kind"] == "visit")
        .expect("their visit");
    assert_eq!(visit["visit"]["shopper_recorded"], true);
    assert!(visit["answers"].as_array().is_some_and(|a| !a.is_empty()));
    assert_eq!(export["failures"].as_array().map(Vec::len), Some(1));

    // The agent's (their) words are there, masked; customers' words are not.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mut statement = conn
        .prepare(
            "SELECT g.speaker, g.text FROM segments g JOIN interactions i ON i.id = g.interaction_id
             WHERE i.employee_id = 'E107'",
        )
        .expect("query");
    let segments: Vec<(String, String)> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(Iterator::collect)
        .expect("segments");
    let (mut agent, mut customer) = (0, 0);
    for (speaker, words) in &segments {
        let json_text = serde_json::to_string(&qadesk_report::mask::mask(words)).expect("json");
        if speaker == "agent" {
            assert!(text.contains(&json_text), "agent line missing: {words}");
            agent += 1;
        } else if words.len() > 12 {
            let raw = serde_json::to_string(words).expect("json");
            assert!(!text.contains(raw.trim_matches('"')), "customer words exported: {words}");
            customer += 1;
        }
    }
    assert!(agent > 10 && customer > 10, "{agent} agent and {customer} customer lines checked");
    assert!(text.contains("[withheld: the customer's words]"));

    // Nobody else's id, name or first name; no shopper id.
    for (id, name) in employees(&db).into_iter().filter(|(id, _)| id != "E107") {
        assert!(!text.contains(&id), "{id} in the export");
        if !name.is_empty() {
            assert!(!text.contains(&name), "{name} in the export");
            let first = name.split_whitespace().next().expect("a first name");
            assert!(!text.contains(first), "{first} in the export");
        }
    }
    for shopper in ["S07", "S09"] {
        assert!(!text.contains(shopper), "{shopper} in the export");
    }

    let (code, _, stderr) = qadesk(&db, &["person", "export", "E999"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such person: no employee has the id `E999`"), "{stderr}");
}

#[test]
fn erase_asks_on_a_terminal_and_no_keeps_everything() {
    use expectrl::Expect;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sample_db(dir.path(), false);
    let ask = |answer: &str| {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("qadesk"));
        command.env("TERM", "xterm").args(["--db", &arg(&db), "person", "erase", "E104"]);
        let mut session = common::pty::spawn(command);
        session.expect("removes everything stored about E104 (Lucía Pérez)").expect("preview");
        session.expect("Erase E104 (Lucía Pérez)? This cannot be undone. [y/N]").expect("question");
        session.send(format!("{answer}\r")).expect("answer");
        session.expect(expectrl::Eof).expect("qadesk ends");
    };
    ask("n");
    assert_eq!(count(&db, "SELECT count(*) FROM interactions WHERE employee_id = 'E104'"), 2);
    ask("y");
    assert_eq!(count(&db, "SELECT count(*) FROM interactions WHERE employee_id = 'E104'"), 0);
    assert_eq!(count(&db, "SELECT count(*) FROM employees WHERE id = 'E104'"), 0);
}

/// A batch of calls dated 2020 (past any retention) and 2026, for the concurrency tests.
fn dated_batch(dir: &Path, count: usize) -> (PathBuf, PathBuf) {
    let calls = dir.join("batch");
    let files = transcript_batch(&calls, count);
    let mut csv = String::from("file,call_id,employee_id,date\n");
    for (i, file) in files.iter().enumerate() {
        let name = file.file_name().expect("name").to_string_lossy();
        let date = if i % 2 == 0 { "2020-01-15" } else { "2026-11-01" };
        csv.push_str(&format!("{name},C{i:05},E{},{date}\n", i % 7));
    }
    let metadata = dir.join("batch.csv");
    std::fs::write(&metadata, csv).expect("metadata");
    (calls, metadata)
}

/// Every interaction is whole: a transcript with segments, call metrics, and a scorecard with
/// its criteria.
fn assert_every_interaction_whole(db: &Path) {
    let broken = count(
        db,
        "SELECT count(*) FROM interactions i
         WHERE NOT EXISTS (SELECT 1 FROM transcripts t WHERE t.interaction_id = i.id)
            OR NOT EXISTS (SELECT 1 FROM segments g WHERE g.interaction_id = i.id)
            OR NOT EXISTS (SELECT 1 FROM scorecards s JOIN criterion_results c
                           ON c.scorecard_id = s.id WHERE s.interaction_id = i.id)",
    );
    assert_eq!(broken, 0, "interactions with parts missing");
    assert_sound(db);
}

#[test]
fn purge_during_an_ingest_and_a_killed_purge_leave_every_interaction_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("qa.db");
    let rubric = arg(&workspace().join("rubrics/call-quality.toml"));
    let (calls, metadata) = dated_batch(dir.path(), 1200);
    std::fs::write(dir.path().join("qadesk.toml"), "[retention]\ninteractions = \"2y\"\n")
        .expect("settings");

    // An ingest and purges at the same time, on the same file.
    let mut ingest = Command::new(assert_cmd::cargo::cargo_bin("qadesk"))
        .args(["--db", &arg(&db), "ingest", &arg(&calls), "-r", &rubric])
        .args(["--metadata", &arg(&metadata)])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("ingest starts");
    let mut purges = 0;
    while ingest.try_wait().expect("ingest status").is_none() {
        // The ingest creates the file before its schema: wait for the table, then for rows.
        let migrated = db.exists()
            && count(&db, "SELECT count(*) FROM sqlite_schema WHERE name = 'interactions'") > 0;
        if migrated && count(&db, "SELECT count(*) FROM interactions") > 0 {
            ok(&db, &["purge", "--as-of", "2026-11-25"]);
            purges += 1;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(ingest.wait().expect("ingest").success());
    assert!(purges > 0, "no purge ran while the ingest did");
    assert_every_interaction_whole(&db);
    ok(&db, &["purge", "--as-of", "2026-11-25"]);
    assert_eq!(count(&db, "SELECT count(*) FROM interactions WHERE started_at < '2024'"), 0);
    assert_eq!(count(&db, "SELECT count(*) FROM interactions"), 600);

    // A purge killed at some moment leaves the old rows all there or all gone.
    let db2 = dir.path().join("again.db");
    ok(&db2, &["ingest", &arg(&calls), "-r", &rubric, "--metadata", &arg(&metadata)]);
    let mut outcomes = Vec::new();
    for delay_ms in [20, 60, 100, 150, 250, 400] {
        let copy = dir.path().join(format!("killed-{delay_ms}.db"));
        std::fs::copy(&db2, &copy).expect("copy the database");
        let mut purge = Command::new(assert_cmd::cargo::cargo_bin("qadesk"))
            .args(["--db", &arg(&copy), "purge", "--as-of", "2026-11-25"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("purge starts");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = purge.kill();
        let _ = purge.wait();
        let old = count(&copy, "SELECT count(*) FROM interactions WHERE started_at < '2024'");
        assert!(old == 0 || old == 600, "a killed purge left {old} of 600 old interactions");
        assert_every_interaction_whole(&copy);
        outcomes.push(old);
    }
    eprintln!(
        "{purges} purge(s) ran during the ingest; old interactions left after purges killed at \
         20, 60, 100, 150, 250, 400 ms: {outcomes:?}"
    );
}
