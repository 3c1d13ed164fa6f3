//! The coaching sheet's choices on hand-made scorecards: only the employee's own interactions
//! count, focus areas are ranked by weight × miss rate, strengths need a consistent record, the
//! line to try follows the language of the calls, the summary hides small breakdowns, and
//! unreviewed and disputed verdicts are marked.

use std::collections::BTreeMap;

use qadesk_domain::{
    CriterionResult, DisputeMark, Employee, Evidence, InteractionKind, Outcome, ReviewMark, Role,
    Scorecard, ScoredInteraction, Verdict,
};
use qadesk_report::{
    CoachInput, CriterionGuide, Format, Guides, Renderer, RubricGuide, SummaryInput, TemplateSet,
    build_sheet, build_summary,
};

const RUBRIC_KEY: i64 = 7;

fn guides() -> Guides {
    let criterion = |id: &str, weight: f64, critical: bool| CriterionGuide {
        id: id.into(),
        title: format!("Title of {id}"),
        section: "s".into(),
        weight,
        critical,
        coaching: format!("Coaching for {id}."),
        examples: BTreeMap::from([
            ("en".to_string(), format!("Try {id} in English.")),
            ("nb".to_string(), format!("Prøv {id} på norsk.")),
        ]),
    };
    Guides::from([(
        RUBRIC_KEY,
        RubricGuide {
            rubric_id: "r".into(),
            version: 1,
            title: "Rubric".into(),
            bands: vec![(80.0, "Good".into()), (0.0, "Poor".into())],
            criteria: vec![
                criterion("heavy", 20.0, false),
                criterion("light", 5.0, false),
                criterion("steady", 10.0, false),
                criterion("rule", 10.0, true),
            ],
            questions: BTreeMap::new(),
        },
    )])
}

/// One interaction of `employee` with the given verdicts for heavy, light, steady, rule.
fn interaction(
    n: i64,
    employee: &str,
    language: &str,
    verdicts: [Verdict; 4],
) -> ScoredInteraction {
    let ids = ["heavy", "light", "steady", "rule"];
    let criteria = ids
        .iter()
        .zip(verdicts)
        .map(|(id, verdict)| CriterionResult {
            id: (*id).into(),
            section: "s".into(),
            verdict,
            points: 0.0,
            max: 10.0,
            value: None,
            critical_miss: false,
            evidence: vec![Evidence {
                speaker: Role::Agent,
                start_ms: Some(61_000),
                end_ms: Some(63_000),
                quote: format!("{id} quote {n}, call me on 555 0101"),
                turn: Some(3),
            }],
            reason: format!("{id} reason"),
        })
        .collect();
    ScoredInteraction {
        interaction: n,
        call_id: format!("C-{n}"),
        kind: InteractionKind::Call,
        started_at: Some(format!("2026-03-{:02}T09:00:00", n)),
        employee_id: Some(employee.into()),
        employee_name: Some(format!("Name of {employee}")),
        transcript_origin: Some("file:txt".into()),
        transcript_confidence: None,
        rubric_key: RUBRIC_KEY,
        comments: Vec::new(),
        review: Some(ReviewMark {
            reviewer: "QA1".into(),
            reviewed_at: "2026-03-30T10:00:00Z".into(),
        }),
        disputes: Vec::new(),
        scorecard: Scorecard {
            interaction: format!("C-{n}"),
            rubric: "r".into(),
            rubric_version: 1,
            score: Some(50.0 + n as f64),
            band: None,
            score_unit: "percent".into(),
            points: 0.0,
            max_points: 40.0,
            critical_miss: false,
            language: Some(language.into()),
            sections: Vec::new(),
            criteria,
        },
    }
}

