//! One module per subcommand; `run` dispatches.

mod model;
mod rubric;
mod score;
pub mod transcribe;

use crate::args::{Cli, Command, RubricCommand};
use crate::exit::Status;

pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Score(args) => score::run(&args),
        Command::Rubric { command: RubricCommand::Check { files } } => rubric::check(&files),
        Command::Transcribe(args) => transcribe::run(&args),
        Command::Model { command } => model::run(&command),
    }
}
