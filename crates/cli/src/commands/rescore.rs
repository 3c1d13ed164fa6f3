//! `qadesk rescore`: scores stored transcripts with a rubric again, without transcribing.
#![allow(clippy::print_stderr)]

use std::path::Path;

use qadesk_domain::Interaction;
use qadesk_store::{Filter, RubricText, Store};

use crate::args::RescoreArgs;
use crate::commands::ingest::{day_arg, sha256_hex};
use crate::exit::Status;
use crate::inputs;

/// Scorecards stored per transaction: large enough to be quick, small enough that an
/// interrupted run keeps most of its work.
const BATCH: usize = 500;

pub fn run(db: &Path, args: &RescoreArgs) -> anyhow::Result<Status> {
    let text = inputs::read_text(&args.rubric)
        .map_err(anyhow::Error::msg)
        .map_err(|e| e.context("cannot load the rubric"))?;
    let rubric = inputs::load_rubric(&args.rubric)?;
    let options = inputs::score_options(&rubric, &args.language)?;
    let filter = filter(&args.filter, None)?;
    let mut store = Store::open(db)?;
    let rubric_row = store.rubric(&RubricText {
        rubric_id: &rubric.id,
        version: rubric.version,
        title: &rubric.title,
        sha256: &sha256_hex(text.as_bytes()),
        toml: &text,
    })?;
    let stored = store.transcripts(&filter)?;
    let mut scored = 0;
    for chunk in stored.chunks(BATCH) {
        let cards: Vec<_> = chunk
            .iter()
            .map(|s| {
                let mut interaction = Interaction::call(s.call_id.clone(), s.transcript.clone());
                interaction.kind = s.kind;
                (s.interaction, rubric.score(&interaction, &options))
            })
            .collect();
        store.save_scorecards(rubric_row, &cards)?;
        scored += cards.len();
    }
    eprintln!(
        "re-scored {scored} interaction(s) with {} version {} into {}",
        rubric.id,
        rubric.version,
        store.path().display()
    );
    Ok(Status::Ok)
}

/// The store filter for the common `--employee/--since/--until` flags.
pub fn filter(args: &crate::args::FilterArgs, below: Option<f64>) -> anyhow::Result<Filter> {
    let since = day_arg("--since", args.since.as_deref())?;
    let until = day_arg("--until", args.until.as_deref())?;
    if let (Some(since), Some(until)) = (&since, &until)
        && since > until
    {
        anyhow::bail!("--since {since} is after --until {until}");
    }
    Ok(Filter { employee: args.employee.clone(), since, until, below })
}
