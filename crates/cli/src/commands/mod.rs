//! One module per subcommand; `run` dispatches.

mod rubric;
mod score;

use crate::args::{Cli, Command, RubricCommand};
use crate::exit::Status;

pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Score(args) => score::run(&args),
        Command::Rubric { command: RubricCommand::Check { files } } => rubric::check(&files),
    }
}
