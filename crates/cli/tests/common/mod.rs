//! Helpers the CLI tests and the transcription benchmark share: the workspace root and the
//! real-speech corpus with its reference texts.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod calls;
pub mod pty;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// Runs the real `qadesk` binary from the workspace root with extra environment variables;
/// returns (exit code, stdout, stderr).
pub fn run_qadesk(args: &[&str], env: &[(&str, &Path)]) -> (i32, String, String) {
    let mut command = Command::cargo_bin("qadesk").expect("qadesk binary");
    command.current_dir(workspace()).args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("qadesk runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The pocketsphinx test data folder that `scripts/setup` unpacks.
pub fn corpus_dir() -> PathBuf {
    let data = workspace().join(".cache/speech/pocketsphinx-5.1.1/test/data");
    assert!(data.is_dir(), "no speech corpus at {}: run scripts/setup first", data.display());
    data
}

/// (clip, reference text): LibriVox readings and card-game commands from the pocketsphinx
/// source package, and jfk.wav, as `scripts/setup` lays them out in `.cache/speech/`.
pub fn speech_clips() -> Vec<(PathBuf, String)> {
    let data = corpus_dir();
    let mut clips = Vec::new();
    for (dir, list) in
        [("librivox", "librivox/transcription"), ("cards", "cards/cards.transcription")]
    {
        let text = std::fs::read_to_string(data.join(list)).expect("transcription list");
        for line in text.lines() {
            let (words, id) = line.rsplit_once(" (").expect("`<s> text </s> (id)`");
            let words = words.replace("<s>", "").replace("</s>", "");
            clips.push((
                data.join(format!("{dir}/{}.wav", id.trim_end_matches(')'))),
                words.trim().to_string(),
            ));
        }
    }
    clips.push((
        workspace().join(".cache/speech/jfk.wav"),
        "and so my fellow americans ask not what your country can do for you ask what you can do for your country".into(),
    ));
    clips
}

/// Writes `count` distinct transcript files into `dir`: the sample calls in turn, each with a
/// reference number added to its first line so that every file has its own content.
pub fn transcript_batch(dir: &Path, count: usize) -> Vec<PathBuf> {
    let samples_dir = workspace().join("samples/transcripts");
    let mut samples: Vec<PathBuf> = std::fs::read_dir(&samples_dir)
        .expect("samples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    samples.sort();
    let texts: Vec<String> =
        samples.iter().map(|p| std::fs::read_to_string(p).expect("sample")).collect();
    std::fs::create_dir_all(dir).expect("batch dir");
    (0..count)
        .map(|i| {
            let text = &texts[i % texts.len()];
            let (first, rest) = text.split_once('\n').expect("a sample has several lines");
            let path = dir.join(format!("call-{i:05}.txt"));
            std::fs::write(&path, format!("{first} Ref {i}.\n{rest}")).expect("write");
            path
        })
        .collect()
}

/// The sample transcripts ingested into `dir/samples.db` with tests/data/report/metadata.csv
/// (the sample metadata plus one mystery call for E107 and one visit for E105), and the sample
/// store visits imported with their checklist (shoppers' answers and comments).
pub fn report_sample_db(dir: &Path) -> PathBuf {
    let db = dir.join("samples.db");
    let root = workspace();
    let (code, _, stderr) = run_qadesk(
        &[
            "--db",
            &db.display().to_string(),
            "ingest",
            &root.join("samples/transcripts").display().to_string(),
            "--rubric",
            &root.join("rubrics/call-quality.toml").display().to_string(),
            "--metadata",
            &root.join("tests/data/report/metadata.csv").display().to_string(),
        ],
        &[],
    );
    assert_eq!(code, 0, "ingest failed: {stderr}");
    let (code, _, stderr) = run_qadesk(
        &[
            "--db",
            &db.display().to_string(),
            "shop",
            "import",
            &root.join("samples/answers/visit-2026-03-12-oslo.toml").display().to_string(),
            &root.join("samples/answers/visits-march.csv").display().to_string(),
            "--checklist",
            &root.join("samples/checklists/store-visit.toml").display().to_string(),
        ],
        &[],
    );
    assert_eq!(code, 0, "shop import failed: {stderr}");
    db
}

/// Every row a query returns, each as its values joined by `|` (`Text("a")|Integer(2)`).
pub fn query_rows(db: &Path, sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open the database");
    let mut statement = conn.prepare(sql).expect("query");
    let columns = statement.column_count();
    statement
        .query_map([], |r| {
            (0..columns)
                .map(|c| r.get::<_, rusqlite::types::Value>(c).map(|v| format!("{v:?}")))
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.join("|"))
        })
        .expect("rows")
        .collect::<Result<Vec<_>, _>>()
        .expect("values")
}
