//! `qadesk transcribe`: recordings in, transcript files (or stdout) out; a failed file is
//! reported and the batch carries on. Transcripts are redacted unless `--no-redact` is given.
#![allow(clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::bail;
use qadesk_transcript::Format;

use crate::args::TranscribeArgs;
use crate::exit::{Status, batch_status, one_input, report_input_error};
use crate::speech::Speech;

/// Files transcribed at once by default: one per core (each with one Whisper thread), or fewer
/// when there are fewer files. With Whisper's context cut to the speech, the transcription
/// benchmark measured two files at once, one thread each, fastest on two cores in every run
/// (2.29× the naive pipeline against 1.88× for one file at a time with both threads, same
/// word error rate), at about 130 MiB more memory.
pub fn default_jobs(files: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(files).max(1)
}

pub fn run(args: &TranscribeArgs) -> anyhow::Result<Status> {
    let format: Format = args.format.parse().map_err(|_| {
        anyhow::anyhow!("--format: unknown format {:?}; use txt, json, vtt or srt", args.format)
    })?;
    if args.word_timestamps && format != Format::Json {
        bail!("--word-timestamps: word times are written only in JSON; add --format json");
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("--out {}: cannot create: {e}", dir.display()))?;
    }
    let jobs = args.jobs.unwrap_or_else(|| default_jobs(args.inputs.len())).max(1);
    if jobs > args.inputs.len().max(1) * 4 {
        bail!("--jobs {jobs}: more jobs than it makes sense to run");
    }
    if args.out.is_some() {
        let mut names = std::collections::HashSet::new();
        for path in &args.inputs {
            if !names.insert(output_name(path, format)) {
                bail!(
                    "two inputs would both be written to --out as {}; transcribe them into different directories",
                    output_name(path, format)
                );
            }
        }
    }
    if args.no_redact {
        eprintln!(
            "warning: --no-redact: the transcripts keep card numbers and personal data as said; \
             do not store or share them"
        );
    }
    let mut speech = Speech::load(&args.speech, &args.language, jobs)?;
    speech.set_word_timestamps(args.word_timestamps);
    let progress = std::io::stderr().is_terminal();
    let next = Mutex::new(args.inputs.iter());
    let failed = Mutex::new(0usize);
    let stdout = Mutex::new(std::io::stdout());
    // Set when stdout is closed (`qadesk transcribe … | head`): the reader wants no more.
    let stop = AtomicBool::new(false);

    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                // The lock is taken and released inside `take`, never held while transcribing.
                let take = || next.lock().ok().and_then(|mut it| it.next());
                while let Some(path) = take() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let output =
                        Output { format, dir: args.out.as_deref(), redact: !args.no_redact };
                    let outcome = one_input(path, || {
                        transcribe_one(&speech, path, output, progress, &stdout)
                    })
                    .unwrap_or_else(|message| Err(Failure::Input(message)));
                    match outcome {
                        Ok(()) => {}
                        Err(Failure::ClosedOutput) => stop.store(true, Ordering::Relaxed),
                        Err(Failure::Input(message)) => {
                            report_input_error(&message);
                            if let Ok(mut n) = failed.lock() {
                                *n += 1;
                            }
                        }
                    }
                }
            });
        }
    });
    if stop.into_inner() {
        return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe).into());
    }
    let failed = failed.into_inner().unwrap_or(0);
    Ok(batch_status(failed, args.inputs.len(), "recording(s)", "transcribed"))
}

/// Why one input produced no transcript.
enum Failure {
    /// Something about this recording; reported, and the batch carries on.
    Input(String),
    /// Stdout was closed by its reader.
    ClosedOutput,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Input(message)
    }
}

/// The file name an input's transcript gets in `--out`.
fn output_name(path: &Path, format: Format) -> String {
    let stem =
        path.file_stem().map_or_else(|| "transcript".into(), |s| s.to_string_lossy().into_owned());
    format!("{stem}.{}", format.name())
}

/// Where and how a transcript is written.
#[derive(Clone, Copy)]
struct Output<'a> {
    format: Format,
    dir: Option<&'a Path>,
    redact: bool,
}

fn transcribe_one(
    speech: &Speech,
    path: &Path,
    output: Output<'_>,
    progress: bool,
    stdout: &Mutex<std::io::Stdout>,
) -> Result<(), Failure> {
    let Output { format, dir: out, redact } = output;
    let (mut transcript, _) = speech.transcribe(path, progress)?;
    if redact {
        transcript = crate::redaction::transcript(&transcript).0;
    }
    let text = qadesk_transcript::write(&transcript, format)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    match out {
        Some(dir) => {
            let target = dir.join(output_name(path, format));
            Ok(write_atomically(&target, text.as_bytes())
                .map_err(|e| format!("{}: {e}", target.display()))?)
        }
        None => {
            let mut out = stdout.lock().map_err(|_| "stdout is unavailable".to_string())?;
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::ClosedOutput),
                Err(e) => Err(Failure::Input(format!("stdout: {e}"))),
            }
        }
    }
}

/// Writes to a temporary file beside the target, then renames it: a run killed midway never
/// leaves a half-written transcript. The temporary name is unique to this process and call.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name =
        target.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let temporary =
        target.with_file_name(format!(".{name}.{}.{unique}.partial", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}
