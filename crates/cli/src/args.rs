//! Command-line syntax and help texts (clap); no behaviour.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "qadesk",
    version,
    about = "Audit service quality locally: score call transcripts against TOML rubrics",
    long_about = "Audit service quality locally.\n\n\
        qadesk scores call transcripts against rubrics written as TOML files. Every verdict \
        comes with a quote, a timestamp and a reason, and nothing leaves this machine.",
    after_help = "Exit codes: 0 ok, 1 some inputs failed (the others were processed), 2 usage or configuration error.\n\
        Start with: qadesk score samples/transcripts/*.txt --rubric rubrics/call-quality.toml"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score transcripts against a rubric and print scorecards
    #[command(
        long_about = "Score transcripts against a rubric and print one scorecard per input.\n\n\
            Inputs are transcript files: .txt (one utterance a line, `[00:00.0-00:03.2] Agent: text`, \
            the time range optional), .json (qadesk's own), .vtt or .srt. The interaction id is the \
            file name without its extension. A file that cannot be read is reported on stderr and \
            the others are still scored (exit code 1)."
    )]
    Score(ScoreArgs),
    /// Work with rubric files
    Rubric {
        #[command(subcommand)]
        command: RubricCommand,
    },
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Transcript files (.txt, .json, .vtt, .srt)
    #[arg(required = true, value_name = "TRANSCRIPT")]
    pub inputs: Vec<PathBuf>,

    /// The rubric to score against (a TOML file)
    #[arg(long, short, value_name = "FILE")]
    pub rubric: PathBuf,

    /// Output: a table for people, JSON Lines (one scorecard a line), or CSV (one row per criterion)
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,

    /// Language of the transcripts (e.g. en, nb, it, nl, es, et); `auto` detects it per file
    #[arg(long, default_value = "auto", value_name = "CODE")]
    pub language: String,

    /// Map other speaker labels to roles, e.g. "A=agent,B=customer"
    #[arg(long, value_name = "LABEL=ROLE,…")]
    pub speaker_map: Option<String>,

    /// Read every input in this format instead of going by the file extension
    #[arg(long, value_name = "txt|json|vtt|srt")]
    pub input_format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// Validate rubric files and report every problem with file:line:col
    Check {
        /// Rubric files
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}
