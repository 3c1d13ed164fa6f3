//! `qadesk shop fill` driven as a shopper drives it: the real binary in a pseudo-terminal,
//! keys sent one answer at a time, including an invalid answer, going back with Esc, stopping
//! with Ctrl-C and resuming the draft.

mod common;

use std::path::Path;
use std::process::Command;

use common::pty::answer;
use common::workspace;
use expectrl::{ControlCode, Expect};

fn fill(dir: &Path) -> expectrl::session::OsSession {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("qadesk"));
    command.current_dir(dir).env("TERM", "xterm").args([
        "--db",
        "shop.db",
        "shop",
        "fill",
        &workspace().join("samples/checklists/store-visit.toml").display().to_string(),
        "--id",
        "VISIT-TEST-1",
        "--employee",
        "E101",
        "--location",
        "Oslo",
    ]);
    common::pty::spawn(command)
}

#[test]
fn a_shopper_fills_goes_back_stops_resumes_and_stores_the_visit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = fill(dir.path());
    answer(&mut s, "Visit id", "");
    answer(&mut s, "Location", "");
    answer(&mut s, "Date", "");
    answer(&mut s, "Time in", "14:05");
    answer(&mut s, "Time out", "14:30");
    answer(&mut s, "Employee id", "");
    answer(&mut s, "Your shopper id", "S07");
    // An invalid answer is refused with the reason; the shopper corrects it.
    answer(&mut s, "How many minutes", "abc");
    s.expect("is not a number").expect("the reason is shown");
    s.send("\x7f\x7f\x7f2\r").expect("correct it");
    answer(&mut s, "ask what you need", "yes");
    answer(&mut s, "What did the employee ask about", "1,2");
    answer(&mut s, "know the products", "3");
    // Esc on the next question goes back; the earlier answer is corrected.
    s.expect("How many options").expect("options question");
    s.send(ControlCode::Escape).expect("esc");
    s.expect("know the products").expect("back one question");
    s.send("\x7f4\r").expect("change 3 to 4");
    answer(&mut s, "How many options", "3");
    answer(&mut s, "raise the objection", "no");
    // Ctrl-C stops; the draft keeps every answer so far.
    s.expect("thank you and invite you back").expect("closing question");
    s.send(ControlCode::EndOfText).expect("ctrl-c");
    s.expect(expectrl::Eof).expect("qadesk stops");
    let draft = std::fs::read_to_string(dir.path().join("store-visit.draft.toml")).expect("draft");
    assert!(draft.contains("product-knowledge = \"4\""), "{draft}");
    assert!(draft.contains("options-offered = \"several\""), "{draft}");
    assert!(draft.contains("needs-topics = \"use,budget\""), "{draft}");
    assert!(!draft.contains("closing"), "{draft}");

    // Running the same command again resumes at the first unanswered question.
    let mut s = fill(dir.path());
    answer(&mut s, "Resume the draft", "y");
    answer(&mut s, "thank you and invite you back", "yes");
    answer(&mut s, "How tidy", "good");
    answer(&mut s, "receipt", "");
    answer(&mut s, "Anything else", "Quick and friendly.");
    s.expect("summary").expect("a summary to confirm");
    answer(&mut s, "Store this visit?", "y");
    s.expect("stored visit VISIT-TEST-1").expect("stored");
    s.expect(expectrl::Eof).expect("qadesk ends");

    assert!(
        !dir.path().join("store-visit.draft.toml").exists(),
        "the draft is removed once stored"
    );
    let conn = rusqlite::Connection::open(dir.path().join("shop.db")).expect("db");
    let (answers, employee, time_in): (i64, String, String) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM answers), i.employee_id, v.time_in
             FROM interactions i JOIN visits v ON v.interaction_id = i.id
             WHERE i.call_id = 'VISIT-TEST-1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the visit is stored");
    assert_eq!((answers, employee.as_str(), time_in.as_str()), (9, "E101", "14:05:00"));
    let knowledge: f64 = conn
        .query_row("SELECT number FROM answers WHERE question = 'product-knowledge'", [], |r| {
            r.get(0)
        })
        .expect("answer");
    assert_eq!(knowledge, 4.0, "the answer changed after going back is the one stored");
}
