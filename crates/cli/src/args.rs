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
            the time range optional), .json (qadesk's own), .vtt or .srt; or recordings (.wav, \
            .mp3, .flac), which are transcribed first. The interaction id is the file name \
            without its extension. A file that cannot be read is reported on stderr and \
            the others are still scored (exit code 1)."
    )]
    Score(ScoreArgs),
    /// Transcribe call recordings locally with Whisper
    #[command(long_about = "Transcribe call recordings locally with Whisper (whisper.cpp).\n\n\
            Reads WAV (PCM, float, μ-law, A-law), MP3 and FLAC. A stereo recording is split: by \
            default the left channel is the agent and the right the customer, each is transcribed \
            on its own and the turns are merged by time. A mono recording gives one speaker \
            (`unknown`) unless a sidecar transcript NAME.speakers.{txt,json,vtt,srt} next to it \
            gives the roles. Silence is skipped before Whisper and every timestamp refers to the \
            original recording. With --out, each input gets a file named after it (written \
            atomically, so an interrupted batch keeps the files already done); without, the \
            transcripts are printed.")]
    Transcribe(TranscribeArgs),
    /// Work with rubric files
    Rubric {
        #[command(subcommand)]
        command: RubricCommand,
    },
    /// Get, import and list Whisper models
    Model {
        #[command(subcommand)]
        command: ModelCommand,
    },
}

/// How a recording's channels map to speakers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Channels {
    #[value(name = "agent,customer")]
    AgentCustomer,
    #[value(name = "customer,agent")]
    CustomerAgent,
    Mono,
}

/// Options shared by every command that transcribes audio.
#[derive(Debug, Clone, clap::Args)]
pub struct SpeechArgs {
    /// Whisper model (ggml file); default: $QADESK_MODEL, then ./models/, then the user data dir
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,

    /// Which channel is whom in stereo recordings
    #[arg(long, value_enum, default_value = "agent,customer")]
    pub channels: Channels,

    /// Beam search with this many beams instead of greedy decoding (slower, sometimes better)
    #[arg(long, value_name = "N")]
    pub beam: Option<u32>,

    /// Give Whisper all the audio, silence included (slower; for comparison)
    #[arg(long)]
    pub no_vad: bool,

    /// Encode each piece of speech as a whole 30 s window, as whisper.cpp does by default
    /// (slower; for comparison)
    #[arg(long)]
    pub full_context: bool,

    /// Whisper threads per file
    #[arg(long, value_name = "N")]
    pub threads: Option<u32>,

    /// Transcribe two windows of speech at a time, one thread each, instead of one at a time
    /// with every thread
    #[arg(long, hide = true)]
    pub parallel_windows: bool,
}

#[derive(Debug, clap::Args)]
pub struct TranscribeArgs {
    /// Audio files (.wav, .mp3, .flac)
    #[arg(required = true, value_name = "AUDIO")]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub speech: SpeechArgs,

    /// Spoken language (en, nb, it, nl, es, et, …) or `auto` to detect it
    #[arg(long, default_value = "auto", value_name = "CODE")]
    pub language: String,

    /// Transcript format to write
    #[arg(long, short, default_value = "txt", value_name = "txt|json|vtt|srt")]
    pub format: String,

    /// Write one file per input into this directory instead of printing
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Files transcribed at the same time
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Convert a CTranslate2 (faster-whisper) model directory into a whisper.cpp ggml file
    #[command(name = "import-ct2")]
    ImportCt2 {
        /// Directory with model.bin (or model.bin.part1 + model.bin.part2), vocabulary.txt, config.json
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The ggml file to write
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
    },
    /// Download one of whisper.cpp's published models (needs internet)
    Fetch {
        /// tiny, tiny.en, base, base.en, small or small.en
        name: String,
        /// Where to put it
        #[arg(long, default_value = "models", value_name = "DIR")]
        dir: PathBuf,
    },
    /// List the models qadesk can find
    List,
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Transcript files (.txt, .json, .vtt, .srt) or recordings (.wav, .mp3, .flac)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The rubric to score against (a TOML file)
    #[arg(long, short, value_name = "FILE")]
    pub rubric: PathBuf,

    /// Output: a table for people, JSON Lines (one scorecard a line), or CSV (one row per criterion)
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,

    /// Language of the calls (e.g. en, nb, it, nl, es, et): picks the rubric's phrases and, for
    /// recordings, the spoken language; `auto` detects it per file
    #[arg(long, default_value = "auto", value_name = "CODE")]
    pub language: String,

    /// Map other speaker labels to roles, e.g. "A=agent,B=customer"
    #[arg(long, value_name = "LABEL=ROLE,…")]
    pub speaker_map: Option<String>,

    /// Read every input in this format instead of going by the file extension
    #[arg(long, value_name = "txt|json|vtt|srt")]
    pub input_format: Option<String>,

    /// How audio inputs are transcribed before scoring
    #[command(flatten)]
    pub speech: SpeechArgs,
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
