//! `qadesk review`: a person accepts or overrides each automatic verdict of an interaction,
//! in the terminal (`form`) or from a decisions file (`decisions`); the rubric the scorecard
//! was scored with works out the new total, and the store keeps the reviewed scorecard next to
//! the automatic one.
#![allow(clippy::print_stderr, clippy::print_stdout)]

mod decisions;
mod form;

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context as _;
use qadesk_domain::{CriterionDecision, Scorecard};
use qadesk_store::{NewReview, ReviewTarget, Store};

use crate::args::ReviewArgs;
use crate::commands::browse::{open_existing, show_detail};
use crate::exit::Status;

pub fn run(db: &Path, args: &ReviewArgs) -> anyhow::Result<Status> {
    if args.reviewer.trim().is_empty() || args.reviewer.trim() != args.reviewer {
        anyhow::bail!(
            "--reviewer `{}`: give the reviewer's id, without spaces around it",
            args.reviewer
        );
    }
    let mut store = open_existing(db)?;
    let key = match (&args.interaction, args.next) {
        (Some(key), _) => key.clone(),
        (None, _) => match store.next_unreviewed(&args.reviewer, args.rubric.as_deref())? {
            Some(call_id) => call_id,
            None => {
                let of = args
                    .rubric
                    .as_ref()
                    .map_or(String::new(), |rubric| format!(" of rubric `{rubric}`"));
                eprintln!(
                    "nothing left to review for {}: every interaction with an automatic \
                     scorecard{of} in {} has their review",
                    args.reviewer,
                    db.display()
                );
                return Ok(Status::Ok);
            }
        },
    };
    let target = choose(&store, &key, args)?;
    let rubric = qadesk_rubric::parse(&target.rubric_toml).map_err(|e| {
        anyhow::anyhow!(
            "{}: the rubric text {} version {} was scored with no longer parses, so its scores \
             cannot be worked out again: {e}",
            target.call_id,
            target.card.rubric,
            target.card.rubric_version
        )
    })?;
    let earlier = store
        .reviews(target.interaction)?
        .into_iter()
        .find(|r| r.reviewer == args.reviewer && r.scorecard.rubric == target.card.rubric);

    let decisions = match &args.decisions {
        Some(path) => {
            let (file, mut problems) = decisions::read(path, &rubric)
                .map_err(|e| anyhow::anyhow!("{e}\nnothing was stored"))?;
            check_guards(path, &file, &target)?;
            // The whole review's problems (a criterion missing, an override that changes
            // nothing), except those of lines already reported.
            if let Err(whole) = rubric.review(&target.card, &file.decisions) {
                for p in whole {
                    let line = file.line_of(p.criterion.as_deref());
                    if p.criterion.is_none() || !problems.iter().any(|(l, _)| *l == line) {
                        problems.push((line, p.message));
                    }
                }
            }
            if !problems.is_empty() {
                anyhow::bail!(
                    "{}\nnothing was stored",
                    decisions::report(&path.display().to_string(), problems)
                );
            }
            file.decisions
        }
        None => {
            if !std::io::stdin().is_terminal() {
                anyhow::bail!(
                    "`qadesk review` needs a terminal to ask; without one, write the decisions \
                     in a file and pass it with --decisions (see samples/reviews/)"
                );
            }
            let detail = store.detail(&target.call_id)?;
            let mut out = std::io::stdout().lock();
            show_detail(&mut out, &detail)?;
            out.flush()?;
            drop(out);
            if let Some(earlier) = &earlier {
                println!(
                    "\nYou reviewed {} at {}: this review replaces that one.",
                    target.call_id, earlier.reviewed_at
                );
            }
            match form::run(&rubric, &target.card)? {
                form::Outcome::Confirmed(decisions) => decisions,
                form::Outcome::Stopped => {
                    eprintln!("stopped: nothing was stored");
                    return Ok(Status::SomeInputsFailed);
                }
            }
        }
    };
    let (card, records) = rubric.review(&target.card, &decisions).map_err(|problems| {
        anyhow::anyhow!(
            "{}: {}",
            target.call_id,
            problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; ")
        )
    })?;
    let saved = store.save_review(&NewReview {
        automatic: target.scorecard,
        automatic_scored_at: &target.scored_at,
        reviewer: &args.reviewer,
        card: &card,
        decisions: &records,
    })?;
    let mut out = std::io::stdout().lock();
    summary(&mut out, &target, &card, &records, &args.reviewer)?;
    out.flush()?;
    match earlier {
        Some(earlier) if saved.replaced => eprintln!(
            "stored in {}; it replaces {}'s earlier review of {} (made {})",
            store.path().display(),
            args.reviewer,
            target.call_id,
            earlier.reviewed_at
        ),
        _ => eprintln!("stored in {}", store.path().display()),
    }
    Ok(Status::Ok)
}

