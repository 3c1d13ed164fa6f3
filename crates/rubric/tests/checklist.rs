//! Checklists: answers read from text, checked against the questions, and scored; and the
//! service self-test's totals and bands, checked against sums done by hand.

use qadesk_domain::{AnswerValue, Answers, Interaction, InteractionKind};
use qadesk_rubric::{Rubric, ScoreOptions};

const STORE_VISIT: &str = include_str!("../../../samples/checklists/store-visit.toml");
const SERVICE_QUOTIENT: &str = include_str!("../../../rubrics/service-quotient.toml");

fn parse(text: &str) -> Rubric {
    qadesk_rubric::parse(text).unwrap_or_else(|e| panic!("{:?}", e.problems()))
}

fn answers(rubric: &Rubric, raw: &[(&str, &str)]) -> Answers {
    raw.iter()
        .map(|(id, text)| {
            let q = rubric.question(id).unwrap_or_else(|| panic!("no question {id}"));
            (id.to_string(), q.interpret(text).unwrap_or_else(|e| panic!("{e}")))
        })
        .collect()
}

fn visit(answers: Answers) -> Interaction {
    Interaction { id: "v".into(), kind: InteractionKind::Visit, transcript: None, answers }
}

#[test]
fn answers_are_read_by_question_type_and_bad_values_are_explained() {
    let r = parse(STORE_VISIT);
    let q = |id: &str| r.question(id).expect(id);
    assert_eq!(q("needs-asked").interpret("Yes"), Ok(AnswerValue::Yes));
    assert_eq!(q("product-knowledge").interpret("4"), Ok(AnswerValue::Number(4.0)));
    assert_eq!(q("objection-handling").interpret("neutral"), Ok(AnswerValue::Number(2.0)));
    assert_eq!(q("tidiness").interpret("n/a"), Ok(AnswerValue::Na));
    assert_eq!(
        q("needs-topics").interpret("use, budget"),
        Ok(AnswerValue::Choice(vec!["use".into(), "budget".into()]))
    );
    for (id, bad, expected) in [
        ("product-knowledge", "6", "a whole number from 1 to 5"),
        ("product-knowledge", "na", "does not allow n/a"),
        ("needs-asked", "maybe", "yes or no"),
        ("options-offered", "one,several", "pick one option"),
        ("needs-topics", "colour", "not an option; the options are use, budget, preferences"),
        ("greeted-within-min", "-1", "outside 0 to 120"),
        ("greeted-within-min", "soon", "a number"),
    ] {
        let error = q(id).interpret(bad).expect_err(bad);
        assert!(error.contains(expected) && error.contains(id), "{id} {bad}: {error}");
    }
}

#[test]
fn checking_answers_finds_unknown_hidden_and_missing_ones() {
    let r = parse(STORE_VISIT);
    let mut given = answers(
        &r,
        &[
            ("greeted-within-min", "0"),
            ("needs-asked", "no"),
            ("product-knowledge", "3"),
            ("options-offered", "one"),
            ("objection-raised", "yes"),
            ("closing", "yes"),
            ("tidiness", "good"),
        ],
    );
    // objection-handling is shown (objection raised) and required, but missing.
    assert_eq!(r.check_answers(&given), ["required question `objection-handling` has no answer"]);
    given.insert("objection-handling".into(), AnswerValue::Number(3.0));
    assert!(r.check_answers(&given).is_empty());
    // needs-topics is only asked when needs-asked is yes.
    given.insert("needs-topics".into(), AnswerValue::Choice(vec!["use".into()]));
    given.insert("colour".into(), AnswerValue::Yes);
    let problems = r.check_answers(&given);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("unknown question `colour`"), "{problems:?}");
    assert!(problems[1].contains("only asked when `needs-asked` is yes"), "{problems:?}");
}