#[test]
fn a_sheet_uses_only_the_employees_own_interactions_and_ranks_focus_by_impact() {
    use Verdict::{Fail, Na, Partial, Pass};
    let interactions = vec![
        interaction(1, "E1", "nb", [Fail, Fail, Pass, Pass]),
        interaction(2, "E2", "en", [Pass, Pass, Fail, Fail]),
        interaction(3, "E1", "nb", [Pass, Fail, Pass, Na]),
        interaction(4, "E1", "nb", [Partial, Fail, Pass, Pass]),
    ];
    let guides = guides();
    let employee = Employee { id: "E1".into(), name: Some("Name of E1".into()) };
    let sheet = build_sheet(&CoachInput {
        employee: &employee,
        since: None,
        until: None,
        interactions: &interactions,
        guides: &guides,
        lang: "en",
        prepared_on: None,
        left_out: 0,
    });
    assert_eq!(sheet.counts.total, 3, "E2's interaction is not counted");
    assert_eq!(
        sheet.interactions.iter().map(|i| i.call_id.as_str()).collect::<Vec<_>>(),
        ["C-1", "C-3", "C-4"]
    );
    // heavy: 20 × 1.5/3 = 10; light: 5 × 3/3 = 5; steady and rule were never missed by E1.
    let focus: Vec<(&str, &str)> =
        sheet.focus.iter().map(|f| (f.criterion.as_str(), f.impact.as_str())).collect();
    assert_eq!(focus, [("heavy", "10"), ("light", "5")]);
    assert_eq!(sheet.focus[0].coaching, "Coaching for heavy.");
    // The calls were in Norwegian, the sheet is in English: the line follows the calls.
    assert_eq!(sheet.focus[0].try_line.as_deref(), Some("Prøv heavy på norsk."));
    assert_eq!(sheet.focus[0].try_lang.as_deref(), Some("nb"));
    // Moments: most recent miss first, masked, with the time in the call.
    let first = &sheet.focus[0].moments[0];
    assert_eq!((first.call_id.as_str(), first.at.as_deref()), ("C-4", Some("1:01")));
    assert_eq!(first.quote, "heavy quote 4, call me on •••");
    let strengths: Vec<&str> = sheet.strengths.iter().map(|s| s.criterion.as_str()).collect();
    assert_eq!(strengths, ["steady", "rule"], "steady 3/3, rule 2/2 (na left out)");
    assert_eq!(sheet.overall[0].score.as_deref(), Some("52.7"));
    assert_eq!(sheet.overall[0].band.as_deref(), Some("Poor"));
    assert!(!sheet.trend.svg.is_empty());

    let html = Renderer::new(&TemplateSet::builtin(), "en")
        .expect("renderer")
        .coach(&sheet, Format::Html)
        .expect("html");
    assert!(html.contains("Name of E1") && !html.contains("E2") && !html.contains("0101"));
}

#[test]
fn the_summary_hides_breakdowns_until_three_employees_are_in_them() {
    use Verdict::{Fail, Pass};
    let guides = guides();
    let two: Vec<ScoredInteraction> = vec![
        interaction(1, "E1", "en", [Pass, Fail, Pass, Pass]),
        interaction(2, "E2", "en", [Pass, Pass, Fail, Pass]),
    ];
    let summary = |items: &[ScoredInteraction]| {
        build_summary(&SummaryInput {
            since: None,
            until: None,
            interactions: items,
            look_over: items,
            guides: &guides,
            prepared_on: None,
            left_out: 0,
        })
    };
    let small = summary(&two);
    assert!(small.volume.is_none() && small.distribution.is_none());
    assert!(small.criteria.iter().all(|c| c.suppressed && c.rate.is_none() && c.passed.is_none()));
    let mut three = two.clone();
    three.push(interaction(3, "E3", "en", [Fail, Pass, Pass, Pass]));
    let full = summary(&three);
    assert_eq!(full.volume.as_ref().map(Vec::len), Some(3));
    let heavy = &full.criteria[0];
    assert_eq!(
        (heavy.criterion.as_str(), heavy.passed, heavy.rate.as_deref()),
        ("heavy", Some(2), Some("67"))
    );
    let csv = full.criteria_records();
    assert_eq!(csv[0][..3], ["rubric", "criterion", "title"]);
    assert_eq!(csv.len(), 5);
}

