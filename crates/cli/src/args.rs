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
    /// The qadesk database (a SQLite file, created when missing)
    #[arg(
        long,
        global = true,
        env = "QADESK_DB",
        default_value = "qadesk.db",
        value_name = "FILE"
    )]
    pub db: PathBuf,

    /// The settings file (retention periods); default qadesk.toml beside the database
    #[arg(long, global = true, env = "QADESK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

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
            the others are still scored (exit code 1). Card numbers and personal data are \
            redacted before scoring: quotes show tags such as [card number ending 0366]."
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
            transcripts are printed.\n\n\
            Card numbers, security codes, expiry dates, phone numbers, e-mail addresses and \
            national ids are replaced by tags such as [card number ending 0366] unless \
            --no-redact is given.")]
    Transcribe(TranscribeArgs),
    /// Transcribe, score and store many recordings or transcripts in the database
    #[command(long_about = "Transcribe, score and store many recordings or transcripts in the \
            database (--db, default ./qadesk.db).\n\n\
            PATHs are files or directories (searched recursively) of recordings (.wav, .mp3, \
            .flac) and transcripts (.txt, .json, .vtt, .srt; NAME.speakers.* sidecars are not \
            calls of their own). Each file is stored with its transcript, call metrics and \
            scorecard in one transaction: an interrupted run loses at most the files in \
            progress, and running the same command again continues where it stopped. A file \
            whose content is already stored is skipped, wherever it lies.\n\n\
            Metadata (call id, employee, date and time, queue, direction) comes from --metadata \
            (a CSV with a `file` column) or from file names (--name-pattern); without either, \
            the call id is the file name and the employee is unknown. Files that fail are \
            listed at the end and remembered: later runs skip them until --retry-failed.\n\n\
            Card numbers, security codes, expiry dates, phone numbers, e-mail addresses and \
            national ids are redacted from every transcript before it is scored or stored; \
            where they were is kept, so that `qadesk redact-audio` can silence the recording \
            there.")]
    Ingest(IngestArgs),
    /// Score stored transcripts again with a (new version of a) rubric, without transcribing
    #[command(long_about = "Score stored transcripts again with a rubric, without transcribing \
            again. A new rubric version adds scorecards beside the old ones (lists and exports \
            show the newest version); the same rubric text replaces its own scorecards.")]
    Rescore(RescoreArgs),
    /// List stored interactions with their scores
    List(ListArgs),
    /// Show one stored interaction: transcript with each verdict and its evidence inline
    Show(ShowArgs),
    /// Export one row per interaction and criterion (CSV for spreadsheets, or JSON Lines)
    Export(ExportArgs),
    /// Write private coaching sheets: one employee's strengths, focus areas and moments
    #[command(long_about = "Write a private coaching sheet for one employee (--employee) or \
            one per employee (--all), for a one-to-one conversation.\n\n\
            A sheet shows the period, how many calls, visits and mystery calls were evaluated, \
            the average score and band with a trend chart, two or three strengths with a quote, \
            one to three focus areas chosen by impact (criterion weight × how often it was \
            missed) with the rubric's coaching text, moments from the employee's own \
            interactions and a line to try, mystery-shop results, and room for agreed actions, \
            the next review date and both signatures. It contains only that employee's data, \
            and customer details in quotes (numbers, e-mail addresses, street addresses) are \
            masked. HTML (self-contained, prints on A4 and Letter) or Markdown; files are named \
            coaching-<ID>.html or .md in --out.\n\n\
            Sheets use each interaction's latest reviewed scorecard (`qadesk review`); \
            --include-unreviewed adds the interactions nobody has reviewed yet, with their \
            automatic scorecards, marked \"unreviewed\". Disputed verdicts are marked too.")]
    Coach(CoachArgs),
    /// Write the QA lead's summary: pass rates, score distribution, what to review, volume
    #[command(long_about = "Write the QA lead's summary of a period: pass rate per criterion \
            and per week, the score distribution, the interactions most worth a human look \
            (critical misses, lowest scores) and volume per employee. Any breakdown that would \
            cover fewer than 3 employees is left out. Per-employee rows make it a document for \
            the QA lead, not for the team.\n\n\
            It counts each interaction's latest reviewed scorecard (`qadesk review`); \
            --include-unreviewed adds the interactions nobody has reviewed yet, with their \
            automatic scorecards, marked \"unreviewed\".")]
    Summary(SummaryArgs),
    /// Review an interaction's automatic verdicts: accept or override each, with a reason
    #[command(long_about = "Review an interaction's automatic verdicts as a person.\n\n\
            Shows the transcript with each automatic verdict, its reason and its evidence (as \
            `qadesk show` does), then walks the criteria: Enter accepts the automatic verdict, \
            or type another (pass, partial, fail, na; a value 1–5 on a five-point criterion) \
            and a short reason. Esc goes back one step; Ctrl-C stops without storing anything. \
            The section scores, total and band are worked out again with the rubric's own rules, \
            and the result is stored as a `reviewed` scorecard with the reviewer and the time, \
            next to the automatic one, which is never changed. Reviewing the same interaction \
            again replaces your own earlier review; other reviewers keep theirs.\n\n\
            --decisions FILE does the same without a terminal, from a TOML file with one line \
            per criterion (see samples/reviews/): every problem in it is reported with its line \
            and nothing is stored until the file is right.")]
    Review(ReviewArgs),
    /// Reviewer agreement per criterion (percent, Cohen's or Fleiss' kappa) and how well the
    /// automatic verdicts agree with the reviewers
    #[command(long_about = "How well reviewers agree with each other, and the automatic \
            verdicts with them, per criterion.\n\n\
            For each criterion: the interactions reviewed, those reviewed by two or more \
            reviewers, their percent agreement, Cohen's kappa when the same two reviewers rated \
            them or Fleiss' kappa when more did (over the interactions with the most common \
            number of reviewers), and the automatic verdict's agreement with every review \
            (percent) and with the reviewers' majority (Cohen's kappa). Each figure comes with \
            the count behind it; a kappa over fewer than 5 interactions reads `too few items`, \
            and one where everyone gave one verdict reads `undefined`. Criteria whose automatic \
            verdicts agree least come first: their rules need work.")]
    Calibrate(CalibrateArgs),
    /// Employees' disputes of verdicts: open, decide, list
    Dispute {
        #[command(subcommand)]
        command: DisputeCommand,
    },
    /// Mystery shopping: import checklist answers, print blank checklists
    Shop {
        #[command(subcommand)]
        command: ShopCommand,
    },
    /// Delete what is past its retention period (set in qadesk.toml)
    #[command(long_about = "Delete what is past its retention period, as the settings file \
            sets it ([retention] in qadesk.toml beside the database, or --config FILE, or \
            QADESK_CONFIG): interactions with everything stored with them, transcripts and the \
            evidence quotes taken from them (scores stay), and the list of failed files. An \
            interaction's date is when it started, or when it was stored if that is unknown; \
            what is dated before today minus the period goes. Everything is deleted in one \
            transaction with SQLite's secure_delete on, then the file is rebuilt (VACUUM) and \
            its write-ahead log emptied, so the deleted bytes leave the files. Prints the rows \
            removed per table. Without a settings file nothing is deleted.")]
    Purge(PurgeArgs),
    /// A person's rights: export or erase everything stored about one employee
    Person {
        #[command(subcommand)]
        command: PersonCommand,
    },
    /// Record a mystery call from an input device into a WAV file
    #[command(long_about = "Record a mystery call from an input device (microphone, headset, \
            phone adapter) into a WAV file, at the device's own rate and sample format.\n\n\
            Before recording, qadesk reminds you that call-recording laws differ between \
            countries (the other party may have to be told, or to agree) and asks you to confirm; \
            --yes confirms beforehand, for scripts. Ctrl-C or --seconds stops the recording; the \
            file is written as audio arrives and its header is brought up to date every half \
            second, so even a killed recording leaves a readable WAV. If the device disappears \
            or the disk fills up, the recording stops and says how much the file keeps (exit \
            code 1). Then transcribe and score the call like any other: `qadesk ingest FILE.wav \
            -r RUBRIC` or `qadesk score FILE.wav -r RUBRIC`.")]
    Record(RecordArgs),
    /// Work with rubric files
    Rubric {
        #[command(subcommand)]
        command: RubricCommand,
    },
    /// Write a copy of a recording with card numbers and personal data silenced
    #[command(
        name = "redact-audio",
        long_about = "Write a copy of a recording with the stretches where card numbers, \
            security codes, expiry dates, phone numbers, e-mail addresses or national ids were \
            said silenced on every channel.\n\n\
            INPUT is a stored interaction (its call id or its number in `qadesk list`): its \
            recording is read from where it was ingested (and must be unchanged) and silenced \
            where its transcript was redacted. Or INPUT is a recording file: it is transcribed \
            with Whisper (or --transcript gives its timed transcript) and redacted first.\n\n\
            The copy has the same length, sample rate and channels; a WAV keeps its sample \
            format and every byte outside the silenced stretches; MP3 and FLAC are written as \
            16-bit PCM WAV. Each stretch is widened by --margin-ms on both sides. The input is \
            never overwritten, and the copy is written to a temporary file and renamed."
    )]
    RedactAudio(RedactAudioArgs),
    /// Get, import and list Whisper models
    Model {
        #[command(subcommand)]
        command: ModelCommand,
    },
}

