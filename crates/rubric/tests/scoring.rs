//! The scoring rules of rubrics/README.md, one behaviour per test: `na` leaves the maximum,
//! critical misses, bands at their boundaries, points totals, `after`/`before`, untimed
//! transcripts, language detection and slips.

use qadesk_domain::{AnswerValue, Interaction, Role, Scorecard, Segment, Transcript, Verdict};
use qadesk_rubric::{Rubric, ScoreOptions};

const RUBRIC: &str = r#"
id = "engine"
title = "Engine behaviours"
version = 3
languages = ["en", "nb"]
critical-fails = "section"

[[bands]]
min = 80
label = "Good"
[[bands]]
min = 0
label = "Poor"

[lexicon.objection]
en = ["too expensive"]
nb = ["for dyrt"]
[lexicon.acknowledge]
en = ["i understand"]
nb = ["jeg forstar"]

[[section]]
id = "talk"
weight = 3

[[section.criterion]]
id = "greeting"
title = "Greeting"
coaching = "Greet."
weight = 10
check = { phrase = { any.en = ["thank you for calling"], any.nb = ["takk for at du ringte"], within-first-s = 10 } }

[[section.criterion]]
id = "objection"
title = "Objection"
coaching = "Answer it."
weight = 10
scale = "three-point"
check = { response = { trigger-lexicon = ["objection"], moves = ["acknowledge"], within-turns = 1 } }

[[section.criterion]]
id = "recap"
title = "Recap after the greeting"
coaching = "Recap."
weight = 10
check = { phrase = { any.en = ["to recap"], any.nb = ["for a oppsummere"], after = "greeting" } }

[[section]]
id = "manners"
weight = 1

[[section.criterion]]
id = "no-policy"
title = "No policy wall"
coaching = "Explain instead."
weight = 10
critical = true
check = { absent = { any.en = ["company policy"], any.nb = ["det er reglene"] } }

[[section.criterion]]
id = "interruptions"
title = "No interruptions"
coaching = "Let them finish."
weight = 10
scale = "three-point"
check = { metric = { name = "agent-interruptions", max = 0, partial-max = 1 } }
"#;

fn rubric() -> Rubric {
    qadesk_rubric::parse(RUBRIC).unwrap_or_else(|e| panic!("{:?}", e.problems()))
}

fn call(lines: &[(Role, u64, u64, &str)]) -> Interaction {
    let segments = lines.iter().map(|&(r, a, b, t)| Segment::timed(r, a, b, t)).collect();
    Interaction::call("test", Transcript { language: None, segments })
}

fn verdict(card: &Scorecard, id: &str) -> Verdict {
    card.criteria.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no criterion {id}")).verdict
}

fn score(interaction: &Interaction) -> Scorecard {
    rubric().score(interaction, &ScoreOptions::default())
}

#[test]
fn na_criterion_leaves_the_maximum() {
    let card = score(&call(&[
        (Role::Agent, 0, 3_000, "Thank you for calling, this is Anna."),
        (Role::Customer, 3_500, 6_000, "My router is broken."),
        (Role::Agent, 6_500, 9_000, "To recap, the router is broken."),
    ]));
    assert_eq!(verdict(&card, "objection"), Verdict::Na);
    let objection = card.criteria.iter().find(|c| c.id == "objection").expect("present");
    assert_eq!((objection.points, objection.max), (0.0, 0.0));
    assert!(objection.evidence.is_empty());
    // greeting 10/10 and recap 10/10 in "talk" (objection left out), manners 20/20.
    assert_eq!(card.sections[0].max, 20.0);
    assert_eq!(card.score, Some(100.0));
    assert_eq!(card.band.as_deref(), Some("Good"));
    assert_eq!(card.rubric_version, 3);
}