#[test]
fn the_summary_lists_transcripts_the_recogniser_was_unsure_of_after_the_low_scores() {
    use Verdict::Pass;
    let guides = guides();
    let mut items: Vec<ScoredInteraction> = (1..=20)
        .map(|n| interaction(n, ["E1", "E2", "E3"][n as usize % 3], "en", [Pass; 4]))
        .collect();
    // Scores run 51–70, so C-15 and C-16 are not among the lowest; Whisper was unsure of them.
    items[14].transcript_confidence = Some(0.41);
    items[15].transcript_confidence = Some(0.55);
    items[16].transcript_confidence = Some(0.9);
    // C-2 is both low and unsure: listed once, with both reasons.
    items[1].transcript_confidence = Some(0.3);
    let summary = build_summary(&SummaryInput {
        since: None,
        until: None,
        interactions: &items,
        look_over: &items,
        guides: &guides,
        prepared_on: None,
        left_out: 0,
    });
    let listed: Vec<(&str, bool, Option<&str>)> = summary
        .worth_a_look
        .iter()
        .map(|r| (r.call_id.as_str(), r.low, r.unsure.as_deref()))
        .collect();
    assert_eq!(
        listed,
        [
            ("C-1", true, None),
            ("C-2", true, Some("30")),
            ("C-3", true, None),
            ("C-4", true, None),
            ("C-5", true, None),
            ("C-6", true, None),
            ("C-7", true, None),
            ("C-15", false, Some("41")),
            ("C-16", false, Some("55")),
        ]
    );
    let md = Renderer::new(&TemplateSet::builtin(), "en")
        .expect("renderer")
        .summary(&summary, Format::Markdown)
        .expect("markdown");
    assert!(
        md.contains("| among the lowest scores; unsure transcript (confidence 30 %) |"),
        "{md}"
    );
    assert!(md.contains("| unsure transcript (confidence 41 %) |"), "{md}");
}

#[test]
fn unreviewed_scorecards_and_disputed_verdicts_are_marked_on_the_sheet_and_the_summary() {
    use Verdict::{Fail, Pass};
    let guides = guides();
    let mut interactions = vec![
        interaction(1, "E1", "en", [Fail, Pass, Pass, Pass]),
        interaction(2, "E1", "en", [Fail, Pass, Pass, Pass]),
        interaction(3, "E1", "en", [Pass, Pass, Pass, Pass]),
    ];
    // Call 2 is automatic (nobody reviewed it); E1 disputes heavy on call 1, and had a dispute
    // of light on call 3 rejected.
    interactions[1].review = None;
    interactions[0].disputes.push(DisputeMark { criterion: "heavy".into(), outcome: None });
    interactions[2]
        .disputes
        .push(DisputeMark { criterion: "light".into(), outcome: Some(Outcome::Rejected) });
    let employee = Employee { id: "E1".into(), name: None };
    let sheet = build_sheet(&CoachInput {
        employee: &employee,
        since: None,
        until: None,
        interactions: &interactions,
        guides: &guides,
        lang: "en",
        prepared_on: None,
        left_out: 0,
    });
    assert_eq!((sheet.unreviewed, sheet.open_disputes), (1, 1));
    assert_eq!(sheet.reviewers, ["QA1"]);
    let heavy = &sheet.focus[0];
    assert_eq!(heavy.criterion, "heavy");
    let marks: Vec<(&str, bool, Option<&str>)> =
        heavy.moments.iter().map(|m| (m.call_id.as_str(), m.unreviewed, m.dispute)).collect();
    assert_eq!(marks, [("C-2", true, None), ("C-1", false, Some("open"))]);
    let rows: Vec<(bool, Vec<(&str, &str)>)> = sheet
        .interactions
        .iter()
        .map(|i| {
            (i.unreviewed, i.disputes.iter().map(|d| (d.criterion.as_str(), d.status)).collect())
        })
        .collect();
    assert_eq!(
        rows,
        [
            (false, vec![("Title of heavy", "open")]),
            (true, vec![]),
            (false, vec![("Title of light", "rejected")])
        ]
    );
    let renderer = Renderer::new(&TemplateSet::builtin(), "en").expect("renderer");
    let md = renderer.coach(&sheet, Format::Markdown).expect("markdown");
    assert!(md.contains("1 of the 3 scorecards on this sheet"), "{md}");
    assert!(md.contains("C-2, 2026-03-02, at 1:01 (you) *(unreviewed)*"), "{md}");
    assert!(md.contains("**disputed: open**"), "{md}");
    let html = renderer.coach(&sheet, Format::Html).expect("html");
    assert!(html.contains("class=\"unreviewed\""), "{html}");
    assert!(html.contains("class=\"disputed\""), "{html}");

    let summary = build_summary(&SummaryInput {
        since: None,
        until: None,
        interactions: &interactions,
        look_over: &interactions,
        guides: &guides,
        prepared_on: None,
        left_out: 0,
    });
    assert_eq!((summary.totals.reviewed, summary.totals.unreviewed), (2, 1));
    let csv = summary.criteria_records();
    assert_eq!(csv[0].last().map(String::as_str), Some("unreviewed"));
    // One employee: the counts are suppressed, the unreviewed count with them.
    assert!(csv[1..].iter().all(|row| row.last().is_some_and(String::is_empty)), "{csv:?}");
}

