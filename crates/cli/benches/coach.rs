//! Coaching-sheet throughput (issue 6): builds a database of 20,000 scored interactions for
//! 500 employees through the store's own API (the sample transcripts scored once, stored many
//! times under new ids, employees and dates; every other interaction of each employee reviewed,
//! issue 7), then times the real binary writing a sheet for every employee (`qadesk coach
//! --all`, which reads the reviewed scorecards) in HTML and Markdown, the same with
//! `--include-unreviewed`, and the QA summary. Prints sheets per second (target > 100); asserts
//! nothing. `-- --quick`: 2,000 interactions for 50 employees.
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use qadesk_domain::{CallMetrics, CriterionDecision, Interaction, InteractionKind};
use qadesk_rubric::ScoreOptions;
use qadesk_store::{Metadata, NewInteraction, NewReview, RubricText, SourceFile, Store};
use qadesk_transcript::{Format, SpeakerMap};

#[path = "../tests/common/mod.rs"]
mod common;
use common::workspace;

/// Fills `db` with `count` interactions spread over `employees` employees and 90 days.
fn build(db: &Path, count: usize, employees: usize) {
    let root = workspace();
    let rubric_path = root.join("rubrics/call-quality.toml");
    let rubric_text = std::fs::read_to_string(&rubric_path).expect("rubric");
    let rubric = qadesk_rubric::parse(&rubric_text).expect("valid rubric");
    let mut samples: Vec<_> = std::fs::read_dir(root.join("samples/transcripts"))
        .expect("samples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    samples.sort();
    let scored: Vec<_> = samples
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("sample");
            let transcript =
                qadesk_transcript::read(&text, Format::Text, &SpeakerMap::default()).expect("read");
            let card =
                rubric.score(&Interaction::call("x", transcript.clone()), &ScoreOptions::default());
            (transcript, card)
        })
        .collect();

    let mut store = Store::open(db).expect("open");
    let rubric_row = store
        .rubric(&RubricText {
            rubric_id: &rubric.id,
            version: rubric.version,
            title: &rubric.title,
            sha256: &format!("{:064x}", rubric_text.len()),
            toml: &rubric_text,
        })
        .expect("rubric row");
    let batch = 1_000;
    for start in (0..count).step_by(batch) {
        let items: Vec<NewInteraction> = (start..(start + batch).min(count))
            .map(|i| {
                let (transcript, card) = &scored[i % scored.len()];
                let call_id = format!("CALL-{i:06}");
                let mut scorecard = card.clone();
                scorecard.interaction = call_id.clone();
                let employee = i % employees;
                // Every 25th is a mystery call and every 40th a visit, as a shop might mix them.
                let kind = if i % 25 == 0 {
                    InteractionKind::MysteryCall
                } else if i % 40 == 0 {
                    InteractionKind::Visit
                } else {
                    InteractionKind::Call
                };
                let day = (i / employees) % 90;
                let (month, day) = if day < 31 {
                    (1, day + 1)
                } else if day < 59 {
                    (2, day - 30)
                } else {
                    (3, day - 58)
                };
                NewInteraction {
                    source: SourceFile {
                        path: format!("bench/{call_id}.txt"),
                        sha256: format!("{i:064x}"),
                    },
                    meta: Metadata {
                        call_id,
                        kind,
                        employee_id: Some(format!("E{employee:04}")),
                        employee_name: Some(format!("Employee {employee}")),
                        started_at: Some(format!(
                            "2026-{month:02}-{day:02}T{:02}:{:02}:00",
                            8 + i % 9,
                            i % 60
                        )),
                        queue: None,
                        direction: None,
                    },
                    recording: None,
                    metrics: CallMetrics::from_transcript(transcript),
                    transcript: Some(transcript.clone()),
                    origin: "file:txt".into(),
                    scorecards: vec![(rubric_row, scorecard)],
                    visit: None,
                    answers: Vec::new(),
                    attachments: Vec::new(),
                    redactions: Vec::new(),
                }
            })
            .collect();
        for outcome in store.insert_batch(&items).expect("batch") {
            outcome.expect("stored");
        }
    }
    review_half(&mut store, count, employees);
}

/// Reviews every other interaction of each employee (QA1 accepts every verdict), in batches.
fn review_half(store: &mut Store, count: usize, employees: usize) {
    let chosen: Vec<usize> = (0..count).filter(|i| (i / employees).is_multiple_of(2)).collect();
    for chunk in chosen.chunks(1_000) {
        let targets: Vec<_> = chunk
            .iter()
            .map(|i| store.review_targets(&format!("CALL-{i:06}")).expect("targets").remove(0))
            .collect();
        let decisions: Vec<Vec<CriterionDecision>> = targets
            .iter()
            .map(|t| {
                t.card
                    .criteria
                    .iter()
                    .map(|c| CriterionDecision {
                        criterion: c.id.clone(),
                        accepted: true,
                        automatic_verdict: c.verdict,
                        automatic_points: c.points,
                        reason: None,
                    })
                    .collect()
            })
            .collect();
        let reviews: Vec<NewReview<'_>> = targets
            .iter()
            .zip(&decisions)
            .map(|(t, d)| NewReview {
                automatic: t.scorecard,
                automatic_scored_at: &t.scored_at,
                reviewer: "QA1",
                card: &t.card,
                decisions: d,
            })
            .collect();
        store.save_reviews(&reviews).expect("reviews stored");
    }
}

fn qadesk(args: &[&str]) -> f64 {
    let start = Instant::now();
    let output =
        Command::new(env!("CARGO_BIN_EXE_qadesk")).args(args).output().expect("qadesk runs");
    let wall = start.elapsed().as_secs_f64();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    wall
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (count, employees) = if quick { (2_000, 50) } else { (20_000, 500) };
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("coach.db");
    let start = Instant::now();
    build(&db, count, employees);
    println!(
        "database: {count} interactions for {employees} employees built in {:.1} s ({:.1} MiB)",
        start.elapsed().as_secs_f64(),
        std::fs::metadata(&db).map_or(0.0, |m| m.len() as f64 / 1024.0 / 1024.0)
    );
    let db = db.to_str().expect("utf-8");
    for (format, unreviewed) in [("html", false), ("md", false), ("html", true)] {
        let out = dir.path().join(format!("sheets-{format}-{unreviewed}"));
        let mut args = vec![
            "--db",
            db,
            "coach",
            "--all",
            "--format",
            format,
            "--date",
            "2026-03-31",
            "--out",
            out.to_str().expect("utf-8"),
        ];
        if unreviewed {
            args.push("--include-unreviewed");
        }
        let wall = qadesk(&args);
        let written = std::fs::read_dir(&out).expect("sheets").count();
        assert_eq!(written, employees, "one sheet per employee");
        let (flag, read) =
            if unreviewed { (" --include-unreviewed", count) } else { ("", count.div_ceil(2)) };
        println!(
            "coach --all --format {format}{flag}: {written} sheets in {wall:.2} s = {:.0} sheets/s \
             (target > 100), about {read} interactions read",
            written as f64 / wall
        );
    }
    let wall = qadesk(&[
        "--db",
        db,
        "summary",
        "--format",
        "html",
        "--date",
        "2026-03-31",
        "--out",
        dir.path().join("summary.html").to_str().expect("utf-8"),
    ]);
    println!(
        "summary --format html over the reviewed scorecards (about {}): {wall:.2} s",
        count.div_ceil(2)
    );
}
