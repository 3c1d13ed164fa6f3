//! `qadesk review` driven as a reviewer drives it (issue 7): the real binary in a
//! pseudo-terminal, accepting verdicts, overriding one with a reason, going back with Esc,
//! and stopping with Ctrl-C, which stores nothing.

mod common;

use std::path::Path;
use std::process::Command;

use common::pty::answer;
use common::{query_rows, run_qadesk, workspace};
use expectrl::{ControlCode, Expect};

fn review(dir: &Path) -> expectrl::session::OsSession {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("qadesk"));
    command.current_dir(dir).env("TERM", "xterm").args([
        "--db",
        "review.db",
        "review",
        "en-energy-mixed",
        "--reviewer",
        "QA1",
    ]);
    common::pty::spawn(command)
}

fn reviewed(db: &Path) -> Vec<String> {
    query_rows(
        db,
        "SELECT c.criterion, c.verdict, d.decision, d.reason FROM scorecards s
         JOIN criterion_results c ON c.scorecard_id = s.id
         JOIN review_decisions d ON d.scorecard_id = c.scorecard_id AND d.criterion = c.criterion
         WHERE s.kind = 'reviewed' ORDER BY c.position",
    )
}

#[test]
fn a_reviewer_accepts_overrides_goes_back_and_ctrl_c_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let root = workspace();
    let (code, _, stderr) = run_qadesk(
        &[
            "--db",
            db.to_str().unwrap(),
            "ingest",
            root.join("samples/transcripts/en-energy-mixed.txt").to_str().unwrap(),
            "-r",
            root.join("rubrics/call-quality.toml").to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");

    // First session: the transcript with its verdicts, then the criteria; an override is
    // made, and Ctrl-C in the middle stores nothing.
    let mut s = review(dir.path());
    s.expect("Good afternoon, Brightwater Energy").expect("the transcript is shown");
    s.expect("✓ greeting pass 10/10").expect("with the automatic verdicts inline");
    s.expect("[1/10] greeting").expect("the first criterion");
    answer(&mut s, "greeting: verdict", "");
    s.expect("automatic: fail 0/10").expect("introduction's automatic verdict");
    answer(&mut s, "introduction: verdict", "pass");
    answer(&mut s, "introduction: why pass instead of fail?", "she said 'Sara here'");
    s.expect("needs-clarification: verdict").expect("the third criterion");
    s.send(ControlCode::EndOfText).expect("ctrl-c");
    s.expect("stopped: nothing was stored").expect("stopped");
    s.expect(expectrl::Eof).expect("qadesk ends");
    assert_eq!(reviewed(&db), Vec::<String>::new(), "Ctrl-C stores nothing");

    // Second session: an invalid verdict is refused with the reason; Esc from a reason goes
    // back to that criterion's verdict, Esc from a verdict to the previous criterion.
    let mut s = review(dir.path());
    answer(&mut s, "greeting: verdict", "partial");
    s.expect("`greeting` is pass-fail: partial is not one of its verdicts").expect("refused");
    s.send("\x7f\x7f\x7f\x7f\x7f\x7f\x7f\r").expect("clear it and accept");
    answer(&mut s, "introduction: verdict", "pass");
    answer(&mut s, "introduction: why pass instead of fail?", "she said 'Sara here'");
    answer(&mut s, "needs-clarification: verdict", "fail");
    s.expect("needs-clarification: why fail instead of partial?").expect("reason asked");
    s.send(ControlCode::Escape).expect("esc");
    // Back at the verdict, which still says fail: change it back to accept.
    s.expect("needs-clarification: verdict").expect("back at the verdict");
    s.send("\x7f\x7f\x7f\x7f\r").expect("accept instead");
    s.expect("confirmation: verdict").expect("the next criterion");
    s.send(ControlCode::Escape).expect("esc");
    answer(&mut s, "needs-clarification: verdict", "");
    for criterion in
        ["confirmation", "product-knowledge", "offers-options", "objection-handling", "courtesy"]
    {
        answer(&mut s, &format!("{criterion}: verdict"), "");
    }
    answer(&mut s, "no-interruption: verdict", "pass");
    answer(
        &mut s,
        "no-interruption: why pass instead of partial?",
        "the overlap was a back-channel",
    );
    answer(&mut s, "closing: verdict", "");
    s.expect("review: 8 accepted, 2 overridden").expect("a preview");
    // opening 100 %, discovery 75 %, solution 50 %, manner 100 %, closing 50 %, weighted
    // 15/25/30/20/10: 73.75, Good.
    s.expect("61.2 % · Needs improvement → 73.").expect("with the new total");
    answer(&mut s, "Store this review?", "y");
    s.expect("en-energy-mixed · call-quality v1 · reviewed by QA1").expect("stored");
    s.expect(expectrl::Eof).expect("qadesk ends");

    let rows = reviewed(&db);
    assert_eq!(rows.len(), 10, "{rows:?}");
    assert_eq!(
        rows[1],
        "Text(\"introduction\")|Text(\"pass\")|Text(\"overridden\")|Text(\"she said 'Sara here'\")"
    );
    assert_eq!(rows[2], "Text(\"needs-clarification\")|Text(\"partial\")|Text(\"accepted\")|Null");
    assert_eq!(
        rows[8],
        "Text(\"no-interruption\")|Text(\"pass\")|Text(\"overridden\")|Text(\"the overlap was a back-channel\")"
    );
    // The measured value of a metric criterion (one interruption) stays with the new verdict.
    let value = query_rows(
        &db,
        "SELECT c.value FROM criterion_results c JOIN scorecards s ON s.id = c.scorecard_id
         WHERE s.kind = 'reviewed' AND c.criterion = 'no-interruption'",
    );
    assert_eq!(value, ["Real(1.0)"]);
    let score = query_rows(&db, "SELECT score, band FROM scorecards WHERE kind = 'reviewed'");
    assert_eq!(score, ["Real(73.75)|Text(\"Good\")"]);
}
