//! `qadesk rescore`: scores stored transcripts with a rubric again, without transcribing.
#![allow(clippy::print_stderr)]

use std::path::Path;

use qadesk_domain::Interaction;
use qadesk_store::{Filter, Store};

use crate::args::RescoreArgs;
use crate::commands::ingest::day_arg;
use crate::commands::rubric::RubricFile;
use crate::exit::Status;
use crate::{inputs, redaction};

/// Scorecards stored per transaction: large enough to be quick, small enough that an
/// interrupted run keeps most of its work.
const BATCH: usize = 500;

pub fn run(db: &Path, args: &RescoreArgs) -> anyhow::Result<Status> {
    let file = RubricFile::load(&args.rubric)?;
    let rubric = &file.rubric;
    let options = inputs::score_options(rubric, &args.language)?;
    let filter = filter(&args.filter, None)?;
    let mut store = Store::open(db)?;
    let rubric_row = file.store_in(&mut store)?;
    let stored = store.transcripts(&filter)?;
    let (mut scored, mut redacted) = (0, 0);
    for chunk in stored.chunks(BATCH) {
        // Transcripts stored before redaction existed are redacted now, in the store too.
        let cleaned: Vec<_> = chunk.iter().map(|s| redaction::transcript(&s.transcript)).collect();
        let changed: Vec<_> = chunk
            .iter()
            .zip(&cleaned)
            .filter(|(s, (clean, _))| *clean != s.transcript)
            .map(|(s, (clean, spans))| (s.interaction, &s.transcript, clean, spans.as_slice()))
            .collect();
        if !changed.is_empty() {
            store.redact_stored(&changed)?;
            redacted += changed.len();
        }
        let cards: Vec<_> = chunk
            .iter()
            .zip(cleaned)
            .map(|(s, (clean, _))| {
                let mut interaction = Interaction::call(s.call_id.clone(), clean);
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
    if redacted > 0 {
        eprintln!("redacted {redacted} transcript(s) stored before redaction existed");
    }
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