#[test]
fn a_visit_is_scored_from_its_answers() {
    let r = parse(STORE_VISIT);
    let card = r.score(
        &visit(answers(
            &r,
            &[
                ("greeted-within-min", "2"),
                ("needs-asked", "yes"),
                ("needs-topics", "use,budget"),
                ("product-knowledge", "4"),
                ("options-offered", "several"),
                ("objection-raised", "no"),
                ("closing", "no"),
                ("tidiness", "na"),
                ("comments", "Friendly."),
            ],
        )),
        &ScoreOptions::default(),
    );
    let verdict = |id: &str| {
        let c = card.criteria.iter().find(|c| c.id == id).expect(id);
        (c.verdict.as_str(), c.points, c.max)
    };
    assert_eq!(verdict("greeting"), ("partial", 5.0, 10.0));
    assert_eq!(verdict("needs-depth"), ("partial", 2.5, 5.0));
    assert_eq!(verdict("product-knowledge"), ("pass", 7.5, 10.0));
    assert_eq!(verdict("offers-options"), ("pass", 10.0, 10.0));
    assert_eq!(verdict("objection-handling"), ("na", 0.0, 0.0));
    assert_eq!(verdict("closing"), ("fail", 0.0, 10.0));
    assert_eq!(verdict("tidiness"), ("na", 0.0, 0.0));
    // welcome 5/10 = 50 % (weight 2); selling 30/35 (weight 3); farewell 0/10 (weight 1).
    let expected = (50.0 * 2.0 + 100.0 * 30.0 / 35.0 * 3.0) / 6.0;
    assert!((card.score.expect("scored") - expected).abs() < 0.01, "{:?}", card.score);
}

/// (rating of every statement, ratings that differ, expected total, expected band)
type SelfTestCase<'a> = (u8, &'a [(&'a str, u8)], f64, &'a str);

/// The self-test with every statement rated `all`, except the ratings in `overrides`.
fn self_test(all: u8, overrides: &[(&str, u8)]) -> qadesk_domain::Scorecard {
    let r = parse(SERVICE_QUOTIENT);
    let mut given = Answers::new();
    for q in &r.questions {
        let rating = overrides.iter().find(|(id, _)| *id == q.id).map_or(all, |(_, n)| *n);
        given.insert(q.id.clone(), q.interpret(&rating.to_string()).expect("1-5"));
    }
    r.score(&visit(given), &ScoreOptions::default())
}

#[test]
fn the_self_test_totals_area_averages_and_bands_every_total_once() {
    let r = parse(SERVICE_QUOTIENT);
    let per_area: Vec<usize> = r.sections.iter().map(|s| s.criteria.len()).collect();
    assert_eq!(per_area, [4, 4, 3, 3, 3, 5, 3]);
    assert_eq!(r.questions.len(), 25);
    let band = |card: &qadesk_domain::Scorecard| card.band.clone().expect("band");
    let asset =
        "Service is an asset: responsive and tailored to your customers; work on the weaker areas";
    let adequate = "Adequate, but needs general improvement";
    let losing = "Probably losing customers to poor service";

    // Totals worked out by hand: seven areas, each the mean of its statements.
    let cases: [SelfTestCase; 7] = [
        (5, &[], 35.0, asset),
        (1, &[], 7.0, losing),
        (4, &[], 28.0, asset),
        (3, &[], 21.0, adequate),
        // culture (4,4,3,3) = 3.5, six areas at 4 = 24 → 27.5
        (4, &[("culture-3", 3), ("culture-4", 3)], 27.5, adequate),
        // feedback (3,3,2) = 2.67, six areas at 3 = 18 → 20.67
        (3, &[("feedback-3", 2)], 20.67, losing),
        // staff (5,5,5,5,4) = 4.8, six areas at 3 = 18 → 22.8
        (
            3,
            &[("staff-1", 5), ("staff-2", 5), ("staff-3", 5), ("staff-4", 5), ("staff-5", 4)],
            22.8,
            adequate,
        ),
    ];
    for (all, overrides, total, expected_band) in cases {
        let card = self_test(all, overrides);
        assert_eq!(card.score, Some(total), "{all} {overrides:?}");
        assert_eq!(band(&card), expected_band, "{total}");
        assert_eq!(card.score_unit, "points");
    }
    let card = self_test(3, &[("feedback-3", 2)]);
    let feedback = card.sections.iter().find(|s| s.id == "feedback").expect("feedback");
    assert_eq!((feedback.points, feedback.max), (2.67, 5.0));
}
