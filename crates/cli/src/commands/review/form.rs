//! The interactive review: one criterion at a time in the terminal, its automatic verdict,
//! reason and evidence shown; Enter accepts, a verdict (or a five-point value) overrides and
//! asks why. Esc goes back one step, Ctrl-C stops and nothing is stored, and the end shows the
//! new total to confirm. Nothing is written until the review is confirmed.
#![allow(clippy::print_stdout)]

use inquire::validator::Validation;
use inquire::{Confirm, InquireError, Text};
use qadesk_domain::{CriterionResult, Decision, Scorecard, Verdict};
use qadesk_rubric::schema::Scale;
use qadesk_rubric::{Rubric, verdict_from_name, verdicts_for};

/// How the form ended.
pub enum Outcome {
    /// Confirmed: one decision per criterion, in the scorecard's order.
    Confirmed(Vec<(String, Decision)>),
    /// Ctrl-C, or the reviewer declined to store it.
    Stopped,
}

/// A criterion's decision while the form is open: `None` accepts.
type Choice = Option<(Verdict, Option<f64>)>;

#[derive(Clone, Copy)]
enum Step {
    Verdict(usize),
    Reason(usize),
    Confirm,
}

/// Walks the criteria of `card`. Errors only when there is no terminal or the terminal fails.
pub fn run(rubric: &Rubric, card: &Scorecard) -> anyhow::Result<Outcome> {
    let criteria = &card.criteria;
    let mut choices: Vec<Choice> = vec![None; criteria.len()];
    let mut reasons: Vec<String> = vec![String::new(); criteria.len()];
    let mut step = if criteria.is_empty() { Step::Confirm } else { Step::Verdict(0) };
    loop {
        let asked = match step {
            Step::Verdict(i) => {
                println!("\n{}", describe(rubric, &criteria[i], i, criteria.len()));
                ask_verdict(rubric, &criteria[i], choices[i]).map(|choice| {
                    choices[i] = choice;
                    step = match choice {
                        Some(_) => Step::Reason(i),
                        None if i + 1 < criteria.len() => Step::Verdict(i + 1),
                        None => Step::Confirm,
                    };
                })
            }
            Step::Reason(i) => {
                let (verdict, value) = choices[i].unwrap_or((Verdict::Na, None));
                ask_reason(&criteria[i], verdict, value, &reasons[i]).map(|reason| {
                    reasons[i] = reason;
                    step =
                        if i + 1 < criteria.len() { Step::Verdict(i + 1) } else { Step::Confirm };
                })
            }
            Step::Confirm => {
                let decisions = decisions(criteria, &choices, &reasons);
                println!("\n{}", preview(rubric, card, &decisions));
                match Confirm::new("Store this review?").with_default(true).prompt() {
                    Ok(true) => return Ok(Outcome::Confirmed(decisions)),
                    Ok(false) => return Ok(Outcome::Stopped),
                    Err(e) => Err(e),
                }
            }
        };
        match asked {
            Ok(()) => {}
            // Esc: one step back; from a verdict to the previous criterion's verdict.
            Err(InquireError::OperationCanceled) => {
                step = match step {
                    Step::Verdict(0) => Step::Verdict(0),
                    Step::Verdict(i) => Step::Verdict(i - 1),
                    Step::Reason(i) => Step::Verdict(i),
                    Step::Confirm => Step::Verdict(criteria.len() - 1),
                };
            }
            Err(InquireError::OperationInterrupted) => return Ok(Outcome::Stopped),
            Err(InquireError::NotTTY) => anyhow::bail!(
                "`qadesk review` needs a terminal to ask; without one, write the decisions in a \
                 file and pass it with --decisions (see samples/reviews/)"
            ),
            Err(e) => return Err(e.into()),
        }
    }
}

fn decisions(
    criteria: &[CriterionResult],
    choices: &[Choice],
    reasons: &[String],
) -> Vec<(String, Decision)> {
    criteria
        .iter()
        .zip(choices.iter().zip(reasons))
        .map(|(c, (choice, reason))| {
            let decision = match choice {
                None => Decision::Accept,
                Some((verdict, value)) => {
                    Decision::Override { verdict: *verdict, value: *value, reason: reason.clone() }
                }
            };
            (c.id.clone(), decision)
        })
        .collect()
}

/// The criterion as the reviewer needs it: title, scale, the automatic verdict with its
/// reason, and the evidence it rests on.
fn describe(rubric: &Rubric, c: &CriterionResult, i: usize, total: usize) -> String {
    let guide = rubric.criterion(&c.id);
    let title = guide.map_or(c.id.as_str(), |g| g.title.as_str());
    let scale = guide.map_or("", |g| scale_name(g.scale));
    let critical = if guide.is_some_and(|g| g.critical) { ", critical" } else { "" };
    let mut text = format!(
        "[{}/{total}] {} — {title} ({}{scale}{critical})\n  automatic: {}\n  reason: {}",
        i + 1,
        c.id,
        c.section,
        verdict_text(c.verdict, c.value, Some((c.points, c.max))),
        c.reason,
    );
    for e in &c.evidence {
        let at = match (e.start_ms, e.turn) {
            (Some(ms), _) => format!("{:02}:{:02}", ms / 60_000, ms / 1_000 % 60),
            (None, Some(turn)) => format!("turn {turn}"),
            (None, None) => "–".into(),
        };
        text.push_str(&format!("\n  evidence: {at} {}: “{}”", e.speaker, e.quote));
    }
    text
}

