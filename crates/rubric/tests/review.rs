//! A person's review of an automatic scorecard: overridden verdicts get the points their scale
//! gives, sections, total and band follow the rubric's own rules (the same result as scoring an
//! interaction that earned those verdicts), and every problem with the decisions is reported.

use qadesk_domain::{
    AnswerValue, Decision, Interaction, InteractionKind, Role, Scorecard, Segment, Transcript,
    Verdict,
};
use qadesk_rubric::{Rubric, ScoreOptions};

const RUBRIC: &str = r#"
id = "review-test"
title = "Review test"
version = 2
languages = ["en"]
critical-fails = "section"

[[bands]]
min = 80
label = "Good"
[[bands]]
min = 0
label = "Poor"

[[section]]
id = "talk"
weight = 3

[[section.criterion]]
id = "greeting"
title = "Greeting"
coaching = "Greet."
weight = 10
check = { phrase = { any.en = ["thank you for calling"], within-first-s = 10 } }

[[section.criterion]]
id = "recap"
title = "Recap"
coaching = "Recap."
weight = 10
scale = "three-point"
check = { phrase = { any.en = ["to recap"], min-count = 2 } }

[[section]]
id = "manners"
weight = 1

[[section.criterion]]
id = "no-policy"
title = "No policy wall"
coaching = "Explain instead."
weight = 10
critical = true
check = { absent = { any.en = ["company policy"] } }

[[section.criterion]]
id = "warmth"
title = "Warmth"
coaching = "Be warm."
weight = 8
scale = "five-point"
check = { answer = { question = "warmth" } }
"#;

fn rubric() -> Rubric {
    qadesk_rubric::parse(RUBRIC).unwrap_or_else(|e| panic!("{:?}", e.problems()))
}

/// A call with the agent's lines and the evaluator's warmth answer.
fn card(lines: &[&str], warmth: f64) -> Scorecard {
    let segments = lines
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let start = i as u64 * 4_000;
            Segment::timed(Role::Agent, start, start + 3_000, *text)
        })
        .collect();
    let mut interaction =
        Interaction::call("c1", Transcript { language: Some("en".into()), segments });
    interaction.kind = InteractionKind::MysteryCall;
    interaction.answers.insert("warmth".into(), AnswerValue::Number(warmth));
    rubric().score(&interaction, &ScoreOptions::default())
}

fn accept_all(card: &Scorecard) -> Vec<(String, Decision)> {
    card.criteria.iter().map(|c| (c.id.clone(), Decision::Accept)).collect()
}

fn set(decisions: &mut [(String, Decision)], id: &str, decision: Decision) {
    decisions.iter_mut().find(|(c, _)| c == id).expect("criterion").1 = decision;
}

fn over(verdict: Verdict, value: Option<f64>, reason: &str) -> Decision {
    Decision::Override { verdict, value, reason: reason.into() }
}

fn verdicts(card: &Scorecard) -> Vec<(&str, Verdict, f64)> {
    card.criteria.iter().map(|c| (c.id.as_str(), c.verdict, c.points)).collect()
}

#[test]
fn accepting_everything_gives_the_automatic_scorecard_again() {
    let automatic = card(&["Thank you for calling.", "To recap, this.", "To recap, that."], 5.0);
    let (reviewed, decisions) = rubric().review(&automatic, &accept_all(&automatic)).expect("ok");
    assert_eq!(reviewed, automatic);
    assert!(decisions.iter().all(|d| d.accepted && d.reason.is_none()));
    assert_eq!(decisions[0].automatic_verdict, Verdict::Pass);
}