/// How a recording's channels map to speakers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Channels {
    #[default]
    #[value(name = "agent,customer")]
    AgentCustomer,
    #[value(name = "customer,agent")]
    CustomerAgent,
    Mono,
}

/// Options shared by every command that transcribes audio.
#[derive(Debug, Clone, Default, clap::Args)]
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

    /// Files transcribed at the same time [default: one per core, each with one Whisper thread]
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,

    /// Add each word with its start and end time to the JSON output (whisper.cpp's token
    /// times: approximate, typically within a few tenths of a second; needs --format json)
    #[arg(long)]
    pub word_timestamps: bool,

    /// Write the exact words, card numbers and personal data included, for a person who must
    /// check what was said; a warning goes to stderr. (Only `transcribe` has this: what is
    /// stored or scored is always redacted.)
    #[arg(long)]
    pub no_redact: bool,
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

/// Which interactions a database command covers.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Only this employee's interactions
    #[arg(long, value_name = "ID")]
    pub employee: Option<String>,

    /// Only interactions on or after this day (YYYY-MM-DD); the call's date, or the ingest
    /// date when the call's is unknown
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only interactions on or before this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Files or directories of recordings and transcripts
    #[arg(value_name = "PATH", required_unless_present = "retry_failed")]
    pub paths: Vec<PathBuf>,

    /// The rubric to score against (a TOML file); its exact text is stored with the scores
    #[arg(long, short, value_name = "FILE")]
    pub rubric: PathBuf,

    /// CSV with a `file` column and any of call_id, employee_id, employee_name, date, time,
    /// queue, direction, kind
    #[arg(long, value_name = "FILE.csv")]
    pub metadata: Option<PathBuf>,

    /// Read metadata from file names, e.g. "{date}_{employee}_{call_id}"; placeholders: date,
    /// time, employee, employee_name, call_id, queue, direction, kind, and * for any text
    #[arg(long, value_name = "PATTERN")]
    pub name_pattern: Option<String>,

    /// Files processed at the same time [default: 1, with every core in Whisper]
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,

    /// Try again the files that failed in earlier runs (all of them when no PATH is given)
    #[arg(long)]
    pub retry_failed: bool,

    /// Language of the calls (en, nb, it, nl, es, et) or `auto` to detect it per file
    #[arg(long, default_value = "auto", value_name = "CODE")]
    pub language: String,

    /// Map other speaker labels in transcript files to roles, e.g. "A=agent,B=customer"
    #[arg(long, value_name = "LABEL=ROLE,…")]
    pub speaker_map: Option<String>,

    /// How recordings are transcribed
    #[command(flatten)]
    pub speech: SpeechArgs,
}

