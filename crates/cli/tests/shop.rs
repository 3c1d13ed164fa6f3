//! `qadesk shop import` and `shop print` as a shopper and a QA lead use them: the sample
//! answer files into a real database, and every kind of bad answer file in one batch.

mod common;

use std::path::Path;

use common::{query_rows, run_qadesk, workspace};

fn import(db: &Path, files: &[&str], checklist: &str) -> (i32, String, String) {
    let db = db.display().to_string();
    let mut args = vec!["--db", &db, "shop", "import", "--checklist", checklist];
    args.extend(files);
    run_qadesk(&args, &[])
}

fn rows(db: &Path, sql: &str) -> Vec<String> {
    query_rows(db, sql)
}

#[test]
fn sample_answer_files_are_imported_once_with_answers_attachments_and_scores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("shop.db");
    let files = ["samples/answers/visit-2026-03-12-oslo.toml", "samples/answers/visits-march.csv"];
    let (code, _, stderr) = import(&db, &files, "samples/checklists/store-visit.toml");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("imported 3, already stored 0, failed 0"), "{stderr}");
    let (code, _, stderr) = import(&db, &files, "samples/checklists/store-visit.toml");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("imported 0, already stored 3, failed 0"), "{stderr}");

    assert_eq!(
        rows(&db, "SELECT call_id, kind, employee_id FROM interactions ORDER BY call_id"),
        [
            "Text(\"VISIT-2026-0312-01\")|Text(\"visit\")|Text(\"E101\")",
            "Text(\"VISIT-2026-0313-02\")|Text(\"visit\")|Text(\"E107\")",
            "Text(\"VISIT-2026-0314-01\")|Text(\"visit\")|Null",
        ]
    );
    // The employee whose name the shopper did not know is described, not guessed.
    assert_eq!(
        rows(&db, "SELECT employee_description, shopper_id FROM visits WHERE time_in = '16:40:00'"),
        ["Text(\"tall, grey jacket, at the till\")|Text(\"S09\")"]
    );
    // Answers in the checklist's order, free text kept, the receipt by path and hash.
    let answers = rows(
        &db,
        "SELECT a.question, a.kind, a.number, a.text FROM answers a
         JOIN interactions i ON i.id = a.interaction_id
         WHERE i.call_id = 'VISIT-2026-0312-01' ORDER BY a.position",
    );
    assert_eq!(answers.len(), 11);
    assert!(answers[0].starts_with("Text(\"greeted-within-min\")|Text(\"number\")|Real(2.0)"));
    assert!(answers[10].contains("forgot to thank me"), "{answers:?}");
    let receipt = rows(&db, "SELECT path, sha256, size_bytes FROM attachments");
    assert_eq!(receipt.len(), 1);
    let bytes = std::fs::read(workspace().join("samples/answers/receipt-2026-03-12.jpg")).unwrap();
    assert!(receipt[0].ends_with(&format!("|Integer({})", bytes.len())), "{receipt:?}");
    // By hand for VISIT-2026-0313-02: welcome 0 % (weight 2); selling 0 + 2.5 + 5 + 0 of 40 =
    // 18.75 % (weight 3); farewell 10 of 15 = 66.67 % (weight 1) → (56.25 + 66.67) / 6 = 20.49.
    assert_eq!(
        rows(
            &db,
            "SELECT s.score, s.band FROM scorecards s JOIN interactions i ON i.id = s.interaction_id
             ORDER BY i.call_id"
        ),
        ["Real(63.89)|Text(\"Needs work\")", "Real(20.49)|Text(\"Needs work\")", "Real(100.0)|Text(\"Excellent\")"]
    );
}

#[test]
fn each_bad_visit_fails_alone_with_every_problem_named_and_nothing_half_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.display().to_string()
    };
    let good =
        std::fs::read_to_string(workspace().join("samples/answers/visit-2026-03-12-oslo.toml"))
            .expect("sample");
    let good = good.replace("receipt = \"receipt-2026-03-12.jpg\"\n", "");
    let files = [
        write("good.toml", &good),
        write(
            "unknown-question.toml",
            &good.replace("closing = \"no\"", "closing = \"no\"\ncolour = \"red\""),
        ),
        write("off-scale.toml", &good.replace("product-knowledge = 4", "product-knowledge = 9")),
        write("missing-required.toml", &good.replace("closing = \"no\"\n", "")),
        write(
            "missing-file.toml",
            &good.replace("tidiness", "receipt = \"nowhere.jpg\"\ntidiness"),
        ),
        write(
            "other-checklist.toml",
            &good.replace("checklist = \"store-visit\"", "checklist = \"mystery-call\""),
        ),
        write("broken.toml", "checklist = \"store-visit\"\n[visit\n"),
        write(
            "rows.csv",
            "id,date,employee,greeted-within-min,needs-asked,product-knowledge,options-offered,objection-raised,closing,tidiness\n\
             CSV-1,2026-03-20,E101,0,no,5,one,no,yes,good\n\
             CSV-2,2026-03-21,E101,0,no,5\n\
             CSV-3,2026-02-30,E101,0,no,5,one,no,yes,good\n",
        ),
    ];
    let db = dir.path().join("shop.db");
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let (code, _, stderr) = import(&db, &args, "samples/checklists/store-visit.toml");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("imported 2, already stored 0, failed 8"), "{stderr}");
    let expected = [
        ("unknown-question.toml", "unknown question `colour`"),
        ("off-scale.toml", "`product-knowledge`: \"9\" is not a whole number from 1 to 5"),
        ("missing-required.toml", "required question `closing` has no answer"),
        ("missing-file.toml", "`receipt`: attachment"),
        ("other-checklist.toml", "written for checklist `mystery-call`, not `store-visit`"),
        ("broken.toml:2", "unclosed table"),
        ("rows.csv:3", "the row has 6 fields, the header 10"),
        ("rows.csv:4", "`date`: date `2026-02-30`: no such day"),
    ];
    for (file, message) in expected {
        let line = stderr
            .lines()
            .position(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file}: {stderr}"));
        let block: String = stderr.lines().skip(line).take(4).collect::<Vec<_>>().join("\n");
        assert!(block.contains(message), "{file} should say {message:?}: {block}");
    }
    assert_eq!(
        rows(&db, "SELECT call_id FROM interactions ORDER BY call_id"),
        ["Text(\"CSV-1\")", "Text(\"VISIT-2026-0312-01\")"]
    );
    // A failed visit leaves no answers or scorecards behind.
    assert_eq!(rows(&db, "SELECT count(*) FROM answers"), ["Integer(17)"]);
    assert_eq!(rows(&db, "SELECT count(*) FROM scorecards"), ["Integer(2)"]);
}
