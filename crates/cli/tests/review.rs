//! Human review, calibration and disputes (issue 7) with the real binary on a real database
//! built from the sample transcripts: reviews from decisions files by three reviewers with
//! known disagreements, kappas checked against hand computations, the automatic scorecard
//! left byte for byte as it was, disputes, reports that use reviews, and bad inputs.

mod common;

use std::path::{Path, PathBuf};

use common::{query_rows, run_qadesk, workspace};
use serde_json::Value;

/// The criteria of rubrics/call-quality.toml, in its order.
const CRITERIA: [&str; 10] = [
    "greeting",
    "introduction",
    "needs-clarification",
    "confirmation",
    "product-knowledge",
    "offers-options",
    "objection-handling",
    "courtesy",
    "no-interruption",
    "closing",
];

/// The first eight sample transcripts, by name: the interactions of the calibration.
const CALLS: [&str; 8] = [
    "en-books-chat-untimed",
    "en-broadband-good",
    "en-broadband-poor",
    "en-electronics-complaint-good",
    "en-energy-mixed",
    "en-furniture-complaint-bad",
    "en-insurance-interrupting",
    "en-mobile-objection-handled",
];

struct Db {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Db {
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let mut all = vec!["--db", self.path.to_str().expect("utf-8")];
        all.extend_from_slice(args);
        run_qadesk(&all, &[])
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        stdout
    }

    /// Writes a decisions file accepting every criterion but the overrides
    /// (criterion, verdict, reason), and reviews `call` with it as `reviewer`.
    fn review(&self, call: &str, reviewer: &str, overrides: &[(&str, &str, &str)]) -> String {
        let file = self.decisions(&format!("{call}.{reviewer}"), overrides);
        self.ok(&["review", call, "--reviewer", reviewer, "--decisions", file.to_str().unwrap()])
    }

    fn decisions(&self, name: &str, overrides: &[(&str, &str, &str)]) -> PathBuf {
        let mut text = String::from("rubric = \"call-quality\"\n\n[decisions]\n");
        for criterion in CRITERIA {
            match overrides.iter().find(|(c, _, _)| *c == criterion) {
                Some((_, verdict, reason)) => text.push_str(&format!(
                    "{criterion} = {{ verdict = \"{verdict}\", reason = \"{reason}\" }}\n"
                )),
                None => text.push_str(&format!("{criterion} = \"accept\"\n")),
            }
        }
        let path = self.dir.path().join(format!("{name}.toml"));
        std::fs::write(&path, text).expect("write decisions");
        path
    }
}

/// `qadesk ingest samples/transcripts -r rubrics/call-quality.toml`, plus the sample metadata
/// when `metadata` (employees and dates for disputes and sheets).
fn sample_db(metadata: bool) -> Db {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("review.db");
    let root = workspace();
    let transcripts = root.join("samples/transcripts").display().to_string();
    let rubric = root.join("rubrics/call-quality.toml").display().to_string();
    let csv = root.join("samples/metadata.csv").display().to_string();
    let mut args = vec!["--db", path.to_str().unwrap(), "ingest", &transcripts, "-r", &rubric];
    if metadata {
        args.extend(["--metadata", csv.as_str()]);
    }
    let (code, _, stderr) = run_qadesk(&args, &[]);
    assert_eq!(code, 0, "ingest: {stderr}");
    Db { dir, path }
}

fn calibrate(db: &Db) -> Value {
    let json = db.ok(&["calibrate", "--format", "json"]);
    serde_json::from_str(&json).expect("calibrate --format json is one JSON document")
}

fn criterion<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .find(|c| c["criterion"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report}"))
}

fn close(value: &Value, expected: f64) {
    let actual = value.as_f64().unwrap_or_else(|| panic!("{value} is not a number"));
    assert!((actual - expected).abs() < 1e-6, "{actual} is not {expected}");
}

/// An override in a decisions file: criterion, verdict, reason.
type Override<'a> = (&'a str, &'a str, &'a str);