#[derive(Debug, clap::Args)]
pub struct RescoreArgs {
    /// The rubric to score against
    #[arg(long, short, value_name = "FILE")]
    pub rubric: PathBuf,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Language of the calls, or `auto` to detect it per transcript
    #[arg(long, default_value = "auto", value_name = "CODE")]
    pub language: String,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Only scorecards scoring below this (percent, or points for a points rubric)
    #[arg(long, value_name = "SCORE")]
    pub below: Option<f64>,

    /// A table for people, or CSV / JSON Lines for other tools
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The interaction: its call id or its number in `qadesk list`
    #[arg(value_name = "INTERACTION")]
    pub interaction: String,
}

/// Formats of a coaching sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SheetFormat {
    Html,
    Md,
}

/// Formats of the QA summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Html,
    Md,
    /// The per-criterion table only
    Csv,
}

/// Options shared by the commands that render templates.
#[derive(Debug, Clone, clap::Args)]
pub struct TemplateArgs {
    /// Language of the labels: en, nb, or any with a labels/<CODE>.toml in --templates
    #[arg(long, default_value = "en", value_name = "CODE")]
    pub lang: String,

    /// A folder of templates to use instead of the built-in ones (copy templates/ to start);
    /// files it lacks come from the built-in set
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// The date printed as "prepared on" (YYYY-MM-DD; default today)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CoachArgs {
    /// The employee whose sheet to write
    #[arg(long, value_name = "ID", required_unless_present = "all", conflicts_with = "all")]
    pub employee: Option<String>,

