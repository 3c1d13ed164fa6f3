//! `qadesk coach` and `qadesk summary` on the sample calls (issue 6): reviewed snapshots of
//! the rendered sheets and summaries, privacy (a sheet names only its employee, customer
//! details are masked), suppression of small breakdowns, and template errors that point at the
//! template, line and expression.

mod common;

use std::path::Path;

use common::{report_sample_db as sample_db, run_qadesk, workspace};

/// Runs qadesk against `db` with a fixed "prepared on" date, so output can be compared. Nobody
/// has reviewed the sample calls, so sheets and summaries include the unreviewed ones (their
/// automatic scorecards, marked so); `reviewed` sheets are in tests/review.rs.
fn qadesk(db: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--db", db.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    if matches!(args.first(), Some(&"coach") | Some(&"summary")) {
        all.extend_from_slice(&["--date", "2026-03-31", "--include-unreviewed"]);
    }
    run_qadesk(&all, &[])
}

/// (id, name) of every employee in the test metadata.
fn sample_employees() -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(workspace().join("tests/data/report/metadata.csv")).expect("csv");
    let mut employees: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (!fields[2].is_empty()).then(|| (fields[2].to_string(), fields[3].to_string()))
        })
        .collect();
    employees.sort();
    employees.dedup();
    employees
}

fn snapshots() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace().join("tests/snapshots/report"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

#[test]
fn coaching_sheets_of_the_samples_match_their_reviewed_snapshots() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_db(dir.path());
    // E101: strengths and focus areas; E107: a critical miss, a chat and a mystery call;
    // E105: a visit; E103 in Norwegian.
    let cases = [
        ("E101", "md", "en"),
        ("E107", "md", "en"),
        ("E105", "md", "en"),
        ("E103", "md", "nb"),
        ("E107", "html", "en"),
    ];
    for (employee, format, lang) in cases {
        let out = dir.path().join(format!("{employee}-{lang}"));
        let (code, _, stderr) = qadesk(
            &db,
            &["coach", "--employee", employee, "--format", format, "--lang", lang, "--out"]
                .into_iter()
                .chain([out.to_str().expect("utf-8")])
                .collect::<Vec<_>>(),
        );
        assert_eq!(code, 0, "{employee}: {stderr}");
        let sheet = std::fs::read_to_string(out.join(format!("coaching-{employee}.{format}")))
            .expect("sheet written");
        snapshots().bind(|| {
            insta::assert_snapshot!(format!("coach-{employee}-{lang}-{format}"), sheet);
        });
    }
}