#[test]
fn objection_answered_late_is_a_fail_with_the_missed_turn_as_evidence() {
    let card = score(&call(&[
        (Role::Agent, 0, 3_000, "Thank you for calling."),
        (Role::Customer, 3_500, 6_000, "That is too expensive."),
        (Role::Agent, 6_500, 9_000, "Let me look at your contract."),
        (Role::Agent, 9_500, 12_000, "I understand."),
    ]));
    let objection = card.criteria.iter().find(|c| c.id == "objection").expect("present");
    assert_eq!(objection.verdict, Verdict::Fail);
    let quotes: Vec<&str> = objection.evidence.iter().map(|e| e.quote.as_str()).collect();
    assert_eq!(quotes, ["That is too expensive.", "Let me look at your contract."]);
}

#[test]
fn critical_miss_zeroes_its_section_only() {
    let card = score(&call(&[
        (Role::Agent, 0, 3_000, "Thank you for calling."),
        (Role::Agent, 3_500, 6_000, "To recap: that is company policy."),
    ]));
    assert_eq!(verdict(&card, "no-policy"), Verdict::Fail);
    let manners = &card.sections[1];
    assert!(manners.critical_miss);
    assert_eq!((manners.points, manners.score), (0.0, Some(0.0)));
    // talk: 100 % with weight 3; manners: 0 % with weight 1.
    assert_eq!(card.score, Some(75.0));
    assert_eq!(card.band.as_deref(), Some("Poor"));
    assert!(!card.critical_miss, "the card itself is not zeroed with critical-fails = section");
}

#[test]
fn after_needs_its_anchor_and_looks_only_past_it() {
    let card = score(&call(&[
        (Role::Agent, 0, 2_000, "To recap, hello."),
        (Role::Agent, 12_000, 14_000, "Thank you for calling."),
    ]));
    assert_eq!(verdict(&card, "greeting"), Verdict::Fail, "greeting came after 10 s");
    assert_eq!(verdict(&card, "recap"), Verdict::Fail, "no greeting, so nothing comes after it");
    let reason = &card.criteria.iter().find(|c| c.id == "recap").expect("present").reason;
    assert!(reason.contains("after `greeting`"), "{reason}");
}

#[test]
fn untimed_transcript_gets_estimated_times_and_no_metrics() {
    let segments = vec![
        Segment::untimed(Role::Agent, "Thank you for calling."),
        Segment::untimed(Role::Customer, "Hi."),
    ];
    let card = score(&Interaction::call("chat", Transcript { language: None, segments }));
    assert_eq!(verdict(&card, "greeting"), Verdict::Pass);
    let greeting = card.criteria.iter().find(|c| c.id == "greeting").expect("present");
    assert_eq!(
        greeting.evidence[0].start_ms, None,
        "estimated times are not presented as real ones"
    );
    assert_eq!(greeting.evidence[0].turn, Some(1));
    assert!(
        greeting.reason.contains("in turn 1") && greeting.reason.contains("estimated"),
        "{}",
        greeting.reason
    );
    assert_eq!(verdict(&card, "interruptions"), Verdict::Na);
}

#[test]
fn language_is_detected_and_slips_are_forgiven() {
    let card = score(&call(&[
        (Role::Agent, 0, 3_000, "Hei, takk for at du ringte! Hva kan jeg hjelpe deg med?"),
        (Role::Customer, 3_500, 6_000, "Det er for dyrt, og jeg er ikke fornøyd."),
        (Role::Agent, 6_500, 9_000, "Jeg forstår. For å oppsummere: prisen er for høy."),
    ]));
    assert_eq!(card.language.as_deref(), Some("nb"));
    assert_eq!(verdict(&card, "greeting"), Verdict::Pass);
    assert_eq!(verdict(&card, "objection"), Verdict::Pass);
    assert_eq!(verdict(&card, "recap"), Verdict::Pass);

    let slips = score(&call(&[(Role::Agent, 0, 3_000, "Thnak you for caling!")]));
    assert_eq!(slips.language.as_deref(), Some("en"));
    assert_eq!(verdict(&slips, "greeting"), Verdict::Pass);
}

