//! `qadesk transcribe`: recordings in, transcript files (or stdout) out; a failed file is
//! reported and the batch carries on.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Mutex;

use anyhow::bail;
use qadesk_transcript::Format;

use crate::args::TranscribeArgs;
use crate::exit::{Status, batch_status, report_input_error};
use crate::speech::Speech;

/// Files transcribed at once by default. The transcription benchmark measured one file at a
/// time, with two windows of its speech in parallel on one thread each, as the fastest on two
/// cores (ahead of two files at once, and of one window at a time on both threads).
pub const DEFAULT_JOBS: usize = 1;

pub fn run(args: &TranscribeArgs) -> anyhow::Result<Status> {
    let format: Format = args.format.parse().map_err(|_| {
        anyhow::anyhow!("--format: unknown format {:?}; use txt, json, vtt or srt", args.format)
    })?;
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("--out {}: cannot create: {e}", dir.display()))?;
    }
    let jobs = args.jobs.unwrap_or(DEFAULT_JOBS).max(1);
    if jobs > args.inputs.len().max(1) * 4 {
        bail!("--jobs {jobs}: more jobs than it makes sense to run");
    }
    let speech = Speech::load(&args.speech, &args.language, jobs)?;
    let progress = std::io::stderr().is_terminal();
    let next = Mutex::new(args.inputs.iter());
    let failed = Mutex::new(0usize);
    let stdout = Mutex::new(std::io::stdout());

    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                // The lock is taken and released inside `take`, never held while transcribing.
                let take = || next.lock().ok().and_then(|mut it| it.next());
                while let Some(path) = take() {
                    let outcome = transcribe_one(
                        &speech,
                        path,
                        format,
                        args.out.as_deref(),
                        progress && jobs == 1,
                        &stdout,
                    );
                    if let Err(message) = outcome {
                        report_input_error(&message);
                        if let Ok(mut n) = failed.lock() {
                            *n += 1;
                        }
                    }
                }
            });
        }
    });
    let failed = failed.into_inner().unwrap_or(0);
    Ok(batch_status(failed, args.inputs.len(), "recording(s)", "transcribed"))
}

fn transcribe_one(
    speech: &Speech,
    path: &Path,
    format: Format,
    out: Option<&Path>,
    progress: bool,
    stdout: &Mutex<std::io::Stdout>,
) -> Result<(), String> {
    let (transcript, _) = speech.transcribe(path, progress)?;
    let text = qadesk_transcript::write(&transcript, format)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    match out {
        Some(dir) => {
            let name = path
                .file_stem()
                .map_or_else(|| "transcript".into(), |s| s.to_string_lossy().into_owned());
            let target = dir.join(format!("{name}.{}", format.name()));
            write_atomically(&target, text.as_bytes())
                .map_err(|e| format!("{}: {e}", target.display()))
        }
        None => {
            let mut out = stdout.lock().map_err(|_| "stdout is unavailable".to_string())?;
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| format!("stdout: {e}"))
        }
    }
}

/// Writes to a temporary file beside the target, then renames it: a run killed midway never
/// leaves a half-written transcript.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = target.with_extension(format!(
        "{}.partial",
        target.extension().and_then(|e| e.to_str()).unwrap_or("out")
    ));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, target)
}
