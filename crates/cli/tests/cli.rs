//! Command-line behaviour as a user sees it: each case runs the real `qadesk` binary from the
//! workspace root and snapshots its exit code, stdout and stderr (tests/snapshots/cli).

mod common;
use common::{run_qadesk, workspace};

fn run(args: &[&str]) -> (i32, String, String) {
    run_qadesk(args, &[])
}

fn transcript_of(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(args);
    format!(
        "$ qadesk {}\nexit code: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" ")
    )
}

/// (snapshot name, arguments, expected exit code)
const CASES: &[(&str, &[&str], i32)] = &[
    (
        "ingest-bad-name-pattern",
        &[
            "ingest",
            "samples/transcripts",
            "-r",
            "rubrics/call-quality.toml",
            "--name-pattern",
            "{date}_{agent}",
        ],
        2,
    ),
    (
        "ingest-metadata-unknown-column",
        &[
            "ingest",
            "samples/transcripts",
            "-r",
            "rubrics/call-quality.toml",
            "--metadata",
            "tests/data/bad/metadata-unknown-column.csv",
        ],
        2,
    ),
    ("list-without-a-database", &["--db", "tests/data/no-such.db", "list"], 2),
    (
        "shop-print-store-visit-md",
        &["shop", "print", "samples/checklists/store-visit.toml", "--format", "md"],
        0,
    ),
    (
        "shop-print-mystery-call-html-nb",
        &["shop", "print", "samples/checklists/mystery-call.toml", "--lang", "nb"],
        0,
    ),
    ("shop-print-not-a-checklist", &["shop", "print", "rubrics/call-quality.toml"], 2),
    (
        "rubric-check-shipped",
        &["rubric", "check", "rubrics/call-quality.toml", "rubrics/complaint-call.toml"],
        0,
    ),
    (
        "rubric-check-typos",
        &[
            "rubric",
            "check",
            "crates/rubric/tests/data/invalid/typos.toml",
            "rubrics/call-quality.toml",
        ],
        2,
    ),
    (
        "score-with-invalid-rubric",
        &[
            "score",
            "samples/transcripts/en-broadband-good.txt",
            "--rubric",
            "crates/rubric/tests/data/invalid/semantics.toml",
        ],
        2,
    ),
    (
        "score-batch-with-bad-inputs",
        &[
            "score",
            "tests/data/bad/broken-line.txt",
            "tests/data/formats/call.json",
            "tests/data/bad/empty.txt",
            "tests/data/bad/binary.txt",
            "tests/data/bad/latin1.txt",
            "tests/data/bad/unknown-speaker.txt",
            "tests/data/bad/does-not-exist.txt",
            "tests/data",
            "--rubric",
            "rubrics/call-quality.toml",
            "--format",
            "csv",
        ],
        1,
    ),
    (
        "score-unknown-language",
        &[
            "score",
            "tests/data/formats/call.json",
            "--rubric",
            "rubrics/call-quality.toml",
            "--language",
            "de",
        ],
        2,
    ),
    (
        "score-bad-speaker-map",
        &[
            "score",
            "tests/data/formats/labels.txt",
            "--rubric",
            "rubrics/call-quality.toml",
            "--speaker-map",
            "Rep=boss",
        ],
        2,
    ),
    (
        "score-speaker-map",
        &[
            "score",
            "tests/data/formats/labels.txt",
            "--rubric",
            "rubrics/call-quality.toml",
            "--speaker-map",
            "Rep=agent,Caller=customer",
        ],
        0,
    ),
    (
        "score-every-format-table",
        &[
            "score",
            "tests/data/formats/call.vtt",
            "tests/data/formats/call.srt",
            "tests/data/formats/call.json",
            "--rubric",
            "rubrics/call-quality.toml",
        ],
        0,
    ),
    (
        "score-forced-input-format",
        &[
            "score",
            "tests/data/formats/call.vtt",
            "--input-format",
            "srt",
            "--rubric",
            "rubrics/call-quality.toml",
            "-f",
            "json",
        ],
        1,
    ),
];

#[test]
fn cli_cases() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace().join("tests/snapshots/cli"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, args, expected_code) in CASES {
            let shown = transcript_of(args);
            assert!(
                shown.contains(&format!("exit code: {expected_code}\n")),
                "{name}: expected exit code {expected_code}\n{shown}"
            );
            insta::assert_snapshot!(*name, shown);
        }
    });
}

#[test]
fn a_50_mb_file_is_refused_by_name_and_the_rest_is_scored() {
    let dir = std::env::temp_dir().join(format!("qadesk-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let large = dir.join("huge.txt");
    let line = "[00:00.0-00:03.0] Agent: Good morning, Nordlys Telecom, Anna speaking.\n";
    std::fs::write(&large, line.repeat(50 * 1024 * 1024 / line.len() + 1))
        .expect("write large file");
    let large_arg = large.to_string_lossy().into_owned();
    let (code, stdout, stderr) = run(&[
        "score",
        &large_arg,
        "tests/data/formats/call.json",
        "--rubric",
        "rubrics/call-quality.toml",
        "-f",
        "json",
    ]);
    std::fs::remove_dir_all(&dir).expect("clean up");
    assert_eq!(code, 1, "stderr: {stderr}");
    assert!(
        stderr.contains(&format!("{large_arg}: file is 50.0 MiB, over the 10 MiB limit")),
        "stderr: {stderr}"
    );
    let cards: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0]["interaction"], "call");
}