/// Reviewer A's and B's overrides of the first eight calls (C's come later): the known
/// disagreements the kappas below are computed from.
fn review_by_a_and_b(db: &Db, calls: &[&str]) {
    for &call in calls {
        let (a, b): (Vec<Override>, Vec<Override>) = match call {
            "en-broadband-good" => (vec![], vec![("closing", "partial", "no thanks at the end")]),
            "en-energy-mixed" => (
                vec![("closing", "fail", "hung up on the customer")],
                vec![("confirmation", "fail", "the recap came too late")],
            ),
            "en-furniture-complaint-bad" => (
                vec![],
                vec![
                    ("confirmation", "pass", "he read the order back"),
                    ("closing", "fail", "no closing at all"),
                ],
            ),
            "en-insurance-interrupting" => {
                (vec![("confirmation", "pass", "repeated the claim number")], vec![])
            }
            "en-mobile-objection-handled" => (
                vec![("objection-handling", "na", "no real objection was raised")],
                vec![("objection-handling", "na", "just a question about price")],
            ),
            _ => (vec![], vec![]),
        };
        db.review(call, "A", &a);
        db.review(call, "B", &b);
    }
}

#[test]
fn calibration_of_three_reviewers_matches_the_kappas_computed_by_hand() {
    let db = sample_db(false);

    // Three interactions reviewed by A and B: every kappa has too few items.
    review_by_a_and_b(&db, &CALLS[..3]);
    let report = calibrate(&db);
    assert_eq!(report["min_items"], 5);
    for c in report["criteria"].as_array().expect("criteria") {
        assert_eq!(c["kappa"]["status"], "too few items", "{c}");
        assert_eq!((c["kappa"]["items"].as_u64(), c["kappa"]["value"].is_null()), (Some(3), true));
    }
    let table = db.ok(&["calibrate"]);
    assert!(table.contains("Cohen too few items (3)"), "{table}");

    // All eight by A and B. Automatic verdicts of the eight calls (see samples/transcripts):
    //   confirmation  P P F P P F F P
    //   closing       P P F P ½ ½ P P   (½ = partial)
    // with the overrides above:
    //   confirmation  A: P P F P P F P P    B: P P F P F P F P
    //   closing       A: P P F P F ½ P P    B: P ½ F P ½ F P P
    review_by_a_and_b(&db, &CALLS[3..]);
    let report = calibrate(&db);

    // confirmation, Cohen (A, B): they agree on items 1 2 3 4 8, pₒ = 5/8 = 0.625.
    // A: 6 P, 2 F; B: 5 P, 3 F; pₑ = (6/8)(5/8) + (2/8)(3/8) = 36/64 = 0.5625.
    // κ = (0.625 − 0.5625) / (1 − 0.5625) = 0.0625 / 0.4375 = 1/7 = 0.142857.
    let confirmation = criterion(&report, "confirmation");
    assert_eq!(confirmation["kappa"]["method"], "cohen");
    assert_eq!(confirmation["reviewers"], serde_json::json!(["A", "B"]));
    assert_eq!(
        (confirmation["reviewed"].as_u64(), confirmation["multi_reviewed"].as_u64()),
        (Some(8), Some(8))
    );
    close(&confirmation["agreement"]["percent"], 62.5);
    close(&confirmation["kappa"]["value"], 1.0 / 7.0);
    assert_eq!(confirmation["kappa"]["items"], 8);
    // Automatic against every review: A differs on item 7, B on items 5 and 6: 13 of 16,
    // 81.25 %. Against the majority: A and B agree (a majority) on items 1 2 3 4 8, all equal
    // to the automatic verdict (P P F P P): pₒ = 1, pₑ = (4/5)² + (1/5)² = 0.68, κ = 1; items
    // 5 6 7 are ties.
    close(&confirmation["automatic_agreement"]["percent"], 81.25);
    assert_eq!(confirmation["automatic_agreement"]["count"], 16);
    close(&confirmation["automatic_kappa"]["value"], 1.0);
    assert_eq!(
        (
            confirmation["automatic_kappa"]["items"].as_u64(),
            confirmation["automatic_ties"].as_u64()
        ),
        (Some(5), Some(3))
    );

    // closing, Cohen with three categories: they agree on items 1 3 4 7 8, pₒ = 5/8.
    // A: 5 P, 2 F, 1 ½; B: 4 P, 2 F, 2 ½;
    // pₑ = (5/8)(4/8) + (2/8)(2/8) + (1/8)(2/8) = (20 + 4 + 2)/64 = 26/64 = 0.40625.
    // κ = (0.625 − 0.40625) / (1 − 0.40625) = 0.21875 / 0.59375 = 7/19 = 0.368421.
    let closing = criterion(&report, "closing");
    close(&closing["kappa"]["value"], 7.0 / 19.0);
    close(&closing["agreement"]["percent"], 62.5);

    // objection-handling: both reviewers made the one automatic pass an na, so all 16 ratings
    // are na: chance agreement is 1 and kappa is undefined. Automatic vs reviews: 14 of 16.
    // Automatic vs majority: pairs (na, na) × 7 and (pass, na): pₒ = 7/8, and the majority is
    // always na, so pₑ = (7/8)(8/8) = 7/8: κ = 0, no better than chance.
    let objection = criterion(&report, "objection-handling");
    assert_eq!(objection["kappa"]["status"], "undefined");
    assert!(objection["kappa"]["value"].is_null());
    close(&objection["automatic_agreement"]["percent"], 87.5);
    close(&objection["automatic_kappa"]["value"], 0.0);

    // greeting: everyone accepted P P F P P P P P: perfect agreement, κ = 1.
    let greeting = criterion(&report, "greeting");
    close(&greeting["kappa"]["value"], 1.0);
    close(&greeting["automatic_agreement"]["percent"], 100.0);

    // The criteria whose automatic verdicts agree least come first: confirmation and closing
    // (81.25 %, in rubric order), then objection-handling (87.5 %).
    let order: Vec<&str> = report["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| c["criterion"].as_str().expect("id"))
        .collect();
    assert_eq!(order[..3], ["confirmation", "closing", "objection-handling"]);

    // A third reviewer, C, reviews the first six: confirmation C = P P F P F F (as B on item
    // 5, the automatic verdict elsewhere), closing as the automatic verdicts.
    for &call in &CALLS[..6] {
        let overrides: &[(&str, &str, &str)] = match call {
            "en-energy-mixed" => {
                &[("confirmation", "fail", "confirmed only after the customer asked")]
            }
            _ => &[],
        };
        db.review(call, "C", overrides);
    }
    let report = calibrate(&db);

    // confirmation, Fleiss over the six items with three reviewers (the modal number; items 7
    // and 8 have two). Counts (P, F): (3,0) (3,0) (0,3) (3,0) (1,2) (1,2).
    // pⱼ: P = 11/18, F = 7/18; P̄ₑ = (121 + 49)/324 = 170/324 = 0.524691.
    // Pᵢ = 1, 1, 1, 1, (1 + 4 − 3)/6 = 1/3, 1/3; P̄ = (4 + 2/3)/6 = 7/9 = 252/324.
    // κ = (252 − 170)/(324 − 170) = 82/154 = 41/77 = 0.532468.
    let confirmation = criterion(&report, "confirmation");
    assert_eq!(confirmation["kappa"]["method"], "fleiss");
    assert_eq!(
        (confirmation["kappa"]["raters"].as_u64(), confirmation["kappa"]["items"].as_u64()),
        (Some(3), Some(6))
    );
    close(&confirmation["kappa"]["value"], 41.0 / 77.0);
    // Percent agreement over all eight multi-reviewed items, pairs agreeing per item:
    // 1, 1, 1, 1, 1/3, 1/3, 0 (A P, B F), 1: (5 + 2/3)/8 = 70.83 %.
    close(&confirmation["agreement"]["percent"], 100.0 * (17.0 / 3.0) / 8.0);
    // Automatic vs 22 reviews: 13 before, and C differs on item 5 only: 18/22 = 81.82 %.
    // Majorities: 1 P, 2 P, 3 F, 4 P, 5 F, 6 F, 8 P (7 is a tie); pairs (auto, majority)
    // agree except item 5 (P, F): pₒ = 6/7; auto 5 P 2 F, majority 4 P 3 F,
    // pₑ = (5·4 + 2·3)/49 = 26/49; κ = (42/49 − 26/49)/(23/49) = 16/23 = 0.695652.
    close(&confirmation["automatic_agreement"]["percent"], 1800.0 / 22.0);
    close(&confirmation["automatic_kappa"]["value"], 16.0 / 23.0);
    assert_eq!(
        (
            confirmation["automatic_kappa"]["items"].as_u64(),
            confirmation["automatic_ties"].as_u64()
        ),
        (Some(7), Some(1))
    );

    // closing, Fleiss over items 1–6 with A, B, C (C = automatic: P P F P ½ ½).
    // Counts (P, ½, F): (3,0,0) (2,1,0) (0,0,3) (3,0,0) (0,2,1) (0,2,1).
    // pⱼ: P 8/18, ½ 5/18, F 5/18; P̄ₑ = (64 + 25 + 25)/324 = 114/324.
    // Pᵢ = 1, 1/3, 1, 1, 1/3, 1/3; P̄ = 4/6 = 216/324.
    // κ = (216 − 114)/(324 − 114) = 102/210 = 17/35 = 0.485714.
    close(&criterion(&report, "closing")["kappa"]["value"], 17.0 / 35.0);

    // The CSV has the same figures.
    let csv = db.ok(&["calibrate", "--format", "csv"]);
    let line = csv.lines().find(|l| l.starts_with("call-quality,closing,")).expect("closing row");
    assert!(line.contains(",fleiss,0.4857,6,ok,3,"), "{line}");
}

#[test]
fn a_review_leaves_the_automatic_scorecard_untouched_and_replaces_only_its_reviewers_own() {
    let db = sample_db(false);
    let automatic_rows = |db: &Db| -> Vec<String> {
        [
            "SELECT * FROM scorecards WHERE kind = 'automatic' ORDER BY id",
            "SELECT c.* FROM criterion_results c JOIN scorecards s ON s.id = c.scorecard_id
             WHERE s.kind = 'automatic' ORDER BY 1, 2",
            "SELECT x.* FROM section_results x JOIN scorecards s ON s.id = x.scorecard_id
             WHERE s.kind = 'automatic' ORDER BY 1, 2",
            "SELECT v.* FROM evidence v JOIN scorecards s ON s.id = v.scorecard_id
             WHERE s.kind = 'automatic' ORDER BY 1, 2, 3",
        ]
        .iter()
        .flat_map(|sql| query_rows(&db.path, sql))
        .collect()
    };
    let before = automatic_rows(&db);
    let file = workspace().join("samples/reviews/en-energy-mixed.QA1.toml");
    let file = file.to_str().unwrap();
    let out = db.ok(&["review", "en-energy-mixed", "--reviewer", "QA1", "--decisions", file]);
    assert!(
        out.contains("automatic 61.2 % · Needs improvement → reviewed 55.0 % · Needs improvement"),
        "{out}"
    );
    assert!(out.contains("7 of 10 verdicts accepted, 3 overridden"), "{out}");
    assert!(
        out.contains(
            "objection-handling: na → fail: 'is that the cheapest one' is a price objection"
        ),
        "{out}"
    );
    assert_eq!(automatic_rows(&db), before, "the automatic scorecard's rows are unchanged");

    let reviews = |db: &Db| {
        query_rows(
            &db.path,
            "SELECT id, reviewer, score FROM scorecards WHERE kind = 'reviewed' ORDER BY id",
        )
    };
    assert_eq!(reviews(&db), ["Integer(16)|Text(\"QA1\")|Real(55.0)"]);
    // QA1 again: their review is replaced (same row), and they are told so.
    let (code, _, stderr) =
        db.run(&["review", "en-energy-mixed", "--reviewer", "QA1", "--decisions", file]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("it replaces QA1's earlier review of en-energy-mixed"), "{stderr}");
    assert_eq!(reviews(&db), ["Integer(16)|Text(\"QA1\")|Real(55.0)"]);
    // Another reviewer adds theirs; by row id as `show` takes it.
    db.review("5", "QA2", &[]);
    assert_eq!(reviews(&db).len(), 2);
    assert_eq!(automatic_rows(&db), before);
    // Each reviewed verdict records whether it was accepted or overridden, and why.
    let decisions = query_rows(
        &db.path,
        "SELECT criterion, decision, automatic_verdict, reason FROM review_decisions
         WHERE scorecard_id = 16 AND decision = 'overridden' ORDER BY criterion",
    );
    assert_eq!(decisions.len(), 3);
    assert!(decisions[0].starts_with("Text(\"needs-clarification\")|Text(\"overridden\")|Text(\"partial\")|Text(\"asked for the reading"), "{decisions:?}");

    // show lists both reviews; export has a row per criterion of each, with the new columns.
    let shown = db.ok(&["show", "en-energy-mixed"]);
    assert!(shown.contains("call-quality v1 reviewed by QA1 at "), "{shown}");
    assert!(
        shown.contains("55.0 % · Needs improvement · 7 of 10 accepted, 3 overridden"),
        "{shown}"
    );
    assert!(shown.contains("call-quality v1 reviewed by QA2 at "), "{shown}");
    let csv = db.ok(&["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> =
        reader.headers().expect("header").iter().map(str::to_string).collect();
    assert_eq!(header[..3], ["interaction", "call_id", "kind"], "old columns first, unchanged");
    assert_eq!(
        header[header.len() - 5..],
        ["scorecard_kind", "reviewer", "reviewed_at", "decision", "override_reason"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let energy: Vec<&csv::StringRecord> =
        rows.iter().filter(|r| &r[column("call_id")] == "en-energy-mixed").collect();
    assert_eq!(energy.len(), 30, "automatic, QA1 and QA2: 10 criteria each");
    let kinds: Vec<(&str, &str)> = energy
        .iter()
        .step_by(10)
        .map(|r| (&r[column("scorecard_kind")], &r[column("reviewer")]))
        .collect();
    assert_eq!(kinds, [("automatic", ""), ("reviewed", "QA1"), ("reviewed", "QA2")]);
    let overridden = energy
        .iter()
        .find(|r| &r[column("reviewer")] == "QA1" && &r[column("criterion")] == "product-knowledge")
        .expect("row");
    assert_eq!(
        (&overridden[column("verdict")], &overridden[column("decision")]),
        ("pass", "overridden")
    );
    assert!(overridden[column("override_reason")].starts_with("tariff price"));
    // The other calls have only their automatic rows.
    assert_eq!(rows.len(), 15 * 10 + 20);
    let json = db.ok(&["export", "--format", "json"]);
    assert!(json.lines().any(
        |l| l.contains("\"scorecard_kind\":\"reviewed\"") && l.contains("\"reviewer\":\"QA2\"")
    ));
}

#[test]
fn next_picks_the_oldest_interaction_the_reviewer_has_not_reviewed() {
    let db = sample_db(true);
    let accept = db.decisions("all-accept", &[]);
    let accept = accept.to_str().unwrap();
    // With the sample metadata the oldest call is CHAT-2026-0302-07 (2 March, 10:40).
    let out = db.ok(&["review", "--next", "--reviewer", "QA9", "--decisions", accept]);
    assert!(out.starts_with("CHAT-2026-0302-07 · call-quality v1 · reviewed by QA9"), "{out}");
    let out = db.ok(&["review", "--next", "--reviewer", "QA9", "--decisions", accept]);
    assert!(out.starts_with("CALL-2026-0302-11 "), "{out}");
    let out = db.ok(&["review", "--next", "--reviewer", "QA8", "--decisions", accept]);
    assert!(out.starts_with("CHAT-2026-0302-07 "), "another reviewer starts at the top: {out}");
    for _ in 0..13 {
        db.ok(&["review", "--next", "--reviewer", "QA9", "--decisions", accept]);
    }
    let (code, stdout, stderr) =
        db.run(&["review", "--next", "--reviewer", "QA9", "--decisions", accept]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(stderr.contains("nothing left to review for QA9"), "{stderr}");
}

#[test]
fn coaching_sheets_use_reviews_by_default_and_mark_the_unreviewed_when_asked() {
    let db = sample_db(true);
    let out = db.dir.path().join("sheets");
    let out_arg = out.to_str().unwrap();
    // Nothing reviewed: a clear error naming the flag, not an empty sheet.
    let (code, _, stderr) =
        db.run(&["coach", "--employee", "E101", "--format", "md", "--out", out_arg]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nobody has reviewed employee `E101`'s interactions yet"), "{stderr}");
    assert!(stderr.contains("--include-unreviewed"), "{stderr}");
    let (code, _, stderr) = db.run(&["summary", "--format", "md"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no reviewed scorecards") && stderr.contains("--include-unreviewed"),
        "{stderr}"
    );

    // Anna Berg (E101) has four calls; QA1 reviews two of them.
    db.review("CALL-2026-0302-11", "QA1", &[]);
    db.review(
        "CALL-2026-0305-03",
        "QA1",
        &[("no-interruption", "partial", "only one real interruption")],
    );
    let sheet = |args: &[&str]| -> String {
        let mut all = vec![
            "coach",
            "--employee",
            "E101",
            "--format",
            "md",
            "--date",
            "2026-03-31",
            "--out",
            out_arg,
        ];
        all.extend_from_slice(args);
        db.ok(&all);
        std::fs::read_to_string(out.join("coaching-E101.md")).expect("sheet")
    };
    let reviewed = sheet(&[]);
    assert!(reviewed.contains("- **Evaluated:** 2 calls"), "{reviewed}");
    assert!(reviewed.contains("- **Reviewed by:** QA1"), "{reviewed}");
    assert!(!reviewed.contains("unreviewed"), "{reviewed}");
    assert!(
        reviewed.contains("| CALL-2026-0305-03 |") && !reviewed.contains("CALL-2026-0303-19"),
        "{reviewed}"
    );
    // The reviewer's reason is the reason shown for their verdict.
    assert!(reviewed.contains("only one real interruption"), "{reviewed}");
    // The sheet and stderr say what was left off, and how to include it.
    assert!(
        reviewed.contains(
            "*2 interaction(s) of this period are not on this sheet: nobody has reviewed them yet.*"
        ),
        "{reviewed}"
    );
    let (code, _, stderr) = db.run(&[
        "coach",
        "--employee",
        "E101",
        "--format",
        "md",
        "--date",
        "2026-03-31",
        "--out",
        out_arg,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "2 interactions left off the sheet: nobody has reviewed them yet (add \
             --include-unreviewed to include them, marked unreviewed)"
        ),
        "{stderr}"
    );
    // --all: one sheet, and the employees without one are named.
    let everyone = db.dir.path().join("everyone");
    let (code, _, stderr) = db.run(&[
        "coach",
        "--all",
        "--format",
        "md",
        "--date",
        "2026-03-31",
        "--out",
        everyone.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("wrote 1 coaching sheet to "), "{stderr}");
    let no_sheet = stderr.lines().find(|l| l.starts_with("no sheet for ")).expect("named");
    assert!(
        no_sheet.contains("E107")
            && !no_sheet.contains("E101")
            && no_sheet.contains("none of their interactions is reviewed yet"),
        "{no_sheet}"
    );

    let all = sheet(&["--include-unreviewed"]);
    assert!(all.contains("- **Evaluated:** 4 calls"), "{all}");
    assert!(
        all.contains("*2 of the 4 scorecards on this sheet have not been reviewed by a person yet"),
        "{all}"
    );
    let unreviewed_rows: Vec<&str> =
        all.lines().filter(|l| l.contains("| *unreviewed* |")).collect();
    assert_eq!(unreviewed_rows.len(), 2, "{all}");
    assert!(unreviewed_rows.iter().any(|l| l.contains("CALL-2026-0303-19")));

    // The summary: only reviewed scorecards by default (fewer than three employees: hidden),
    // a CSV column counting unreviewed verdicts with the flag.
    let (code, md, stderr) = db.run(&["summary", "--format", "md", "--date", "2026-03-31"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        md.contains("| Reviewed scorecards | 2 |")
            && md.contains("| Unreviewed (automatic) scorecards | 0 |"),
        "{md}"
    );
    // 15 interactions, 2 reviewed: 13 left out of the figures, said in the summary and on
    // stderr; the "worth a human look" list still covers them, marked unreviewed.
    assert!(
        md.contains(
            "*13 interaction(s) of this period are left out of these figures because \
             nobody has reviewed them yet (--include-unreviewed includes them)"
        ),
        "{md}"
    );
    assert!(stderr.contains("13 interactions left out of the summary's figures"), "{stderr}");
    assert!(stderr.contains("--include-unreviewed"), "{stderr}");
    let (_, look) = md.split_once("## Worth a human look").expect("the list");
    assert!(look.contains("*(unreviewed)*"), "{look}");
    let md = db.ok(&["summary", "--format", "md", "--include-unreviewed", "--date", "2026-03-31"]);
    assert!(md.contains("| Unreviewed (automatic) scorecards | 13 |"), "{md}");
    assert!(md.contains("*(unreviewed)*"), "{md}");
    let csv = db.ok(&["summary", "--format", "csv", "--include-unreviewed"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.iter().next_back(), Some("unreviewed"));
    let greeting = reader
        .records()
        .map(|r| r.expect("row"))
        .find(|r| &r[1] == "greeting")
        .expect("greeting row");
    // 15 greetings applied, 2 of them reviewed.
    assert_eq!((&greeting[4], greeting.iter().next_back()), ("15", Some("13")));
}

#[test]
fn disputes_are_opened_decided_once_listed_and_shown() {
    let db = sample_db(true);
    // James Okafor (E107) disputes the courtesy verdict of his poor broadband call (automatic,
    // nobody has reviewed it) and, after QA1's review, the closing of his furniture call.
    let out = db.ok(&[
        "dispute",
        "open",
        "CALL-2026-0303-02",
        "courtesy",
        "--employee",
        "E107",
        "--reason",
        "I apologised at the start",
    ]);
    assert_eq!(
        out.trim(),
        "opened dispute #1 of CALL-2026-0303-02 call-quality/courtesy (fail, automatic scorecard)"
    );
    // The same verdict again while #1 is open: refused, naming #1; nothing is added.
    let (code, _, stderr) = db.run(&[
        "dispute",
        "open",
        "CALL-2026-0303-02",
        "courtesy",
        "--employee",
        "E107",
        "--reason",
        "I really did",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "CALL-2026-0303-02: `courtesy` (call-quality) is already disputed: dispute #1, opened "
        ),
        "{stderr}"
    );
    db.review("CALL-2026-0304-22", "QA1", &[]);
    let out = db.ok(&[
        "dispute",
        "open",
        "CALL-2026-0304-22",
        "closing",
        "--employee",
        "E107",
        "--reason",
        "I asked if there was anything else",
    ]);
    assert!(
        out.contains("#2 of CALL-2026-0304-22 call-quality/closing (partial, QA1's review)"),
        "{out}"
    );

    let shown = db.ok(&["show", "CALL-2026-0304-22"]);
    assert!(
        shown.contains(
            "open disputes:\n  #2 call-quality/closing (partial, QA1's review) by E107 at "
        ),
        "{shown}"
    );

    let out = db.ok(&[
        "dispute",
        "decide",
        "1",
        "--outcome",
        "rejected",
        "--by",
        "LEAD1",
        "--note",
        "policy wall stands",
    ]);
    assert!(
        out.starts_with(
            "dispute #1 of CALL-2026-0303-02 call-quality/courtesy: rejected by LEAD1 at "
        ),
        "{out}"
    );
    let (code, _, stderr) =
        db.run(&["dispute", "decide", "1", "--outcome", "upheld", "--by", "LEAD2"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("dispute #1 was already decided (rejected, by LEAD1 at "), "{stderr}");

    let list = db.ok(&["dispute", "list", "--employee", "E107"]);
    assert!(
        list.contains("#1 rejected by LEAD1 at ") && list.contains("#2 open · CALL-2026-0304-22"),
        "{list}"
    );
    assert!(list.ends_with("2 dispute(s), 1 open\n"), "{list}");
    let open = db.ok(&["dispute", "list", "--open", "--format", "json"]);
    let ids: Vec<i64> = open
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json")["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, [2]);
    let csv = db.ok(&["dispute", "list", "--format", "csv"]);
    assert!(csv.starts_with("id,interaction,call_id,scorecard,scorecard_kind,reviewer,rubric,criterion,verdict,employee,reason,opened_at,outcome,decided_by,decided_at,note\n"), "{csv}");
    assert_eq!(db.ok(&["dispute", "list", "--employee", "E101"]).trim(), "no disputes match");

    // The coaching sheet marks the disputed verdict.
    let out = db.dir.path().join("sheets");
    db.ok(&[
        "coach",
        "--employee",
        "E107",
        "--format",
        "md",
        "--include-unreviewed",
        "--date",
        "2026-03-31",
        "--out",
        out.to_str().unwrap(),
    ]);
    let sheet = std::fs::read_to_string(out.join("coaching-E107.md")).expect("sheet");
    assert!(sheet.contains("**disputed: open**"), "{sheet}");
    assert!(
        sheet.contains("| QA1; **disputed: Offers further help and thanks (open)** |"),
        "{sheet}"
    );
    assert!(
        sheet.contains("| *unreviewed*; **disputed: Courteous, never dismissive (rejected)** |"),
        "{sheet}"
    );
    assert!(
        sheet.contains("1 disputed verdict(s) on this sheet are waiting for a decision"),
        "{sheet}"
    );
}

#[test]
fn bad_inputs_are_clear_errors_and_store_nothing() {
    let db = sample_db(true);
    let reviews =
        |db: &Db| query_rows(&db.path, "SELECT count(*) FROM scorecards WHERE kind = 'reviewed'");
    let accept = db.decisions("accept", &[]);
    let accept = accept.to_str().unwrap();
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["review", "NO-SUCH-CALL", "--reviewer", "QA1", "--decisions", accept],
            "no interaction with the id or call id `NO-SUCH-CALL`".into(),
        ),
        (
            vec![
                "review",
                "CALL-2026-0302-11",
                "--reviewer",
                "QA1",
                "--decisions",
                accept,
                "--rubric",
                "complaint-call",
            ],
            "CALL-2026-0302-11 has no scorecard of rubric `complaint-call` (it has: call-quality)"
                .into(),
        ),
        (
            vec![
                "dispute",
                "open",
                "NO-SUCH-CALL",
                "closing",
                "--employee",
                "E101",
                "--reason",
                "x",
            ],
            "no interaction with the id or call id `NO-SUCH-CALL`".into(),
        ),
        (
            vec![
                "dispute",
                "open",
                "CALL-2026-0302-11",
                "empathy",
                "--employee",
                "E101",
                "--reason",
                "x",
            ],
            "CALL-2026-0302-11 has no criterion `empathy` (its criteria: greeting, introduction,"
                .into(),
        ),
        (
            vec![
                "dispute",
                "open",
                "CALL-2026-0302-11",
                "closing",
                "--employee",
                "E107",
                "--reason",
                "x",
            ],
            "CALL-2026-0302-11 is not E107's interaction (it is E101's)".into(),
        ),
        (
            vec!["dispute", "decide", "42", "--outcome", "upheld", "--by", "LEAD1"],
            "no dispute #42; `qadesk dispute list` shows them".into(),
        ),
        (
            vec!["calibrate", "--rubric", "complaint-call"],
            "no reviews with rubric `complaint-call` (reviewed rubrics: none yet)".into(),
        ),
        (
            vec!["review", "CALL-2026-0302-11", "--reviewer", "QA1"],
            "`qadesk review` needs a terminal to ask".into(),
        ),
    ];
    for (args, expected) in &cases {
        let (code, _, stderr) = db.run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(expected.as_str()), "{args:?}: {stderr}");
    }

    // A decisions file with a problem on many lines: each is named, nothing is stored.
    let bad = db.dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "interaction = \"CALL-2026-0304-05\"\n\
         colour = \"blue\"\n\
         \n\
         [decisions]\n\
         greeting = \"acept\"\n\
         introduction = { verdict = \"partial\", reason = \"half a name\" }\n\
         needs-clarification = { verdict = \"fail\" }\n\
         confirmation = { verdict = \"pass\", reason = \"fine\" }\n\
         product-knowledge = { verdict = \"great\", reason = \"x\" }\n\
         offers-options = { verdict = \"fail\", reason = \"x\", points = 3 }\n\
         courtesy = 5\n\
         empathy = \"accept\"\n",
    )
    .expect("write");
    let (code, _, stderr) = db.run(&[
        "review",
        "CALL-2026-0304-05",
        "--reviewer",
        "QA1",
        "--decisions",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    let shown = bad.display().to_string();
    let expected = [
        ":2: unexpected `colour`",
        ":4: no decision for `objection-handling`, `no-interruption`, `closing`",
        ":5: `greeting = \"acept\"`: write \"accept\"",
        ":6: `introduction` is pass-fail: partial is not one of its verdicts (pass, fail, na)",
        ":7: `needs-clarification`: an override needs a `reason`",
        ":8: `confirmation`: the override gives the automatic verdict (pass) again; accept it instead",
        ":9: `product-knowledge`: `great` is not a verdict",
        ":10: `offers-options` has an unknown key `points`",
        ":11: `courtesy`: write \"accept\" or",
        ":12: `empathy` is not a criterion of call-quality",
    ];
    let lines: Vec<&str> = stderr.lines().collect();
    for (line, part) in lines.iter().zip(expected) {
        assert!(line.contains(&format!("{shown}{part}")), "{line} lacks {part}\n{stderr}");
    }
    assert_eq!(lines.len(), expected.len() + 1, "{stderr}");
    assert_eq!(lines.last(), Some(&"nothing was stored"));
    // A file for another interaction, and a file that is not TOML.
    let (code, _, stderr) = db.run(&[
        "review",
        "CALL-2026-0302-11",
        "--reviewer",
        "QA1",
        "--decisions",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the file is for interaction `CALL-2026-0304-05`, not CALL-2026-0302-11"),
        "{stderr}"
    );
    std::fs::write(&bad, "[decisions]\ngreeting = accept\n").expect("write");
    let (code, _, stderr) = db.run(&[
        "review",
        "CALL-2026-0302-11",
        "--reviewer",
        "QA1",
        "--decisions",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains(&format!("{shown}:2: ")), "{stderr}");
    assert_eq!(reviews(&db), ["Integer(0)"], "nothing was stored");
    assert!(Path::new(&db.path).exists());
}