fn scale_name(scale: Scale) -> &'static str {
    match scale {
        Scale::PassFail => ", pass-fail",
        Scale::ThreePoint => ", three-point",
        Scale::FivePoint => ", five-point",
        Scale::Number => ", number",
    }
}

fn verdict_text(verdict: Verdict, value: Option<f64>, points: Option<(f64, f64)>) -> String {
    let value = value.map_or(String::new(), |v| format!(" (value {v})"));
    let points = match points {
        Some((p, max)) if verdict != Verdict::Na => format!(" {p}/{max}"),
        _ => String::new(),
    };
    format!("{verdict}{value}{points}")
}

/// Asks for a verdict: empty (or `accept`) accepts, a verdict name or a five-point value
/// overrides; checked against the criterion's scale as it is typed.
fn ask_verdict(
    rubric: &Rubric,
    c: &CriterionResult,
    current: Choice,
) -> Result<Choice, InquireError> {
    let five_point = rubric.criterion(&c.id).is_some_and(|g| g.scale == Scale::FivePoint);
    let scale = rubric.criterion(&c.id).map_or(Scale::ThreePoint, |g| g.scale);
    let allowed: Vec<&str> = verdicts_for(scale).iter().map(|v| v.as_str()).collect();
    let typed = if five_point { "a value 1–5 or na".to_string() } else { allowed.join(", ") };
    let help = format!(
        "Enter accepts {} · or type {typed} to override · Esc back · Ctrl-C stops (nothing is \
         stored)",
        c.verdict
    );
    let initial = match current {
        None => String::new(),
        Some((_, Some(value))) => value.to_string(),
        Some((verdict, None)) => verdict.as_str().to_string(),
    };
    let rubric_for_check = rubric.clone();
    let id = c.id.clone();
    let validator = move |input: &str| -> Result<Validation, inquire::CustomUserError> {
        Ok(match parse_choice(&rubric_for_check, &id, input) {
            Ok(_) => Validation::Valid,
            Err(message) => Validation::Invalid(message.into()),
        })
    };
    let answer = Text::new(&format!("{}: verdict", c.id))
        .with_initial_value(&initial)
        .with_help_message(&help)
        .with_validator(validator)
        .prompt()?;
    // The validator accepted it, so it parses; the automatic verdict typed again accepts it.
    Ok(parse_choice(rubric, &c.id, &answer).unwrap_or(None).filter(|&(verdict, value)| {
        verdict != c.verdict || value.is_some_and(|v| Some(v) != c.value)
    }))
}

/// What the reviewer typed: nothing or `accept` accepts; a verdict name, or a number on a
/// five-point criterion, is checked against the scale.
fn parse_choice(rubric: &Rubric, criterion: &str, input: &str) -> Result<Choice, String> {
    let input = input.trim();
    if input.is_empty() || input.eq_ignore_ascii_case("accept") {
        return Ok(None);
    }
    let (verdict, value) = match (verdict_from_name(input), input.parse::<f64>()) {
        (Some(verdict), _) => (Some(verdict), None),
        (None, Ok(value)) => (None, Some(value)),
        (None, Err(_)) => {
            return Err(format!("`{input}` is not a verdict (pass, partial, fail, na)"));
        }
    };
    rubric.check_override(criterion, verdict, value).map(Some)
}

fn ask_reason(
    c: &CriterionResult,
    verdict: Verdict,
    value: Option<f64>,
    current: &str,
) -> Result<String, InquireError> {
    let message = format!(
        "{}: why {} instead of {}?",
        c.id,
        verdict_text(verdict, value, None),
        verdict_text(c.verdict, value.and(c.value), None)
    );
    Text::new(&message)
        .with_initial_value(current)
        .with_help_message("a short reason, kept with the review · Esc back to the verdict")
        .with_validator(|input: &str| -> Result<Validation, inquire::CustomUserError> {
            Ok(if input.trim().is_empty() {
                Validation::Invalid("an override needs a reason".into())
            } else {
                Validation::Valid
            })
        })
        .prompt()
        .map(|s| s.trim().to_string())
}

/// The overrides and the total they give, before the reviewer confirms.
fn preview(rubric: &Rubric, card: &Scorecard, decisions: &[(String, Decision)]) -> String {
    let overrides: Vec<String> = decisions
        .iter()
        .filter_map(|(id, d)| match d {
            Decision::Override { verdict, value, reason } => {
                let auto = card.criteria.iter().find(|c| &c.id == id)?;
                Some(format!(
                    "  {id}: {} → {} ({reason})",
                    verdict_text(auto.verdict, auto.value, None),
                    verdict_text(*verdict, *value, None)
                ))
            }
            Decision::Accept => None,
        })
        .collect();
    let total = match rubric.review(card, decisions) {
        Ok((reviewed, _)) => format!(
            "{} → {}",
            crate::output::score_line(card),
            crate::output::score_line(&reviewed)
        ),
        Err(problems) => problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; "),
    };
    let accepted = decisions.len() - overrides.len();
    let mut text = format!("review: {accepted} accepted, {} overridden", overrides.len());
    for line in overrides {
        text.push('\n');
        text.push_str(&line);
    }
    text.push_str(&format!("\n  total: {total}"));
    text
}