/// The automatic scorecard to review: the one of `--rubric`, the only one, or (with `--next`)
/// the first this reviewer has not reviewed.
fn choose(store: &Store, key: &str, args: &ReviewArgs) -> anyhow::Result<ReviewTarget> {
    let targets = store.review_targets(key)?;
    let ids: Vec<String> = targets.iter().map(|t| t.card.rubric.clone()).collect();
    if targets.is_empty() {
        anyhow::bail!("{key} has no automatic scorecard to review");
    }
    if let Some(wanted) = &args.rubric {
        return targets.into_iter().find(|t| &t.card.rubric == wanted).with_context(|| {
            format!("{key} has no scorecard of rubric `{wanted}` (it has: {})", ids.join(", "))
        });
    }
    if targets.len() == 1 {
        return Ok(targets.into_iter().next().expect("one target"));
    }
    if args.next {
        for target in targets {
            if !store.has_reviewed(target.scorecard, &args.reviewer)? {
                return Ok(target);
            }
        }
        anyhow::bail!("{key}: every scorecard has {}'s review", args.reviewer);
    }
    anyhow::bail!(
        "{key} has scorecards of several rubrics ({}): choose one with --rubric",
        ids.join(", ")
    )
}

/// A decisions file that names its interaction or rubric must name this one.
fn check_guards(
    path: &Path,
    file: &decisions::DecisionsFile,
    target: &ReviewTarget,
) -> anyhow::Result<()> {
    if let Some(named) = &file.interaction
        && named != &target.call_id
        && named != &target.interaction.to_string()
    {
        anyhow::bail!(
            "{}: the file is for interaction `{named}`, not {}; nothing was stored",
            path.display(),
            target.call_id
        );
    }
    if let Some(named) = &file.rubric
        && named != &target.card.rubric
    {
        anyhow::bail!(
            "{}: the file is for rubric `{named}`, but {}'s scorecard is of `{}`; nothing was \
             stored",
            path.display(),
            target.call_id,
            target.card.rubric
        );
    }
    Ok(())
}

/// What the review changed: the total before and after, and each override with its reason.
fn summary(
    out: &mut impl Write,
    target: &ReviewTarget,
    reviewed: &Scorecard,
    records: &[CriterionDecision],
    reviewer: &str,
) -> anyhow::Result<()> {
    let automatic = &target.card;
    writeln!(
        out,
        "{} · {} v{} · reviewed by {reviewer}",
        target.call_id, automatic.rubric, automatic.rubric_version
    )?;
    writeln!(
        out,
        "  automatic {} → reviewed {}",
        crate::output::score_line(automatic),
        crate::output::score_line(reviewed)
    )?;
    let overridden: Vec<&CriterionDecision> = records.iter().filter(|r| !r.accepted).collect();
    writeln!(
        out,
        "  {} of {} verdicts accepted, {} overridden",
        records.len() - overridden.len(),
        records.len(),
        overridden.len()
    )?;
    for r in overridden {
        let now = reviewed.criteria.iter().find(|c| c.id == r.criterion);
        writeln!(
            out,
            "  {}: {} → {}: {}",
            r.criterion,
            r.automatic_verdict,
            now.map_or("?", |c| c.verdict.as_str()),
            r.reason.as_deref().unwrap_or("")
        )?;
    }
    Ok(())
}