#[test]
fn every_sample_sheet_names_only_its_own_employee() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_db(dir.path());
    let employees = sample_employees();
    assert!(employees.len() >= 7, "{employees:?}");
    for format in ["html", "md"] {
        let out = dir.path().join(format);
        let (code, _, stderr) =
            qadesk(&db, &["coach", "--all", "--format", format, "--out", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{stderr}");
        for (id, name) in &employees {
            let sheet = std::fs::read_to_string(out.join(format!("coaching-{id}.{format}")))
                .unwrap_or_else(|e| panic!("no {format} sheet for {id}: {e}"));
            assert!(sheet.contains(id.as_str()) && sheet.contains(name.as_str()), "{id} {format}");
            for (other_id, other_name) in employees.iter().filter(|(o, _)| o != id) {
                assert!(
                    !sheet.contains(other_id.as_str()),
                    "{id}'s {format} sheet names {other_id}"
                );
                for part in other_name.split(' ').filter(|p| p.len() > 2) {
                    assert!(
                        !sheet.contains(part),
                        "{id}'s {format} sheet contains `{part}` of {other_name}"
                    );
                }
            }
        }
        let files = std::fs::read_dir(&out).expect("out").count();
        assert_eq!(files, employees.len(), "one {format} sheet per employee, nothing else");
    }
}

#[test]
fn customer_details_in_quotes_are_masked_on_the_sheet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_db(dir.path());
    let out = dir.path().join("out");
    let (code, _, stderr) =
        qadesk(&db, &["coach", "--all", "--format", "md", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let mut all = String::new();
    for entry in std::fs::read_dir(&out).expect("out") {
        all.push_str(&std::fs::read_to_string(entry.expect("entry").path()).expect("sheet"));
    }
    // Account, meter and order numbers and an address the sample customers give.
    for detail in ["4471", "0923", "04512", "20417", "40718", "Mill Lane"] {
        assert!(!all.contains(detail), "`{detail}` is not masked");
    }
    assert!(all.contains("•••"), "the samples' quotes have details to mask");
}

#[test]
fn the_summary_of_the_samples_matches_its_reviewed_snapshots() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_db(dir.path());
    for format in ["md", "csv", "html"] {
        let (code, stdout, stderr) = qadesk(&db, &["summary", "--format", format]);
        assert_eq!(code, 0, "{stderr}");
        snapshots().bind(|| insta::assert_snapshot!(format!("summary-{format}"), stdout));
    }
}

#[test]
fn summary_breakdowns_over_fewer_than_three_employees_are_suppressed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_db(dir.path());
    // 2–5 March: only Anna Berg (E101) and James Okafor (E107) took calls.
    let (code, stdout, stderr) = qadesk(
        &db,
        &["summary", "--since", "2026-03-02", "--until", "2026-03-05", "--format", "md"],
    );
    assert_eq!(code, 0, "{stderr}");
    // Interactions to review still name who took them (this report is the lead's); the
    // per-employee volume and the distribution are breakdowns, and are left out.
    let (_, volume) = stdout.split_once("## Volume per employee").expect("volume section");
    assert_eq!(volume.trim(), "Not shown: it would cover fewer than 3 employees.");
    let (_, distribution) = stdout.split_once("## Score distribution").expect("distribution");
    assert!(
        distribution.trim_start().starts_with("Not shown: it would cover fewer than 3 employees."),
        "{distribution}"
    );
    let rates: Vec<&str> = stdout.lines().filter(|l| l.starts_with("| Call quality |")).collect();
    assert_eq!(rates.len(), 10, "{stdout}");
    assert!(rates.iter().all(|l| !l.contains('%')), "a rate over two employees shown: {rates:?}");
    // The CSV of the same period has no counts either.
    let (_, csv, _) = qadesk(
        &db,
        &["summary", "--since", "2026-03-02", "--until", "2026-03-05", "--format", "csv"],
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("record");
        rows += 1;
        assert_eq!(&record[column("suppressed")], "true", "{record:?}");
        for name in ["applicable", "passed", "partial", "failed", "pass_rate_percent"] {
            assert_eq!(&record[column(name)], "", "{name} leaked: {record:?}");
        }
    }
    assert_eq!(rows, 10);
    // The whole sample period has seven employees: everything is shown.
    let (_, full, _) = qadesk(&db, &["summary", "--format", "md"]);
    assert!(full.contains("| Anna Berg (E101) | 4 |") && !full.contains("Not shown"), "{full}");
}

