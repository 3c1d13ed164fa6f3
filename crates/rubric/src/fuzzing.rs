//! The entry points the `rubric` and `answers` fuzz targets and their regression tests share:
//! any text is a rubric or a list of problems, any answer file is sheets or an error, and
//! whatever parses scores without panicking into a well-formed scorecard. Reports what broke
//! instead of panicking.

use qadesk_domain::{Answers, Interaction, InteractionKind, Role, Scorecard, Segment, Transcript};

use crate::schema::ScoreUnit;
use crate::{Rubric, ScoreOptions, answers};

/// A short call in two languages' words, timed and untimed, so that phrase, timing, metric
/// and question checks all have something to look at.
fn sample_calls() -> Vec<Transcript> {
    let lines = [
        (Role::Agent, "Good morning, thank you for calling, you're speaking with Anna."),
        (Role::Customer, "Hi, my internet keeps dropping out. It's too expensive anyway."),
        (Role::Agent, "I'm sorry to hear that. Could you tell me your account number?"),
        (Role::Customer, "It's 4471 0923."),
        (Role::Unknown, "God morgen, du snakker med Ingrid. Et øyeblikk."),
        (Role::Agent, "Is there anything else I can help you with? Have a nice day."),
    ];
    let timed = lines
        .iter()
        .enumerate()
        .map(|(i, (role, text))| {
            let start = i as u64 * 7_000;
            Segment::timed(*role, start, start + 5_500, *text)
        })
        .collect();
    let untimed = lines.iter().map(|(role, text)| Segment::untimed(*role, *text)).collect();
    vec![
        Transcript { language: None, segments: timed },
        Transcript { language: Some("en".into()), segments: untimed },
        Transcript::default(),
    ]
}

/// Checks one rubric text: it parses, or every problem has a line and column; a rubric that
/// parses scores the sample calls (and, for a checklist, answers of every shape).
pub fn rubric(text: &str) -> Result<(), String> {
    let rubric = match crate::parse(text) {
        Ok(rubric) => rubric,
        Err(error) => {
            if error.problems().is_empty() {
                return Err("an invalid rubric with no problem listed".into());
            }
            if let Some(p) = error.problems().iter().find(|p| p.line == 0 || p.column == 0) {
                return Err(format!("a problem without a position: {p}"));
            }
            return Ok(());
        }
    };
    for transcript in sample_calls() {
        for language in [None, Some("en".to_string()), Some("nb".to_string())] {
            let interaction = Interaction::call("fuzz", transcript.clone());
            well_formed(&rubric, &rubric.score(&interaction, &ScoreOptions { language }))?;
        }
    }
    if !rubric.questions.is_empty() {
        for raw in ["yes", "no", "na", "3", "good", "12:30", "a,b", "", "999999"] {
            let mut given = Answers::new();
            for q in &rubric.questions {
                let raw = q.options.first().map_or(raw, |o| if raw == "a,b" { &o.id } else { raw });
                if let Ok(value) = q.interpret(raw) {
                    given.insert(q.id.clone(), value);
                }
            }
            let _ = rubric.check_answers(&given);
            let visit = Interaction {
                id: "fuzz".into(),
                kind: InteractionKind::Visit,
                transcript: None,
                answers: given,
            };
            well_formed(&rubric, &rubric.score(&visit, &ScoreOptions::default()))?;
        }
    }
    Ok(())
}

/// Checks one answer file against `checklists`. The first byte picks CSV (odd) or TOML (even)
/// and, divided by two, the checklist; the rest is the file's text.
pub fn answer_file(data: &[u8], checklists: &[Rubric]) -> Result<(), String> {
    let Some((&selector, rest)) = data.split_first() else {
        return Ok(());
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return Ok(());
    };
    let sheets = if selector % 2 == 1 {
        answers::read_csv(text)
    } else {
        answers::read_toml(text).map(|sheet| vec![sheet])
    };
    let Ok(sheets) = sheets else {
        return Ok(());
    };
    let Some(checklist) = checklists.get(usize::from(selector / 2) % checklists.len().max(1))
    else {
        return Ok(());
    };
    for sheet in sheets {
        let mut given = Answers::new();
        for (question, raw) in &sheet.answers {
            if let Some(q) = checklist.question(question)
                && let Ok(value) = q.interpret(raw)
            {
                given.insert(question.clone(), value);
            }
        }
        let _ = checklist.check_answers(&given);
        let visit = Interaction {
            id: "fuzz".into(),
            kind: InteractionKind::Visit,
            transcript: None,
            answers: given,
        };
        well_formed(checklist, &checklist.score(&visit, &ScoreOptions::default()))?;
    }
    Ok(())
}

/// A scorecard has a result per criterion, finite numbers, and a percent within 0–100.
fn well_formed(rubric: &Rubric, card: &Scorecard) -> Result<(), String> {
    if card.criteria.len() != rubric.criteria.len() {
        return Err(format!(
            "{} criteria in the rubric, {} in the scorecard",
            rubric.criteria.len(),
            card.criteria.len()
        ));
    }
    let numbers = [Some(card.points), Some(card.max_points), card.score]
        .into_iter()
        .chain(card.criteria.iter().flat_map(|c| [Some(c.points), Some(c.max), c.value]))
        .chain(card.sections.iter().flat_map(|s| [Some(s.points), Some(s.max), s.score]))
        .flatten();
    for n in numbers {
        if !n.is_finite() {
            return Err(format!("a number that is not finite: {n}\n{card:?}"));
        }
    }
    if rubric.score_unit == ScoreUnit::Percent
        && let Some(score) = card.score
        && !(0.0..=100.0 + 1e-9).contains(&score)
    {
        return Err(format!("a percent score of {score}"));
    }
    Ok(())
}
