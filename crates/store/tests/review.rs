//! Human review in a real SQLite file (issue 7): reviewed scorecards beside untouched automatic
//! ones, a reviewer's second review replacing their first, disputes decided once, reports
//! preferring reviews, deletes cascading, and an older file migrated with every row kept.

use std::path::{Path, PathBuf};

use qadesk_domain::{
    CriterionDecision, CriterionResult, Evidence, Outcome, Role, Scorecard, SectionResult, Segment,
    Transcript, Verdict,
};
use qadesk_store::{
    Filter, Metadata, NewDispute, NewInteraction, NewReview, RubricText, SCHEMA_VERSION,
    SourceFile, Store, StoreError, Stored,
};
use rusqlite::Connection;
use tempfile::TempDir;

struct Db {
    _dir: TempDir,
    path: PathBuf,
}

fn new_db() -> Db {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("qadesk.db");
    Db { _dir: dir, path }
}

fn raw(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("raw connection");
    conn.pragma_update(None, "foreign_keys", "ON").expect("foreign keys");
    conn
}

/// Every row a query returns, as text, for comparing tables before and after.
fn rows(conn: &Connection, sql: &str) -> Vec<String> {
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

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn rubric(store: &mut Store) -> i64 {
    store
        .rubric(&RubricText {
            rubric_id: "call-quality",
            version: 1,
            title: "Call quality",
            sha256: &format!("{:064x}", 0xab01),
            toml: "id = \"call-quality\"\n",
        })
        .expect("rubric")
}

fn result(id: &str, verdict: Verdict, points: f64, quote: &str) -> CriterionResult {
    CriterionResult {
        id: id.into(),
        section: "s".into(),
        verdict,
        points,
        max: 10.0,
        value: None,
        critical_miss: false,
        evidence: vec![Evidence {
            speaker: Role::Agent,
            start_ms: Some(0),
            end_ms: Some(2_000),
            quote: quote.into(),
            turn: Some(1),
        }],
        reason: format!("{id} automatic reason"),
    }
}

fn automatic(call_id: &str) -> Scorecard {
    Scorecard {
        interaction: call_id.into(),
        rubric: "call-quality".into(),
        rubric_version: 1,
        score: Some(50.0),
        band: Some("Poor".into()),
        score_unit: "percent".into(),
        points: 10.0,
        max_points: 20.0,
        language: Some("en".into()),
        critical_miss: false,
        sections: vec![SectionResult {
            id: "s".into(),
            score: Some(50.0),
            points: 10.0,
            max: 20.0,
            critical_miss: false,
        }],
        criteria: vec![
            result("greeting", Verdict::Pass, 10.0, "Good morning."),
            result("closing", Verdict::Fail, 0.0, "Bye."),
        ],
    }
}

/// The automatic card with `closing` overridden to pass by a reviewer.
fn reviewed(call_id: &str, reason: &str) -> (Scorecard, Vec<CriterionDecision>) {
    let mut card = automatic(call_id);
    card.score = Some(100.0);
    card.band = Some("Good".into());
    card.points = 20.0;
    card.sections[0].score = Some(100.0);
    card.sections[0].points = 20.0;
    card.criteria[1].verdict = Verdict::Pass;
    card.criteria[1].points = 10.0;
    card.criteria[1].reason = reason.into();
    let decisions = vec![
        CriterionDecision {
            criterion: "greeting".into(),
            accepted: true,
            automatic_verdict: Verdict::Pass,
            automatic_points: 10.0,
            reason: None,
        },
        CriterionDecision {
            criterion: "closing".into(),
            accepted: false,
            automatic_verdict: Verdict::Fail,
            automatic_points: 0.0,
            reason: Some(reason.into()),
        },
    ];
    (card, decisions)
}

fn call(call_id: &str, n: u32, employee: &str, date: &str, rubric: i64) -> NewInteraction {
    NewInteraction {
        source: SourceFile { path: format!("{call_id}.txt"), sha256: format!("{n:064x}") },
        meta: Metadata {
            call_id: call_id.into(),
            employee_id: Some(employee.into()),
            started_at: Some(date.into()),
            ..Metadata::default()
        },
        recording: None,
        transcript: Some(Transcript {
            language: Some("en".into()),
            segments: vec![Segment::timed(Role::Agent, 0, 2_000, "Good morning.")],
        }),
        origin: "file:txt".into(),
        metrics: None,
        scorecards: vec![(rubric, automatic(call_id))],
        visit: None,
        answers: Vec::new(),
        attachments: Vec::new(),
        redactions: Vec::new(),
    }
}

/// Two calls of e1 and one of e2, oldest first: ids 1, 2, 3.
fn three_calls(path: &Path) -> (Store, i64) {
    let mut store = Store::open(path).expect("open");
    let rubric = rubric(&mut store);
    let items = [
        call("c1", 1, "e1", "2024-03-01", rubric),
        call("c2", 2, "e1", "2024-03-02", rubric),
        call("c3", 3, "e2", "2024-03-03", rubric),
    ];
    for outcome in store.insert_batch(&items).expect("batch") {
        assert!(matches!(outcome, Ok(Stored::Inserted { .. })), "{outcome:?}");
    }
    (store, rubric)
}

fn review(store: &mut Store, call_id: &str, reviewer: &str, reason: &str) -> (i64, bool) {
    let target = store.review_targets(call_id).expect("targets").remove(0);
    assert_eq!(target.card.criteria.len(), 2, "the automatic card comes back whole");
    let (card, decisions) = reviewed(call_id, reason);
    let saved = store
        .save_review(&NewReview {
            automatic: target.scorecard,
            automatic_scored_at: &target.scored_at,
            reviewer,
            card: &card,
            decisions: &decisions,
        })
        .expect("review stored");
    (saved.scorecard, saved.replaced)
}

/// Every row of the automatic scorecards: the cards, their sections, criteria and evidence.
fn automatic_rows(conn: &Connection) -> Vec<String> {
    [
        "SELECT * FROM scorecards WHERE kind = 'automatic' ORDER BY id",
        "SELECT x.* FROM section_results x JOIN scorecards s ON s.id = x.scorecard_id
         WHERE s.kind = 'automatic' ORDER BY 1, 2",
        "SELECT c.* FROM criterion_results c JOIN scorecards s ON s.id = c.scorecard_id
         WHERE s.kind = 'automatic' ORDER BY 1, 2",
        "SELECT v.* FROM evidence v JOIN scorecards s ON s.id = v.scorecard_id
         WHERE s.kind = 'automatic' ORDER BY 1, 2, 3",
    ]
    .iter()
    .flat_map(|sql| rows(conn, sql))
    .collect()
}

#[test]
fn a_review_sits_beside_the_untouched_automatic_scorecard_and_replaces_only_its_own() {
    let db = new_db();
    let (mut store, _) = three_calls(&db.path);
    let before = automatic_rows(&raw(&db.path));
    assert!(before.len() > 10, "{before:?}");

    let (first, replaced) = review(&mut store, "c1", "qa1", "said goodbye properly");
    assert!(!replaced);
    let (again, replaced) = review(&mut store, "c1", "qa1", "a warm goodbye");
    assert_eq!((again, replaced), (first, true), "same row, replaced");
    let (other, replaced) = review(&mut store, "1", "qa2", "thanked the customer");
    assert!(!replaced && other != first);

    let conn = raw(&db.path);
    assert_eq!(automatic_rows(&conn), before, "automatic rows unchanged, byte for byte");
    assert_eq!(count(&conn, "SELECT count(*) FROM scorecards WHERE kind = 'reviewed'"), 2);
    assert_eq!(count(&conn, "SELECT count(*) FROM review_decisions"), 4);
    assert_eq!(count(&conn, "SELECT count(*) FROM evidence WHERE scorecard_id = 4"), 2);

    let detail = store.detail("c1").expect("detail");
    assert_eq!(detail.scorecards.len(), 1, "show lists the automatic card once");
    assert_eq!(detail.scorecards[0].score, Some(50.0));
    let reviews: Vec<(&str, Option<f64>, &str)> = detail
        .reviews
        .iter()
        .map(|r| (r.reviewer.as_str(), r.scorecard.score, r.scorecard.criteria[1].reason.as_str()))
        .collect();
    assert_eq!(
        reviews,
        [("qa1", Some(100.0), "a warm goodbye"), ("qa2", Some(100.0), "thanked the customer")]
    );
    let decision = &detail.reviews[0].decisions[1];
    assert_eq!(
        (decision.accepted, decision.automatic_verdict, decision.reason.as_deref()),
        (false, Verdict::Fail, Some("a warm goodbye"))
    );

    // qa1 is done with c1; c2 is next. qa3 has reviewed nothing: c1.
    assert_eq!(store.next_unreviewed("qa1", None).expect("next").as_deref(), Some("c2"));
    assert_eq!(store.next_unreviewed("qa3", None).expect("next").as_deref(), Some("c1"));
    review(&mut store, "c2", "qa1", "fine");
    review(&mut store, "c3", "qa1", "fine");
    assert_eq!(store.next_unreviewed("qa1", None).expect("next"), None);

    // Calibration reads every reviewer's verdicts with the automatic verdict beside them.
    let ratings = store.ratings(&Filter::default(), Some("call-quality")).expect("ratings");
    let closing: Vec<(i64, &str, Verdict, Option<Verdict>)> = ratings
        .iter()
        .filter(|r| r.criterion == "closing")
        .map(|r| (r.interaction, r.reviewer.as_str(), r.verdict, r.automatic))
        .collect();
    assert_eq!(
        closing,
        [
            (1, "qa1", Verdict::Pass, Some(Verdict::Fail)),
            (1, "qa2", Verdict::Pass, Some(Verdict::Fail)),
            (2, "qa1", Verdict::Pass, Some(Verdict::Fail)),
            (3, "qa1", Verdict::Pass, Some(Verdict::Fail)),
        ]
    );
    assert!(store.ratings(&Filter::default(), Some("other")).expect("ratings").is_empty());
}

/// A second rubric ("other") and c1's automatic scorecard of it: c1 is then scored with two
/// rubrics, as a mystery call is.
fn second_rubric_on_c1(store: &mut Store) -> i64 {
    let other = store
        .rubric(&RubricText {
            rubric_id: "other",
            version: 1,
            title: "Other",
            sha256: &format!("{:064x}", 0xab02),
            toml: "id = \"other\"\n",
        })
        .expect("rubric");
    let mut card = automatic("c1");
    card.rubric = "other".into();
    store.save_scorecards(other, &[(1, card)]).expect("c1 scored with other");
    other
}

#[test]
fn next_with_a_rubric_skips_interactions_the_reviewer_reviewed_with_that_rubric() {
    let db = new_db();
    let (mut store, _) = three_calls(&db.path);
    second_rubric_on_c1(&mut store);
    // qa1 reviews c1's call-quality scorecard; its `other` scorecard is still to do.
    review(&mut store, "c1", "qa1", "fine");
    let next = |store: &Store, rubric| store.next_unreviewed("qa1", rubric).expect("next");
    assert_eq!(next(&store, None).as_deref(), Some("c1"), "c1's `other` card is unreviewed");
    assert_eq!(next(&store, Some("call-quality")).as_deref(), Some("c2"), "c1 is done for it");
    assert_eq!(next(&store, Some("other")).as_deref(), Some("c1"));
    assert_eq!(next(&store, Some("missing")), None, "no scorecard of that rubric at all");
    review(&mut store, "c2", "qa1", "fine");
    review(&mut store, "c3", "qa1", "fine");
    assert_eq!(next(&store, Some("call-quality")), None);
    assert_eq!(next(&store, None).as_deref(), Some("c1"));
}

#[test]
fn reports_use_the_latest_review_and_include_automatic_cards_only_when_asked() {
    let db = new_db();
    let (mut store, _) = three_calls(&db.path);
    review(&mut store, "c1", "qa1", "first look");
    review(&mut store, "c1", "qa2", "second look");
    let reviewed = store.scored_interactions(&Filter::default(), false).expect("read");
    let marks: Vec<(&str, Option<&str>, Option<f64>)> = reviewed
        .iter()
        .map(|i| {
            (i.call_id.as_str(), i.review.as_ref().map(|r| r.reviewer.as_str()), i.scorecard.score)
        })
        .collect();
    assert_eq!(marks, [("c1", Some("qa2"), Some(100.0))], "the latest review only");
    assert_eq!(reviewed[0].scorecard.criteria[1].reason, "second look");
    assert_eq!(reviewed[0].scorecard.criteria[1].evidence.len(), 1);

    let all = store.scored_interactions(&Filter::default(), true).expect("read");
    let marks: Vec<(&str, bool)> =
        all.iter().map(|i| (i.call_id.as_str(), i.review.is_some())).collect();
    assert_eq!(marks, [("c1", true), ("c2", false), ("c3", false)]);
    let employees = |unreviewed| -> Vec<String> {
        let list = store.employees_scored(&Filter::default(), unreviewed).expect("employees");
        list.into_iter().map(|e| e.id).collect()
    };
    assert_eq!(employees(false), ["e1"]);
    assert_eq!(employees(true), ["e1", "e2"]);
}

#[test]
fn a_dispute_names_the_scorecard_reports_use_and_is_decided_once() {
    let db = new_db();
    let (mut store, rubric) = three_calls(&db.path);
    let open = |store: &mut Store, interaction: &str, criterion: &str, employee: &str| {
        store.open_dispute(&NewDispute {
            interaction,
            criterion,
            rubric: None,
            employee,
            reason: "I did say goodbye",
        })
    };
    // Unreviewed: the dispute is of the automatic scorecard.
    let d1 = open(&mut store, "c2", "closing", "e1").expect("opened");
    assert_eq!(
        (d1.scorecard_kind.as_str(), d1.verdict, d1.outcome),
        ("automatic", Verdict::Fail, None)
    );
    // Reviewed: of the latest review.
    let (reviewed_card, _) = review(&mut store, "c1", "qa1", "fine after all");
    let d2 = open(&mut store, "c1", "greeting", "e1").expect("opened");
    assert_eq!((d2.scorecard, d2.reviewer.as_deref()), (reviewed_card, Some("qa1")));

    // Bad inputs are refused with what is wrong.
    let error = open(&mut store, "c1", "empathy", "e1").expect_err("unknown criterion");
    assert_eq!(
        error.to_string(),
        "c1 has no criterion `empathy` (its criteria: greeting, closing)"
    );
    let error = open(&mut store, "c3", "closing", "e1").expect_err("not theirs");
    assert!(error.to_string().starts_with("c3 is not e1's interaction (it is e2's)"), "{error}");
    assert!(matches!(
        open(&mut store, "c9", "closing", "e1"),
        Err(StoreError::NoSuchInteraction { .. })
    ));

    let decided =
        store.decide_dispute(d1.id, Outcome::Upheld, "lead1", Some("re-scored")).expect("decided");
    assert_eq!(
        (decided.outcome, decided.decided_by.as_deref()),
        (Some(Outcome::Upheld), Some("lead1"))
    );
    let error = store.decide_dispute(d1.id, Outcome::Rejected, "lead2", None).expect_err("twice");
    assert!(
        error
            .to_string()
            .starts_with(&format!("dispute #{} was already decided (upheld, by lead1 at ", d1.id)),
        "{error}"
    );
    assert_eq!(store.dispute(d1.id).expect("read").outcome, Some(Outcome::Upheld), "unchanged");
    assert!(matches!(
        store.decide_dispute(99, Outcome::Upheld, "x", None),
        Err(StoreError::NoSuchDispute { .. })
    ));

    let ids = |store: &Store, employee: Option<&str>, open_only| -> Vec<i64> {
        store.disputes(employee, open_only, None).expect("list").iter().map(|d| d.id).collect()
    };
    assert_eq!(ids(&store, Some("e1"), false), [d1.id, d2.id]);
    assert_eq!(ids(&store, Some("e1"), true), [d2.id]);
    assert_eq!(ids(&store, Some("e2"), false), Vec::<i64>::new());

    // A second review by the same reviewer and re-scoring with the same rubric text keep the
    // scorecards' row ids, so the disputes stay.
    review(&mut store, "c1", "qa1", "fine, really");
    let c2 = store.review_targets("c2").expect("targets").remove(0);
    store.save_scorecards(rubric, &[(c2.interaction, automatic("c2"))]).expect("rescore");
    assert_eq!(ids(&store, None, false), [d1.id, d2.id]);
    // Reports mark the disputed verdict.
    let items = store.scored_interactions(&Filter::default(), true).expect("read");
    assert_eq!(items[0].disputes.len(), 1);
    assert_eq!(
        (items[0].disputes[0].criterion.as_str(), items[0].disputes[0].outcome),
        ("greeting", None)
    );
    assert_eq!(items[1].disputes[0].outcome, Some(Outcome::Upheld));
}

#[test]
fn a_dispute_stays_on_its_verdict_when_reviews_come_later_and_is_opened_once() {
    let db = new_db();
    let (mut store, _) = three_calls(&db.path);
    let open = |store: &mut Store, interaction: &str, criterion: &str| {
        store.open_dispute(&NewDispute {
            interaction,
            criterion,
            rubric: None,
            employee: "e1",
            reason: "I did say goodbye",
        })
    };
    // c2: disputed while unreviewed, then reviewed (closing overridden to pass).
    let d1 = open(&mut store, "c2", "closing").expect("opened");
    review(&mut store, "c2", "qa1", "said goodbye after all");
    // c1: disputed on qa1's review, then qa2 reviews it later.
    review(&mut store, "c1", "qa1", "fine");
    let d2 = open(&mut store, "c1", "greeting").expect("opened");
    review(&mut store, "c1", "qa2", "fine too");

    let items = store.scored_interactions(&Filter::default(), false).expect("read");
    type Marks<'a> = Vec<(&'a str, Option<Outcome>)>;
    let marks: Vec<(&str, Option<&str>, Marks<'_>)> = items
        .iter()
        .map(|i| {
            (
                i.call_id.as_str(),
                i.review.as_ref().map(|r| r.reviewer.as_str()),
                i.disputes.iter().map(|d| (d.criterion.as_str(), d.outcome)).collect(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            ("c1", Some("qa2"), vec![("greeting", None)]),
            ("c2", Some("qa1"), vec![("closing", None)]),
        ],
        "the marks survive the later reviews"
    );
    // The dispute keeps the verdict as it stood when opened.
    assert_eq!(store.dispute(d1.id).expect("read").verdict, Verdict::Fail);
    assert_eq!(items[1].scorecard.criteria[1].verdict, Verdict::Pass);

    // A second open dispute of the same verdict is refused, naming the first; the report's
    // scorecard changed in between (now qa1's review), the verdict did not.
    let error = open(&mut store, "c2", "closing").expect_err("already open");
    assert!(matches!(error, StoreError::AlreadyDisputed { id, .. } if id == d1.id), "{error}");
    assert!(
        error.to_string().starts_with(&format!(
            "c2: `closing` (call-quality) is already disputed: dispute #{}, opened ",
            d1.id
        )),
        "{error}"
    );
    assert!(open(&mut store, "c1", "greeting").is_err(), "d2 is open too");
    assert_eq!(store.disputes(None, false, None).expect("list").len(), 2, "nothing added");
    // Once decided, the verdict can be disputed again.
    store.decide_dispute(d1.id, Outcome::Rejected, "lead1", None).expect("decided");
    let d3 = open(&mut store, "c2", "closing").expect("opened again");
    assert_eq!((d3.scorecard_kind.as_str(), d3.verdict), ("reviewed", Verdict::Pass));
    assert!(d3.id > d2.id);
}

/// Every verdict of a target accepted as it stands.
fn accept_all(card: &Scorecard) -> Vec<CriterionDecision> {
    card.criteria
        .iter()
        .map(|c| CriterionDecision {
            criterion: c.id.clone(),
            accepted: true,
            automatic_verdict: c.verdict,
            automatic_points: c.points,
            reason: None,
        })
        .collect()
}

#[test]
fn calibration_uses_the_automatic_verdict_each_reviewer_saw_and_a_stale_review_is_refused() {
    let db = new_db();
    let (mut store, rubric) = three_calls(&db.path);
    // qa1 reviews c1 as first scored: closing was an automatic fail, overridden to pass.
    review(&mut store, "c1", "qa1", "said goodbye");
    // qa2 starts reviewing c1; meanwhile a rescore makes closing pass (same row id).
    let stale = store.review_targets("c1").expect("targets").remove(0);
    let mut rescored = automatic("c1");
    rescored.criteria[1].verdict = Verdict::Pass;
    rescored.criteria[1].points = 10.0;
    store.save_scorecards(rubric, &[(1, rescored)]).expect("rescore");
    let fresh = store.review_targets("c1").expect("targets").remove(0);
    assert_eq!(fresh.scorecard, stale.scorecard, "rescoring keeps the row id");

    let before = count(&raw(&db.path), "SELECT count(*) FROM scorecards");
    let (seen, now) = (accept_all(&stale.card), accept_all(&fresh.card));
    let save = |store: &mut Store, scored_at: &str, card: &Scorecard, decisions| {
        store.save_review(&NewReview {
            automatic: stale.scorecard,
            automatic_scored_at: scored_at,
            reviewer: "qa2",
            card,
            decisions,
        })
    };
    // qa2's decisions answer the verdicts before the rescore: refused (within one second the
    // time may not have moved, the verdicts have).
    let error = save(&mut store, &stale.scored_at, &stale.card, &seen).expect_err("stale");
    assert!(matches!(error, StoreError::StaleReview { .. }), "{error}");
    assert!(error.to_string().starts_with("c1 was re-scored while you reviewed it"), "{error}");
    assert!(error.to_string().ends_with("nothing was stored; review it again"), "{error}");
    // A scorecard re-scored after the review began is refused by its time alone.
    let error =
        save(&mut store, "2000-01-01T00:00:00Z", &fresh.card, &now).expect_err("stale by time");
    assert!(error.to_string().contains("is of 2000-01-01T00:00:00Z; it is now of "), "{error}");
    assert_eq!(count(&raw(&db.path), "SELECT count(*) FROM scorecards"), before, "nothing");
    // Reviewed again, as it now stands: stored.
    save(&mut store, &fresh.scored_at, &fresh.card, &now).expect("stored");

    // Each reviewer is compared with the automatic verdict they saw, not today's.
    let ratings = store.ratings(&Filter::default(), None).expect("ratings");
    let closing: Vec<(&str, Verdict, Option<Verdict>)> = ratings
        .iter()
        .filter(|r| r.criterion == "closing")
        .map(|r| (r.reviewer.as_str(), r.verdict, r.automatic))
        .collect();
    assert_eq!(
        closing,
        [("qa1", Verdict::Pass, Some(Verdict::Fail)), ("qa2", Verdict::Pass, Some(Verdict::Pass))]
    );
}

#[test]
fn deleting_an_interaction_removes_its_reviews_decisions_and_disputes() {
    let db = new_db();
    let (mut store, _) = three_calls(&db.path);
    review(&mut store, "c1", "qa1", "ok");
    review(&mut store, "c2", "qa1", "ok");
    store
        .open_dispute(&NewDispute {
            interaction: "c1",
            criterion: "closing",
            rubric: None,
            employee: "e1",
            reason: "no",
        })
        .expect("opened");
    drop(store);
    let conn = raw(&db.path);
    conn.execute("DELETE FROM interactions WHERE call_id = 'c1'", []).expect("delete");
    assert_eq!(count(&conn, "SELECT count(*) FROM scorecards WHERE interaction_id = 1"), 0);
    assert_eq!(count(&conn, "SELECT count(*) FROM review_decisions"), 2, "c2's review stays");
    assert_eq!(count(&conn, "SELECT count(*) FROM disputes"), 0);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM evidence WHERE scorecard_id NOT IN (SELECT id FROM scorecards)"
        ),
        0
    );
}

/// A database written before human review (schema 3, scorecards without reviewers) is
/// migrated when opened: the scorecards table is rebuilt with every row and row id kept, its
/// results and evidence still belong to it, and reviews can be stored.
#[test]
fn a_version_3_file_is_migrated_with_every_scorecard_row_kept() {
    let db = new_db();
    qadesk_store::create_at_version(&db.path, 3).expect("a version 3 file");
    let conn = raw(&db.path);
    conn.execute_batch(
        "INSERT INTO employees VALUES ('e1', 'Ann');
         INSERT INTO interactions VALUES (7, 'old-call', 'call', 'e1', '2024-01-02', NULL, NULL,
             'old.txt', 'abc', '2024-01-03T00:00:00Z');
         INSERT INTO transcripts VALUES (7, 'en', 'file:txt');
         INSERT INTO segments VALUES (7, 1, 'agent', 0, 1000, 'Good morning.');
         INSERT INTO rubrics VALUES (3, 'call-quality', 1, 'Call quality', 'h1', 'id = 1',
             '2024-01-03T00:00:00Z');
         INSERT INTO scorecards VALUES (42, 7, 3, 'automatic', 50.0, 'Poor', 'percent', 10.0,
             20.0, 0, 'en', '2024-01-03T00:00:00Z');
         INSERT INTO section_results VALUES (42, 0, 's', 50.0, 10.0, 20.0, 0);
         INSERT INTO criterion_results VALUES (42, 0, 'greeting', 's', 'pass', 10.0, 10.0, NULL,
             0, 'said it');
         INSERT INTO criterion_results VALUES (42, 1, 'closing', 's', 'fail', 0.0, 10.0, NULL,
             0, 'did not');
         INSERT INTO evidence VALUES (42, 'greeting', 0, 'agent', 0, 1000, 1, 'Good morning.');
         INSERT INTO evidence VALUES (42, 'closing', 0, 'agent', 0, 1000, 1, 'Good morning.');",
    )
    .expect("version 3 rows");
    let results = "SELECT * FROM criterion_results ORDER BY 1, 2";
    let before = [rows(&conn, "SELECT * FROM scorecards"), rows(&conn, results)];
    drop(conn);

    let mut store = Store::open(&db.path).expect("migrated on open");
    let conn = raw(&db.path);
    assert_eq!(count(&conn, "PRAGMA user_version"), SCHEMA_VERSION);
    assert_eq!(count(&conn, "SELECT count(*) FROM evidence WHERE scorecard_id = 42"), 2);
    let after = [
        rows(
            &conn,
            "SELECT id, interaction_id, rubric, kind, score, band, score_unit, points,
                    max_points, critical_miss, language, scored_at FROM scorecards",
        ),
        rows(&conn, results),
    ];
    assert_eq!(after, before);
    assert_eq!(count(&conn, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    let views = count(&conn, "SELECT count(*) FROM latest_scorecards WHERE id = 42");
    assert_eq!(views, 1);
    drop(conn);

    let shown = store.detail("old-call").expect("detail");
    assert_eq!(shown.scorecards[0].criteria[0].evidence[0].quote, "Good morning.");
    let target = store.review_targets("old-call").expect("targets").remove(0);
    assert_eq!(target.scorecard, 42);
    let (card, decisions) = reviewed("old-call", "closed fine");
    store
        .save_review(&NewReview {
            automatic: 42,
            automatic_scored_at: &target.scored_at,
            reviewer: "qa1",
            card: &card,
            decisions: &decisions,
        })
        .expect("a review of a migrated scorecard");
    // Deleting the interaction still cascades through the rebuilt table.
    drop(store);
    let conn = raw(&db.path);
    conn.execute("DELETE FROM interactions WHERE id = 7", []).expect("delete");
    assert_eq!(count(&conn, "SELECT count(*) FROM criterion_results"), 0);
    assert_eq!(count(&conn, "SELECT count(*) FROM evidence"), 0);
}