#[test]
fn template_errors_name_the_template_line_and_expression() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_db(dir.path());
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(templates.join("labels")).expect("dir");
    std::fs::write(
        templates.join("coach.md"),
        "# {{ t.sheet_title }}\n\nHello {{ sheet.emplyee.name }}\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    let (code, _, stderr) = qadesk(
        &db,
        &[
            "coach",
            "--employee",
            "E101",
            "--format",
            "md",
            "--templates",
            templates.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("template `coach.md`, line 3"), "{stderr}");
    assert!(stderr.contains("sheet.emplyee.name"), "{stderr}");

    // A syntax error is reported when the templates are loaded, before any sheet is written.
    std::fs::write(templates.join("coach.md"), "ok\n{% for x in sheet.focus %}\n").expect("write");
    let (code, _, stderr) = qadesk(
        &db,
        &[
            "coach",
            "--all",
            "--format",
            "md",
            "--templates",
            templates.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("template `coach.md`") && stderr.contains("line"), "{stderr}");
    assert!(!out.join("coaching-E101.md").exists());

    // A new language is a labels file; one that lacks labels is refused, naming them.
    std::fs::remove_file(templates.join("coach.md")).expect("remove");
    std::fs::write(templates.join("labels/it.toml"), "sheet_title = \"Scheda di coaching\"\n")
        .expect("write");
    let (code, _, stderr) = qadesk(
        &db,
        &[
            "coach",
            "--employee",
            "E102",
            "--lang",
            "it",
            "--templates",
            templates.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("labels `labels/it.toml`: missing labels"), "{stderr}");
    assert!(stderr.contains("confidential") && stderr.contains("kinds"), "{stderr}");
}

#[test]
fn a_full_labels_file_adds_a_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_db(dir.path());
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(templates.join("labels")).expect("dir");
    let english =
        std::fs::read_to_string(workspace().join("templates/labels/en.toml")).expect("en");
    std::fs::write(
        templates.join("labels/it.toml"),
        english.replace("sheet_title = \"Coaching sheet\"", "sheet_title = \"Scheda di coaching\""),
    )
    .expect("write");
    let out = dir.path().join("out");
    let (code, _, stderr) = qadesk(
        &db,
        &[
            "coach",
            "--employee",
            "E104",
            "--format",
            "md",
            "--lang",
            "it",
            "--templates",
            templates.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let sheet = std::fs::read_to_string(out.join("coaching-E104.md")).expect("sheet");
    assert!(sheet.starts_with("# Scheda di coaching: Lucía Pérez"), "{sheet}");
    // The line to try comes in the language of Lucía's (Spanish) calls, not the sheet's.
    assert!(sheet.contains("“Se lo pedimos para proteger su cuenta"), "{sheet}");
}

#[test]
fn usage_errors_name_what_is_wrong() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_db(dir.path());
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["coach", "--employee", "E999", "--out", out], "no employee `E999`"),
        (
            &["coach", "--employee", "E101", "--lang", "xx", "--out", out],
            "no labels for language `xx` (available: en, nb)",
        ),
        (
            &["coach", "--employee", "E101", "--since", "2027-01-01", "--out", out],
            "no scored interactions for employee `E101` since 2027-01-01",
        ),
        (
            &[
                "coach",
                "--employee",
                "E101",
                "--since",
                "2026-03-05",
                "--until",
                "2026-03-01",
                "--out",
                out,
            ],
            "--since 2026-03-05 is after --until 2026-03-01",
        ),
        (
            &["coach", "--all", "--templates", "no/such/dir", "--out", out],
            "no/such/dir: not a folder of templates",
        ),
    ];
    for (args, expected) in cases {
        let (code, _, stderr) = qadesk(&db, args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = run_qadesk(&["--db", db.to_str().unwrap(), "coach", "--out", out], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--employee <ID>"), "{stderr}");
}

/// Human review (issue 7): a sheet from reviewed scorecards only (the default), with a
/// reviewer's override and the employee's open dispute; and the same employee with the
/// unreviewed calls included, marked, in HTML.
#[test]
fn sheets_of_reviewed_interactions_match_their_reviewed_snapshots() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_db(dir.path());
    let db_arg = db.to_str().expect("utf-8");
    let run = |args: &[&str]| {
        let mut all = vec!["--db", db_arg];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = run_qadesk(&all, &[]);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        stdout
    };
    // Anna Berg (E101): QA1 accepts her broadband call as it is, and overrides the
    // interruption verdict of her insurance call; she disputes the confirmation verdict.
    let accept = workspace().join("samples/reviews/en-broadband-good.QA1.toml");
    run(&[
        "review",
        "CALL-2026-0302-11",
        "--reviewer",
        "QA1",
        "--decisions",
        accept.to_str().unwrap(),
    ]);
    let decisions = dir.path().join("insurance.toml");
    let mut text = std::fs::read_to_string(&accept).expect("sample decisions");
    text = text.replace(
        "no-interruption = \"accept\"",
        "no-interruption = { verdict = \"partial\", reason = \"two of the three overlaps were the customer pausing\" }",
    );
    std::fs::write(&decisions, text).expect("write");
    run(&[
        "review",
        "CALL-2026-0305-03",
        "--reviewer",
        "QA1",
        "--decisions",
        decisions.to_str().unwrap(),
    ]);
    run(&[
        "dispute",
        "open",
        "CALL-2026-0305-03",
        "confirmation",
        "--employee",
        "E101",
        "--reason",
        "I read the claim number back to him",
    ]);
    let out = dir.path().join("sheets");
    let sheet = |args: &[&str], format: &str| {
        let mut all =
            vec!["coach", "--employee", "E101", "--date", "2026-03-31", "--format", format];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--out", out.to_str().unwrap()]);
        run(&all);
        std::fs::read_to_string(out.join(format!("coaching-E101.{format}"))).expect("sheet")
    };
    let reviewed = sheet(&[], "md");
    let mixed = sheet(&["--include-unreviewed"], "html");
    snapshots().bind(|| {
        insta::assert_snapshot!("coach-E101-reviewed-en-md", reviewed);
        insta::assert_snapshot!("coach-E101-with-unreviewed-en-html", mixed);
    });
}