#[test]
fn the_summary_looks_at_unreviewed_scorecards_too_and_both_reports_say_what_was_left_out() {
    use Verdict::{Fail, Pass};
    let guides = guides();
    let mut all: Vec<ScoredInteraction> = (1..=6)
        .map(|n| interaction(n, ["E1", "E2", "E3"][n as usize % 3], "en", [Pass; 4]))
        .collect();
    // C-6 is unreviewed, scored lowest and missed a critical criterion; C-5 is unreviewed and
    // transcribed unsure. Both are left out of the figures, not out of the list.
    all[5] = interaction(6, "E3", "en", [Fail, Fail, Fail, Fail]);
    all[5].scorecard.score = Some(10.0);
    all[5].scorecard.critical_miss = true;
    all[5].scorecard.criteria[3].critical_miss = true;
    all[5].review = None;
    all[4].review = None;
    all[4].transcript_confidence = Some(0.4);
    let reviewed: Vec<ScoredInteraction> =
        all.iter().filter(|i| i.review.is_some()).cloned().collect();
    let summary = build_summary(&SummaryInput {
        since: None,
        until: None,
        interactions: &reviewed,
        look_over: &all,
        guides: &guides,
        prepared_on: None,
        left_out: 2,
    });
    assert_eq!((summary.totals.interactions, summary.totals.unreviewed), (4, 0));
    let listed: Vec<(&str, bool, bool, bool)> = summary
        .worth_a_look
        .iter()
        .map(|r| (r.call_id.as_str(), !r.critical.is_empty(), r.unsure.is_some(), r.unreviewed))
        .collect();
    assert_eq!(listed.first(), Some(&("C-6", true, false, true)), "{listed:?}");
    assert!(listed.contains(&("C-5", false, true, true)), "{listed:?}");
    for (lang, note) in [
        (
            "en",
            "*2 interaction(s) of this period are left out of these figures because nobody has reviewed them yet (--include-unreviewed includes them)",
        ),
        ("nb", "*2 samtale(r) eller besøk fra denne perioden er holdt utenfor tallene"),
    ] {
        let renderer = Renderer::new(&TemplateSet::builtin(), lang).expect("renderer");
        let md = renderer.summary(&summary, Format::Markdown).expect("markdown");
        assert!(md.contains(note), "{md}");
        let html = renderer.summary(&summary, Format::Html).expect("html");
        assert!(html.contains("class=\"note left-out-note\""), "{html}");
    }

    let employee = Employee { id: "E1".into(), name: None };
    let sheet = build_sheet(&CoachInput {
        employee: &employee,
        since: None,
        until: None,
        interactions: &reviewed,
        guides: &guides,
        lang: "en",
        prepared_on: None,
        left_out: 3,
    });
    assert_eq!(sheet.left_out, 3);
    for (lang, note) in [
        (
            "en",
            "*3 interaction(s) of this period are not on this sheet: nobody has reviewed them yet.*",
        ),
        ("nb", "*3 samtale(r) eller besøk fra denne perioden er ikke med på dette arket"),
    ] {
        let md = Renderer::new(&TemplateSet::builtin(), lang)
            .expect("renderer")
            .coach(&sheet, Format::Markdown)
            .expect("markdown");
        assert!(md.contains(note), "{md}");
    }
    let none =
        build_sheet(&CoachInput { left_out: 0, ..sheet_input(&employee, &reviewed, &guides) });
    let md = Renderer::new(&TemplateSet::builtin(), "en")
        .expect("renderer")
        .coach(&none, Format::Markdown)
        .expect("markdown");
    assert!(!md.contains("not on this sheet"), "no note when nothing is left out: {md}");
}

fn sheet_input<'a>(
    employee: &'a Employee,
    interactions: &'a [ScoredInteraction],
    guides: &'a Guides,
) -> CoachInput<'a> {
    CoachInput {
        employee,
        since: None,
        until: None,
        interactions,
        guides,
        lang: "en",
        prepared_on: None,
        left_out: 0,
    }
}