/// A reviewer who overrides verdicts gets exactly the scorecard the rubric gives a call that
/// earned those verdicts: the greeting missed, the recap said once (partial), warmth 2.
#[test]
fn overrides_are_totalled_by_the_rubrics_own_rules() {
    let automatic = card(&["Thank you for calling.", "To recap, this.", "To recap, that."], 5.0);
    assert_eq!(automatic.score, Some(100.0));
    let mut decisions = accept_all(&automatic);
    set(&mut decisions, "greeting", over(Verdict::Fail, None, "the greeting was cut off"));
    set(&mut decisions, "recap", over(Verdict::Partial, None, "only one real recap"));
    set(&mut decisions, "warmth", over(Verdict::Fail, Some(2.0), "curt with the customer"));
    let (reviewed, records) = rubric().review(&automatic, &decisions).expect("valid decisions");

    let earned = card(&["Hello.", "To recap."], 2.0);
    assert_eq!(verdicts(&reviewed), verdicts(&earned));
    assert_eq!(reviewed.sections, earned.sections);
    assert_eq!((reviewed.score, &reviewed.band), (earned.score, &earned.band));
    // talk: (0 + 5) / 20 = 25 %; manners: (10 + 8 × 1/4) / 18 = 66.67 %;
    // total (25 × 3 + 66.67 × 1) / 4 = 35.42, Poor.
    assert_eq!(reviewed.score, Some(35.42));
    assert_eq!(reviewed.band.as_deref(), Some("Poor"));
    // The reviewer's reason explains the new verdict; the automatic evidence stays with it.
    let greeting = &reviewed.criteria[0];
    assert_eq!(greeting.reason, "the greeting was cut off");
    assert_eq!(greeting.evidence, automatic.criteria[0].evidence);
    let overridden: Vec<(&str, bool, Verdict, Option<&str>)> = records
        .iter()
        .map(|r| (r.criterion.as_str(), r.accepted, r.automatic_verdict, r.reason.as_deref()))
        .collect();
    assert_eq!(
        overridden,
        [
            ("greeting", false, Verdict::Pass, Some("the greeting was cut off")),
            ("recap", false, Verdict::Pass, Some("only one real recap")),
            ("no-policy", true, Verdict::Pass, None),
            ("warmth", false, Verdict::Pass, Some("curt with the customer")),
        ]
    );
}

#[test]
fn a_critical_override_fails_its_section_and_na_leaves_the_maximum() {
    let automatic = card(&["Thank you for calling.", "To recap, this.", "To recap, that."], 4.0);
    let mut decisions = accept_all(&automatic);
    set(&mut decisions, "no-policy", over(Verdict::Fail, None, "said 'rules are rules'"));
    set(&mut decisions, "recap", over(Verdict::Na, None, "the call was cut before the end"));
    let (reviewed, _) = rubric().review(&automatic, &decisions).expect("valid decisions");
    let manners = &reviewed.sections[1];
    assert!(manners.critical_miss && manners.points == 0.0, "{manners:?}");
    let recap = &reviewed.criteria[1];
    assert_eq!((recap.verdict, recap.max, recap.evidence.len()), (Verdict::Na, 0.0, 0));
    assert_eq!(reviewed.sections[0].max, 10.0, "the na recap leaves the section's maximum");
    // talk 100 %, manners 0 %: (100 × 3 + 0 × 1) / 4 = 75.
    assert_eq!(reviewed.score, Some(75.0));
}

#[test]
fn every_problem_with_the_decisions_is_reported() {
    let automatic = card(&["Thank you for calling.", "To recap, this.", "To recap, that."], 5.0);
    let decisions = vec![
        ("greeting".to_string(), over(Verdict::Partial, None, "half a greeting")),
        ("recap".to_string(), over(Verdict::Pass, None, "fine")),
        ("warmth".to_string(), over(Verdict::Pass, Some(2.0), "")),
        ("empathy".to_string(), Decision::Accept),
    ];
    let problems = rubric().review(&automatic, &decisions).expect_err("problems");
    let messages: Vec<(Option<&str>, &str)> =
        problems.iter().map(|p| (p.criterion.as_deref(), p.message.as_str())).collect();
    let expected: [(Option<&str>, &str); 6] = [
        (
            Some("empathy"),
            "`empathy` is not a criterion of review-test (its criteria: greeting, recap, \
             no-policy, warmth)",
        ),
        (
            Some("greeting"),
            "`greeting` is pass-fail: partial is not one of its verdicts (pass, fail, na)",
        ),
        (
            Some("recap"),
            "`recap`: the override gives the automatic verdict (pass) again; accept it instead",
        ),
        (Some("warmth"), "`warmth`: an override needs a reason"),
        (
            Some("warmth"),
            "`warmth`: value 2 is a fail on the five-point scale (4–5 pass, 3 partial, 1–2 \
             fail), not a pass",
        ),
        (None, "no decision for `no-policy`: every criterion is accepted or overridden"),
    ];
    assert_eq!(messages, expected);
    let rubric = rubric();
    assert_eq!(
        rubric.check_override("warmth", Some(Verdict::Fail), None).expect_err("no value"),
        "`warmth` is on a five-point scale: give `value` 1–5 (it decides the verdict and the \
         points), or the verdict na"
    );
    assert_eq!(rubric.check_override("warmth", None, Some(3.0)), Ok((Verdict::Partial, Some(3.0))));
    assert!(rubric.check_override("warmth", None, Some(6.0)).is_err());
    assert!(rubric.check_override("greeting", Some(Verdict::Fail), Some(2.0)).is_err());
}
