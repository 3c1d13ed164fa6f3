//! Ingest throughput, measured on the real binary and a real SQLite file: (1) 1,000
//! interactions from transcript files (everything but Whisper): interactions per second and the
//! database size; (2) stereo recordings: the share of wall time spent outside Whisper (decoding,
//! voice activity, scoring, storing, start-up). Prints figures; asserts nothing.
//!
//! Needs `scripts/setup` for part 2 (model and speech clips). `-- --quick` uses fewer
//! recordings; `QADESK_MODEL` picks another model.
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::process::Command;
use std::time::Instant;

#[path = "../tests/common/mod.rs"]
mod common;
use common::calls::build_calls;
use common::{transcript_batch, workspace};

/// Runs `qadesk ingest` and returns its wall time in seconds and its stderr summary.
fn ingest(db: &Path, input: &Path, extra: &[&str]) -> (f64, String) {
    let start = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_qadesk"))
        .current_dir(workspace())
        .args(["ingest", "--db"])
        .arg(db)
        .arg(input)
        .args(["--rubric", "rubrics/call-quality.toml"])
        .args(extra)
        .output()
        .expect("qadesk runs");
    let wall = start.elapsed().as_secs_f64();
    let summary = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "ingest failed: {summary}");
    (wall, summary)
}

fn mib(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1024.0 / 1024.0)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let dir = tempfile::tempdir().expect("temp dir");

    let files = dir.path().join("transcripts");
    let count = 1_000;
    transcript_batch(&files, count);
    let db = dir.path().join("transcripts.db");
    let (wall, _) = ingest(&db, &files, &[]);
    println!(
        "transcripts: {count} interactions in {wall:.2} s = {:.0} interactions/s (target > 500); \
         database {:.1} MiB ({:.1} KiB per interaction)",
        count as f64 / wall,
        mib(&db),
        mib(&db) * 1024.0 / count as f64
    );
    let (rerun, _) = ingest(&db, &files, &[]);
    println!("re-run of the same {count} files (all skipped by hash): {rerun:.2} s");

    let model = std::env::var("QADESK_MODEL").unwrap_or_else(|_| {
        workspace().join("models/ggml-tiny.en.bin").to_string_lossy().into_owned()
    });
    assert!(Path::new(&model).is_file(), "no model at {model}: run scripts/setup");
    let recordings = dir.path().join("recordings");
    std::fs::create_dir_all(&recordings).expect("dir");
    let calls = build_calls(&recordings, if quick { 4 } else { 20 }, 6);
    let audio_s: f64 = calls.iter().map(|c| c.seconds).sum();
    let db = dir.path().join("recordings.db");
    let (wall, summary) = ingest(&db, &recordings, &["--model", &model]);
    // "…; 2 worker(s), in Whisper 104.3 s = 97.9 % of their time"
    let whisper_share: f64 = summary
        .split(" s = ")
        .nth(1)
        .and_then(|rest| rest.split(" %").next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no Whisper share in the summary: {summary}"));
    println!(
        "recordings: {} stereo calls, {audio_s:.0} s of audio, ingested in {wall:.1} s \
         ({:.1} audio s/s) with {model}",
        calls.len(),
        audio_s / wall
    );
    println!(
        "  workers in Whisper {whisper_share:.1} % of their time; outside Whisper {:.1} % \
         (target < 5 %)",
        100.0 - whisper_share
    );
}
