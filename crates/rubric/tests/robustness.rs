//! Parsing and scoring never panic: arbitrary text as a rubric, mutations of the shipped
//! rubric, and arbitrary transcripts scored against it.

use proptest::prelude::*;
use qadesk_domain::{Interaction, Role, Segment, Transcript};
use qadesk_rubric::ScoreOptions;

const CALL_QUALITY: &str = include_str!("../../../rubrics/call-quality.toml");

fn shipped() -> qadesk_rubric::Rubric {
    qadesk_rubric::parse(CALL_QUALITY).unwrap_or_else(|e| panic!("{:?}", e.problems()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_text_is_a_result_not_a_panic(text in "\\PC{0,400}") {
        let _ = qadesk_rubric::parse(&text);
    }

    #[test]
    fn mutated_rubric_is_a_result_not_a_panic(cut in 0usize..CALL_QUALITY.len(), len in 0usize..40, insert in "[\\[\\]{}=\"a-z0-9 .,\\n-]{0,12}") {
        let mut text = CALL_QUALITY.to_string();
        let start = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        if let Err(error) = qadesk_rubric::parse(&text) {
            prop_assert!(!error.problems().is_empty());
            for p in error.problems() {
                prop_assert!(p.line >= 1 && p.column >= 1);
            }
        }
    }

    #[test]
    fn arbitrary_transcripts_score_without_panic(
        turns in prop::collection::vec((0u8..3, any::<bool>(), 0u64..600_000, 0u64..20_000, "\\PC{0,80}"), 0..30),
        language in prop::sample::select(vec![None, Some("en"), Some("nb"), Some("xx")]),
    ) {
        let rubric = shipped();
        let segments = turns
            .into_iter()
            .map(|(role, timed, start, length, text)| {
                let speaker = [Role::Agent, Role::Customer, Role::Unknown][role as usize];
                if timed { Segment::timed(speaker, start, start + length, text) } else { Segment::untimed(speaker, text) }
            })
            .collect();
        let interaction = Interaction::call("prop", Transcript { language: None, segments });
        let card = rubric.score(&interaction, &ScoreOptions { language: language.map(str::to_string) });
        prop_assert_eq!(card.criteria.len(), rubric.criteria.len());
        if let Some(score) = card.score {
            prop_assert!((0.0..=100.0).contains(&score), "score {}", score);
        }
    }
}
