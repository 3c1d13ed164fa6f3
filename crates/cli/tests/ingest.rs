//! `qadesk ingest` and the commands that read the database, run as a user runs them: the real
//! binary on real files and a real SQLite file. Includes the reliability cases of issue 4:
//! killed runs, two runs at once, bad files in a batch, a database from a newer qadesk.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{query_rows, run_qadesk, transcript_batch, workspace};
use rusqlite::Connection;

fn rubric() -> PathBuf {
    workspace().join("rubrics/call-quality.toml")
}

fn ingest(db: &Path, paths: &[&Path], extra: &[&str]) -> (i32, String, String) {
    let mut args: Vec<String> = vec!["ingest".into(), "--db".into(), db.display().to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(["--rubric".to_string(), rubric().display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_qadesk(&args, &[])
}

/// Starts `qadesk ingest` of `files` into `db` in the background, stderr as given.
fn spawn_ingest(db: &Path, files: &Path, stderr: Stdio) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("qadesk"))
        .current_dir(workspace())
        .args(["ingest", "--db"])
        .arg(db)
        .arg(files)
        .arg("--rubric")
        .arg(rubric())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("spawn")
}

/// Everything stored about the interactions, without row ids and timestamps: two databases
/// with the same dump hold the same data.
fn dump(db: &Path) -> Vec<String> {
    let mut rows = Vec::new();
    let queries = [
        "SELECT i.call_id, i.source_sha256, i.employee_id, i.started_at, i.kind FROM interactions i",
        "SELECT i.call_id, s.turn, s.speaker, s.start_ms, s.end_ms, s.text
         FROM segments s JOIN interactions i ON i.id = s.interaction_id",
        "SELECT i.call_id, m.duration_ms, m.agent_talk_ms, m.hold_count
         FROM call_metrics m JOIN interactions i ON i.id = m.interaction_id",
        "SELECT i.call_id, r.sha256, s.score, s.band FROM scorecards s
         JOIN interactions i ON i.id = s.interaction_id JOIN rubrics r ON r.id = s.rubric",
        "SELECT i.call_id, c.criterion, c.verdict, c.points, c.reason FROM criterion_results c
         JOIN scorecards s ON s.id = c.scorecard_id JOIN interactions i ON i.id = s.interaction_id",
        "SELECT i.call_id, e.criterion, e.position, e.quote FROM evidence e
         JOIN scorecards s ON s.id = e.scorecard_id JOIN interactions i ON i.id = s.interaction_id",
    ];
    for sql in queries {
        let mut found = query_rows(db, sql);
        found.sort();
        rows.extend(found);
    }
    rows
}

fn count(db: &Path, table: &str) -> i64 {
    let conn = Connection::open(db).expect("open");
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

/// `PRAGMA integrity_check` is ok and no foreign key dangles.
fn assert_sound(db: &Path) {
    let conn = Connection::open(db).expect("open");
    let integrity: String =
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity");
    assert_eq!(integrity, "ok");
    let dangling: i64 = conn
        .prepare("PRAGMA foreign_key_check")
        .expect("fk check")
        .query_map([], |_| Ok(()))
        .expect("rows")
        .count() as i64;
    assert_eq!(dangling, 0, "foreign_key_check found dangling rows");
}

#[test]
fn ingest_stores_the_samples_once_and_a_rerun_adds_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("qa.db");
    let samples = workspace().join("samples/transcripts");
    let (code, _, stderr) = ingest(&db, &[&samples], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("ingested 15, already stored 0, failed 0"), "{stderr}");
    let first = dump(&db);
    let (code, _, stderr) = ingest(&db, &[&samples], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("ingested 0, already stored 15, failed 0"), "{stderr}");
    assert_eq!(dump(&db), first);
    assert_eq!(count(&db, "interactions"), 15);
    assert_sound(&db);

    // The same call saved under another name is the same content: skipped, not doubled.
    let copy = dir.path().join("copy-of-a-call.txt");
    std::fs::copy(samples.join("en-energy-mixed.txt"), &copy).expect("copy");
    let (code, _, stderr) = ingest(&db, &[&copy], &[]);
    assert_eq!((code, count(&db, "interactions")), (0, 15), "{stderr}");

    // Every stored interaction is listed with its score, and the export has one row per
    // interaction and criterion, readable as CSV.
    let db_arg = db.display().to_string();
    let (code, list, _) = run_qadesk(&["list", "--db", &db_arg], &[]);
    assert_eq!(code, 0);
    assert!(list.contains("en-energy-mixed") && list.contains("61.2"), "{list}");
    assert!(list.contains("15 interaction score(s)"), "{list}");
    let (code, below, _) = run_qadesk(&["list", "--db", &db_arg, "--below", "50"], &[]);
    assert_eq!(code, 0);
    assert!(below.contains("3 interaction score(s)"), "{below}");
    let (code, csv_text, _) = run_qadesk(&["export", "--db", &db_arg], &[]);
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().expect("header").clone();
    for column in ["call_id", "employee_id", "started_at", "rubric_version", "criterion"] {
        assert!(header.iter().any(|h| h == column), "export lacks {column}: {header:?}");
    }
    let rows = reader.records().count() as i64;
    assert_eq!(rows, count(&db, "criterion_results"));

    // `show` puts each verdict under the utterance it quotes.
    let (code, shown, _) = run_qadesk(&["show", "--db", &db_arg, "en-energy-mixed"], &[]);
    assert_eq!(code, 0);
    let greeting_line = shown.lines().position(|l| l.contains("Good afternoon, Brightwater"));
    let verdict_line = shown.lines().position(|l| l.contains("✓ greeting pass"));
    assert_eq!(verdict_line, greeting_line.map(|l| l + 1), "{shown}");
}

#[test]
fn metadata_comes_from_the_csv_then_the_file_name_and_a_bad_row_fails_its_file_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let calls = dir.path().join("calls");
    std::fs::create_dir(&calls).expect("dir");
    let samples = workspace().join("samples/transcripts");
    for (sample, name) in [
        ("en-broadband-good.txt", "20260302_E17_C-1001.txt"),
        ("en-broadband-poor.txt", "20260303_unknown_C-1002.txt"),
        ("en-energy-mixed.txt", "20260304_E22_C-1003.txt"),
        ("en-mobile-objection-handled.txt", "20260305_E22_C-1004.txt"),
    ] {
        std::fs::copy(samples.join(sample), calls.join(name)).expect("copy");
    }
    let csv = dir.path().join("meta.csv");
    std::fs::write(
        &csv,
        "file,employee_id,employee_name,time,queue,direction\n\
         20260302_E17_C-1001.txt,E17,Anna Berg,09:15,billing,inbound\n\
         20260304_E22_C-1003.txt,E22,Ola Nordmann\n",
    )
    .expect("csv");
    let csv_arg = csv.display().to_string();
    let db = dir.path().join("qa.db");
    let (code, _, stderr) = ingest(
        &db,
        &[&calls],
        &["--metadata", &csv_arg, "--name-pattern", "{date}_{employee}_{call_id}"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("20260304_E22_C-1003.txt") && stderr.contains("meta.csv:3"),
        "the short row names the CSV line: {stderr}"
    );
    assert!(stderr.contains("ingested 3, already stored 0, failed 1"), "{stderr}");

    let conn = Connection::open(&db).expect("open");
    let row = |call: &str| -> (Option<String>, Option<String>, Option<String>, Option<String>) {
        conn.query_row(
            "SELECT i.employee_id, e.name, i.started_at, i.queue FROM interactions i
             LEFT JOIN employees e ON e.id = i.employee_id WHERE i.call_id = ?1",
            [call],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect(call)
    };
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        row("C-1001"),
        (some("E17"), some("Anna Berg"), some("2026-03-02T09:15:00"), some("billing"))
    );
    assert_eq!(row("C-1002"), (None, None, some("2026-03-03"), None), "unknown stays unknown");
    assert_eq!(row("C-1004"), (some("E22"), None, some("2026-03-05"), None));

    let db_arg = db.display().to_string();
    let (code, list, _) =
        run_qadesk(&["list", "--db", &db_arg, "--employee", "E22", "--since", "2026-03-05"], &[]);
    assert_eq!(code, 0);
    assert!(list.contains("C-1004") && list.contains("1 interaction score(s)"), "{list}");
    let (code, _, stderr) = run_qadesk(&["list", "--db", &db_arg, "--since", "2026-02-30"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--since") && stderr.contains("no such day"), "{stderr}");
}

#[test]
fn bad_files_fail_alone_are_remembered_and_retried_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let batch = dir.path().join("batch");
    std::fs::create_dir(&batch).expect("dir");
    let samples = workspace().join("samples/transcripts");
    std::fs::copy(samples.join("en-broadband-good.txt"), batch.join("good.txt")).expect("copy");
    std::fs::write(batch.join("corrupt.wav"), b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk").unwrap();
    let recording = workspace().join("samples/recordings/en-mobile-objection-handled.wav");
    let bytes = std::fs::read(&recording).expect("sample recording");
    std::fs::write(batch.join("truncated.wav"), &bytes[..30]).expect("truncated");
    std::fs::write(batch.join("binary.txt"), b"\x00\x01\x02 not text").expect("binary");
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), batch.join("dangling.txt"))
        .expect("symlink");
    let db = dir.path().join("qa.db");

    let (code, _, stderr) = ingest(&db, &[&batch], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("ingested 1, already stored 0, failed 4"), "{stderr}");
    for name in ["corrupt.wav", "truncated.wav", "binary.txt", "dangling.txt"] {
        assert!(stderr.contains(name), "{name} is named: {stderr}");
    }
    assert_eq!(count(&db, "failures"), 4);

    // Unchanged failures are not retried by default…
    let (code, _, stderr) = ingest(&db, &[&batch], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("skipped 3 that failed before"), "{stderr}");
    // (the dangling link cannot be hashed, so it is tried and fails again)
    assert!(stderr.contains("failed 1"), "{stderr}");

    // …a fixed file is picked up, and --retry-failed tries the rest again.
    std::fs::copy(samples.join("en-energy-mixed.txt"), batch.join("binary.txt")).expect("fix");
    let (code, _, stderr) = ingest(&db, &[&batch], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("ingested 1"), "{stderr}");
    assert_eq!(count(&db, "failures"), 3);
    let (code, _, stderr) = ingest(&db, &[], &["--retry-failed"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("ingested 0, already stored 0, failed 3"), "{stderr}");
    let attempts: i64 = Connection::open(&db)
        .expect("open")
        .query_row("SELECT max(attempts) FROM failures WHERE path LIKE '%corrupt.wav'", [], |r| {
            r.get(0)
        })
        .expect("attempts");
    assert_eq!(attempts, 2);
    assert_eq!(count(&db, "interactions"), 2);
    assert_sound(&db);
}

#[test]
fn a_database_from_a_newer_qadesk_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("qa.db");
    let (code, _, _) = ingest(&db, &[&workspace().join("samples/transcripts")], &[]);
    assert_eq!(code, 0);
    {
        let conn = Connection::open(&db).expect("open");
        conn.pragma_update(None, "user_version", 99).expect("bump");
    }
    let before = std::fs::read(&db).expect("bytes");
    let db_arg = db.display().to_string();
    for args in [
        vec!["list", "--db", &db_arg],
        vec!["ingest", "--db", &db_arg, "samples/transcripts", "-r", "rubrics/call-quality.toml"],
    ] {
        let (code, _, stderr) = run_qadesk(&args, &[]);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("newer qadesk") && stderr.contains("schema version 99"),
            "{stderr}"
        );
    }
    assert_eq!(std::fs::read(&db).expect("bytes"), before);
}