    /// One sheet per employee with scored interactions in the period
    #[arg(long)]
    pub all: bool,

    /// Only interactions on or after this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only interactions on or before this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// HTML (self-contained, for printing) or Markdown
    #[arg(long, short, value_enum, default_value_t = SheetFormat::Html)]
    pub format: SheetFormat,

    /// The folder to write the sheets to (created if missing)
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,

    /// Also use interactions nobody has reviewed yet (their automatic scorecards), marked
    /// "unreviewed"
    #[arg(long)]
    pub include_unreviewed: bool,

    #[command(flatten)]
    pub templates: TemplateArgs,
}

#[derive(Debug, clap::Args)]
pub struct SummaryArgs {
    /// Only interactions on or after this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only interactions on or before this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// HTML, Markdown, or CSV (the per-criterion table)
    #[arg(long, short, value_enum, default_value_t = SummaryFormat::Html)]
    pub format: SummaryFormat,

    /// Write to this file (replaced atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Also count interactions nobody has reviewed yet (their automatic scorecards), marked
    /// "unreviewed"
    #[arg(long)]
    pub include_unreviewed: bool,

    #[command(flatten)]
    pub templates: TemplateArgs,
}

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The interaction: its call id or its number in `qadesk list`
    #[arg(value_name = "INTERACTION", required_unless_present = "next", conflicts_with = "next")]
    pub interaction: Option<String>,

    /// The oldest interaction with an automatic scorecard you have not reviewed
    #[arg(long)]
    pub next: bool,

    /// Who is reviewing (your id); stored with the review
    #[arg(long, value_name = "ID")]
    pub reviewer: String,

    /// Take the decisions from this file instead of asking (TOML; see samples/reviews/)
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,

    /// Which scorecard to review when the interaction has several (a rubric id)
    #[arg(long, value_name = "ID")]
    pub rubric: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Only interactions on or after this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only interactions on or before this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Only this rubric's criteria (its id, e.g. call-quality)
    #[arg(long, value_name = "ID")]
    pub rubric: Option<String>,

    /// A table for people, CSV, or JSON (one document)
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum DisputeCommand {
    /// Record an employee's dispute of one verdict of an interaction
    #[command(long_about = "Record an employee's dispute of one verdict. It is of the \
            scorecard reports use for the interaction: its latest review, or its automatic \
            scorecard when nobody has reviewed it. Only the interaction's own employee can \
            dispute it.")]
    Open(DisputeOpenArgs),
    /// Record how a dispute ended (once)
    Decide(DisputeDecideArgs),
    /// List disputes, oldest first
    List(DisputeListArgs),
}

#[derive(Debug, clap::Args)]
pub struct DisputeOpenArgs {
    /// The interaction: its call id or its number in `qadesk list`
    #[arg(value_name = "INTERACTION")]
    pub interaction: String,

    /// The criterion whose verdict is disputed (its id, e.g. greeting)
    #[arg(value_name = "CRITERION")]
    pub criterion: String,

    /// The employee who disputes it (the interaction's own)
    #[arg(long, value_name = "ID")]
    pub employee: String,

    /// Why, in the employee's words
    #[arg(long, value_name = "TEXT")]
    pub reason: String,

