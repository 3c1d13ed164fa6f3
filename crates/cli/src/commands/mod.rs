//! One module per subcommand; `run` dispatches.

mod browse;
mod calibrate;
mod dispute;
mod ingest;
mod model;
mod privacy;
#[cfg(feature = "record")]
mod record;
mod redact_audio;
mod report;
mod rescore;
mod review;
pub mod rubric;
mod score;
mod shop;
pub mod transcribe;

#[cfg(feature = "record")]
use record::run as record_call;

use crate::args::{Cli, Command, RubricCommand};
use crate::exit::Status;

pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Score(args) => score::run(&args),
        Command::Rubric { command: RubricCommand::Check { files } } => rubric::check(&files),
        Command::Transcribe(args) => transcribe::run(&args),
        Command::Model { command } => model::run(&command),
        Command::Ingest(args) => ingest::run(&cli.db, &args),
        Command::Rescore(args) => rescore::run(&cli.db, &args),
        Command::List(args) => browse::list(&cli.db, &args),
        Command::Show(args) => browse::show(&cli.db, &args),
        Command::Export(args) => browse::export(&cli.db, &args),
        Command::Review(args) => review::run(&cli.db, &args),
        Command::Calibrate(args) => calibrate::run(&cli.db, &args),
        Command::Dispute { command } => dispute::run(&cli.db, &command),
        Command::Shop { command } => shop::run(&cli.db, &command),
        Command::Coach(args) => report::coach(&cli.db, &args),
        Command::Summary(args) => report::summary(&cli.db, &args),
        Command::Purge(args) => privacy::purge(&cli.db, cli.config.as_deref(), &args),
        Command::Person { command } => privacy::person(&cli.db, &command),
        Command::Record(args) => record_call(&args),
        Command::RedactAudio(args) => redact_audio::run(&cli.db, &args),
    }
}

#[cfg(not(feature = "record"))]
fn record_call(_: &crate::args::RecordArgs) -> anyhow::Result<Status> {
    anyhow::bail!("this qadesk was built without recording (the cargo feature `record` is off)")
}