#[test]
fn rescore_with_a_new_rubric_version_keeps_the_old_scores_and_shows_the_new() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("qa.db");
    let (code, _, _) = ingest(&db, &[&workspace().join("samples/transcripts")], &[]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(rubric()).expect("rubric");
    assert!(text.contains("\nversion = 1\n"), "the shipped rubric is version 1");
    let v2 = dir.path().join("call-quality-v2.toml");
    std::fs::write(&v2, text.replace("\nversion = 1\n", "\nversion = 2\n")).expect("v2");
    let db_arg = db.display().to_string();
    let v2_arg = v2.display().to_string();
    let (code, _, stderr) = run_qadesk(&["rescore", "--db", &db_arg, "-r", &v2_arg], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("re-scored 15 interaction(s) with call-quality version 2"), "{stderr}");
    assert_eq!(count(&db, "scorecards"), 30);
    let (_, list, _) = run_qadesk(&["list", "--db", &db_arg], &[]);
    assert_eq!(list.matches("call-quality v2").count(), 15, "{list}");
    assert!(!list.contains("call-quality v1"), "{list}");
    // Re-scoring with the same text again replaces, it does not add.
    let (code, _, _) = run_qadesk(&["rescore", "--db", &db_arg, "-r", &v2_arg], &[]);
    assert_eq!((code, count(&db, "scorecards")), (0, 30));
    assert_sound(&db);
}

