//! The bundled sample calls and their expected scorecards: every file in samples/transcripts is
//! scored with the real binary against call-quality.toml (and complaint samples also against
//! complaint-call.toml); each scorecard is a reviewed snapshot in tests/snapshots/samples.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;
use common::workspace;

fn scorecard(sample: &Path, rubric: &str) -> serde_json::Value {
    let output = Command::cargo_bin("qadesk")
        .expect("qadesk binary")
        .current_dir(workspace())
        .args(["score", "--format", "json", "--rubric", rubric])
        .arg(sample)
        .output()
        .expect("qadesk runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}: {stderr}", sample.display());
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one scorecard per input");
    serde_json::from_str(lines[0]).expect("scorecard JSON")
}

#[test]
fn sample_scorecards() {
    let root = workspace();
    let mut samples: Vec<PathBuf> = std::fs::read_dir(root.join("samples/transcripts"))
        .expect("samples dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    samples.sort();
    assert!(samples.len() >= 12, "expected at least 12 sample calls, found {}", samples.len());

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root.join("tests/snapshots/samples"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for sample in &samples {
            let name = sample.file_stem().expect("name").to_string_lossy().into_owned();
            let relative = sample.strip_prefix(&root).expect("inside workspace");
            insta::assert_json_snapshot!(
                format!("{name}.call-quality"),
                scorecard(relative, "rubrics/call-quality.toml")
            );
            if name.contains("complaint") {
                insta::assert_json_snapshot!(
                    format!("{name}.complaint-call"),
                    scorecard(relative, "rubrics/complaint-call.toml")
                );
            }
        }
    });
}