    /// The rubric, when two of the interaction's rubrics have a criterion of that id
    #[arg(long, value_name = "ID")]
    pub rubric: Option<String>,
}

/// How a dispute ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DisputeOutcome {
    /// The employee was right
    Upheld,
    /// The verdict stands
    Rejected,
    /// The employee was partly right
    Partly,
}

#[derive(Debug, clap::Args)]
pub struct DisputeDecideArgs {
    /// The dispute's number (from `qadesk dispute list`)
    #[arg(value_name = "DISPUTE-ID")]
    pub dispute: i64,

    #[arg(long, value_enum)]
    pub outcome: DisputeOutcome,

    /// Who decided (their id)
    #[arg(long, value_name = "ID")]
    pub by: String,

    /// A note on the decision
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct DisputeListArgs {
    /// Only this employee's disputes
    #[arg(long, value_name = "ID")]
    pub employee: Option<String>,

    /// Only disputes not decided yet
    #[arg(long)]
    pub open: bool,

    /// A table for people, or CSV / JSON Lines for other tools
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// CSV (one header row, opens in a spreadsheet) or JSON Lines (one object a line)
    #[arg(long, short, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Only scorecards scoring below this
    #[arg(long, value_name = "SCORE")]
    pub below: Option<f64>,

    /// Write to this file (replaced atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ShopCommand {
    /// Check and store answer files written offline (TOML, one visit; or CSV, a visit a row)
    #[command(long_about = "Check and store answer files written offline: a TOML file per visit \
            (`checklist`, a [visit] table, an [answers] table) or a CSV with a visit per row \
            (columns id, kind, location, date, time_in, time_out, employee, employee_name, \
            employee_description, shopper, recording, then one column per question id). See \
            samples/answers/. Each visit is checked against the checklist (unknown questions, \
            values off the scale, missing required answers, files that do not exist) and \
            stored with its scorecard, or reported with every problem while the others are \
            imported. A mystery call whose [visit] names a `recording` is transcribed and scored \
            with --call-rubric too: one interaction, both scorecards. Importing the same file \
            again stores nothing twice.")]
    Import(ShopImportArgs),
    /// Print a blank checklist for working on paper
    Print(ShopPrintArgs),
    /// Fill a checklist in the terminal, one question at a time, with a draft that resumes
    #[command(long_about = "Fill a checklist in the terminal right after a visit, one question \
            at a time, with the question's help and its choices (type the number or the \
            word). Enter accepts, Esc goes back one question, Ctrl-C stops. Every answer is \
            saved at once to a draft (CHECKLIST-ID.draft.toml, an answer file), so running the \
            same command again resumes. At the end a summary is shown to confirm, and the \
            visit is stored with its scorecard.")]
    Fill(ShopFillArgs),
}

#[derive(Debug, clap::Args)]
pub struct ShopFillArgs {
    /// The checklist (a rubric with [[question]] tables)
    #[arg(value_name = "CHECKLIST")]
    pub checklist: PathBuf,

    /// The visit's id (e.g. from the assignment), filled in as the default
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// The employee observed (id), filled in as the default
    #[arg(long, value_name = "ID")]
    pub employee: Option<String>,

    /// Where the visit took place, filled in as the default
    #[arg(long, value_name = "NAME")]
    pub location: Option<String>,

    /// visit or mystery-call
    #[arg(long, default_value = "visit", value_parser = ["visit", "mystery-call"])]
    pub kind: String,

    /// Language of the questions; default the checklist's first language
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,