#[test]
fn interruptions_are_counted_from_segment_times() {
    let card = score(&call(&[
        (Role::Agent, 0, 3_000, "Thank you for calling."),
        (Role::Customer, 3_500, 9_000, "So the thing is that my invoice is wrong."),
        (Role::Agent, 6_000, 8_000, "Yes yes, I know."),
    ]));
    let interruptions = card.criteria.iter().find(|c| c.id == "interruptions").expect("present");
    assert_eq!(interruptions.verdict, Verdict::Partial);
    assert_eq!(interruptions.value, Some(1.0));
    assert_eq!(interruptions.evidence[0].quote, "Yes yes, I know.");
}

const SELF_TEST: &str = r#"
id = "points-total"
title = "Points totals and band boundaries"
version = 1
languages = ["en"]
score = "points"

[[bands]]
min = 8
label = "Asset"
[[bands]]
min = 5
label = "Adequate"
[[bands]]
min = 0
label = "Losing customers"

[[section]]
id = "all"
weight = 1

[[section.criterion]]
id = "a"
title = "A"
coaching = "A."
weight = 5
scale = "five-point"
check = { answer = { question = "a" } }

[[section.criterion]]
id = "b"
title = "B"
coaching = "B."
weight = 5
scale = "five-point"
check = { answer = { question = "b" } }
"#;

#[test]
fn points_totals_land_in_exactly_one_band_at_the_boundaries() {
    let rubric = qadesk_rubric::parse(SELF_TEST).unwrap_or_else(|e| panic!("{:?}", e.problems()));
    // Five-point answers give weight × (value − 1) / 4 points.
    let cases = [
        (5.0, 5.0, 10.0, "Asset"),
        (4.2, 4.0, 7.75, "Adequate"),
        (5.0, 1.0, 5.0, "Adequate"),
        (3.0, 1.0, 2.5, "Losing customers"),
        (4.2, 5.0, 9.0, "Asset"),
    ];
    for (a, b, total, band) in cases {
        let mut interaction = Interaction { id: format!("{a}-{b}"), ..Interaction::default() };
        interaction.answers.insert("a".into(), AnswerValue::Number(a));
        interaction.answers.insert("b".into(), AnswerValue::Number(b));
        let card = rubric.score(&interaction, &ScoreOptions::default());
        assert_eq!(card.score_unit, "points");
        assert_eq!(card.score, Some(total), "{a}+{b}");
        assert_eq!(card.band.as_deref(), Some(band), "{a}+{b} = {total}");
    }
    let mut partial = Interaction::default();
    partial.answers.insert("a".into(), AnswerValue::Na);
    partial.answers.insert("b".into(), AnswerValue::Number(5.0));
    let card = rubric.score(&partial, &ScoreOptions::default());
    assert_eq!(
        (card.score, card.max_points),
        (Some(5.0), 5.0),
        "the n/a answer leaves the maximum"
    );
}

#[test]
fn a_long_hold_is_judged_from_the_hold_metric_and_quotes_the_request() {
    let rubric = qadesk_rubric::parse(
        r#"
id = "holds"
title = "Holds"
version = 1
languages = ["en"]

[[section]]
id = "hold"
weight = 1

[[section.criterion]]
id = "short-holds"
title = "Short holds"
coaching = "Check back within a minute."
weight = 10
scale = "three-point"
check = { metric = { name = "longest-hold-s", max = 60, partial-max = 120 } }
"#,
    )
    .unwrap_or_else(|e| panic!("{:?}", e.problems()));
    let card = rubric.score(
        &call(&[
            (Role::Customer, 0, 3_000, "Can you check my last bill?"),
            (Role::Agent, 3_000, 5_000, "Sure, please hold while I look."),
            (Role::Agent, 95_000, 98_000, "Thanks for waiting."),
        ]),
        &ScoreOptions::default(),
    );
    let c = &card.criteria[0];
    assert_eq!((c.verdict, c.value), (Verdict::Partial, Some(90.0)));
    assert_eq!(c.evidence[0].quote, "Sure, please hold while I look.");
    assert!(c.reason.starts_with("longest-hold-s = 90"), "{}", c.reason);
}
