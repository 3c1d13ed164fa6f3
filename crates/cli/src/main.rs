//! The `qadesk` binary: parses the command line, runs one command, maps the outcome to an exit code.

mod args;
mod commands;
mod config;
mod exit;
mod inputs;
mod output;
mod redaction;
mod speech;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = args::Cli::parse();
    exit::finish(commands::run(args))
}