/// Issue 4: a `kill -9` at any moment loses at most the files in progress and never leaves
/// half a record or a duplicate; re-running finishes the job with the same rows as one clean
/// run.
#[test]
fn issue_4_killed_ingest_resumes_without_loss_or_duplicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = dir.path().join("calls");
    let total = 4_000;
    transcript_batch(&files, total);
    let clean = dir.path().join("clean.db");
    let (code, _, stderr) = ingest(&clean, &[&files], &[]);
    assert_eq!(code, 0, "{stderr}");
    let expected = dump(&clean);

    let db = dir.path().join("killed.db");
    let mut killed_midway = 0;
    let mut previous = 0;
    for round in 0..20u64 {
        let mut child = spawn_ingest(&db, &files, Stdio::null());
        // Spread the kills over start-up, the middle and the end of the runs.
        let delay = 30 + (round * 7_919) % 120;
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        // A kill before the schema was created leaves an empty file: nothing stored yet.
        let migrated = Connection::open(&db)
            .expect("open")
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .expect("version")
            > 0;
        let stored = if migrated { count(&db, "interactions") } else { 0 };
        assert!(stored >= previous, "a kill lost stored interactions: {previous} → {stored}");
        if stored > previous && stored < total as i64 {
            killed_midway += 1;
        }
        previous = stored;
        assert_sound(&db);
    }
    assert!(killed_midway >= 15, "only {killed_midway} kills landed during the work");
    let (code, _, stderr) = ingest(&db, &[&files], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&db, "interactions"), total as i64);
    assert_eq!(dump(&db), expected);
    assert_sound(&db);
}

/// Issue 4: two ingests of the same files on the same database at once both finish, and
/// nothing is lost or stored twice.
#[test]
fn issue_4_two_ingests_at_once_store_everything_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = dir.path().join("calls");
    transcript_batch(&files, 600);
    let clean = dir.path().join("clean.db");
    assert_eq!(ingest(&clean, &[&files], &[]).0, 0);

    let db = dir.path().join("shared.db");
    let spawn = || spawn_ingest(&db, &files, Stdio::piped());
    let (first, second) = (spawn(), spawn());
    let mut summaries = Vec::new();
    for child in [first, second] {
        let output = child.wait_with_output().expect("finishes");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        summaries.push(stderr);
    }
    let ingested: usize = summaries
        .iter()
        .map(|s| {
            let after = s.split("ingested ").nth(1).expect("summary");
            after.split(',').next().expect("number").parse::<usize>().expect("count")
        })
        .sum();
    assert_eq!(ingested, 600, "each file stored by exactly one of the runs: {summaries:?}");
    assert_eq!(dump(&db), dump(&clean));
    assert_sound(&db);
}