    /// Where the draft is kept; default ./CHECKLIST-ID.draft.toml
    #[arg(long, value_name = "FILE")]
    pub draft: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ShopImportArgs {
    /// Answer files (.toml or .csv)
    #[arg(required = true, value_name = "ANSWERS")]
    pub answers: Vec<PathBuf>,

    /// The checklist the answers belong to (a rubric with [[question]] tables)
    #[arg(long, short, value_name = "FILE")]
    pub checklist: PathBuf,

    /// The call rubric for recordings of mystery calls named in the answer files
    #[arg(long, value_name = "FILE")]
    pub call_rubric: Option<PathBuf>,

    /// How recordings of mystery calls are transcribed
    #[command(flatten)]
    pub speech: SpeechArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrintFormat {
    Html,
    Md,
}

#[derive(Debug, clap::Args)]
pub struct ShopPrintArgs {
    /// The checklist (a rubric with [[question]] tables)
    #[arg(value_name = "CHECKLIST")]
    pub checklist: PathBuf,

    /// HTML (self-contained, prints on A4 and Letter) or Markdown
    #[arg(long, short, value_enum, default_value_t = PrintFormat::Html)]
    pub format: PrintFormat,

    /// Language of the form; default the checklist's first language
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct RedactAudioArgs {
    /// A stored interaction (call id or number) or a recording file (.wav, .mp3, .flac)
    #[arg(value_name = "INPUT")]
    pub input: String,

    /// The copy to write (WAV)
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,

    /// The recording's transcript with timed segments (.txt, .json, .vtt, .srt), instead of
    /// transcribing it; only for a recording file
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,

    /// Map other speaker labels in --transcript to roles, e.g. "A=agent,B=customer"
    #[arg(long, value_name = "LABEL=ROLE,…")]
    pub speaker_map: Option<String>,

    /// Silence this many milliseconds more before and after each redacted stretch
    #[arg(long, value_name = "MS", default_value_t = 250)]
    pub margin_ms: u64,

    /// Replace FILE if it exists (never the input)
    #[arg(long)]
    pub force: bool,

    /// Spoken language when transcribing (en, nb, …) or `auto`
    #[arg(long, default_value = "auto", value_name = "CODE")]
    pub language: String,

    /// How the recording is transcribed
    #[command(flatten)]
    pub speech: SpeechArgs,
}

#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The WAV file to write
    #[arg(long, short, value_name = "FILE.wav", required_unless_present = "list_devices")]
    pub out: Option<PathBuf>,

    /// Stop after this many seconds of audio (default: record until Ctrl-C)
    #[arg(long, value_name = "N", value_parser = positive_seconds)]
    pub seconds: Option<f64>,

    /// The input device: a name from --list-devices (default: the system's default input)
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,

    /// List the input devices and exit
    #[arg(long, conflicts_with_all = ["out", "seconds", "force", "yes"])]
    pub list_devices: bool,

    /// Replace FILE.wav if it exists
    #[arg(long)]
    pub force: bool,

    /// Confirm without asking that recording this call is lawful and the other party has been
    /// told where that is required (for scripts; without a terminal qadesk refuses otherwise)
    #[arg(long, short)]
    pub yes: bool,
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 => Ok(seconds),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

#[derive(Debug, clap::Args)]
pub struct PurgeArgs {
    /// Count what would be deleted, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// The day the periods count back from (YYYY-MM-DD; default today, UTC)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Write everything stored about one employee as JSON, without other people's data
    #[command(long_about = "Write everything stored about one employee as JSON (a \
            subject-access export): their employee record, their interactions with metadata, \
            transcripts, call metrics, every scorecard with its criteria and evidence, \
            mystery-shopping answers and attachments' names and hashes, and the failed files \
            whose path or error names them. Other people's data is left out: customer speech \
            and turns whose speaker is not known are withheld (their times are kept), customer \
            details in the rest are masked, shoppers are not named, paths are reduced to file \
            names, and other employees' ids and names are replaced.")]
    Export(PersonExportArgs),
    /// Delete everything stored about one employee, after confirmation
    #[command(long_about = "Delete everything stored about one employee: their interactions \
            with recordings' facts, transcripts, metrics, scorecards, results, evidence, visits, \
            answers and attachments, the failed files whose path or error names them, and their \
            employee record, in one transaction with SQLite's secure_delete on; then the file \
            is rebuilt (VACUUM) and its write-ahead log emptied so the bytes are gone. Prints \
            the rows removed per table. Asks for confirmation on a terminal unless --yes.")]
    Erase(PersonEraseArgs),
}

#[derive(Debug, clap::Args)]
pub struct PersonExportArgs {
    /// The employee's id
    #[arg(value_name = "ID")]
    pub id: String,

    /// Write to this file (replaced atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct PersonEraseArgs {
    /// The employee's id
    #[arg(value_name = "ID")]
    pub id: String,

    /// Erase without asking (for scripts; without a terminal qadesk refuses otherwise)
    #[arg(long, short)]
    pub yes: bool,

    /// Count what would be removed, and change nothing
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
}
