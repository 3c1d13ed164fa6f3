//! `qadesk redact-audio`: a copy of a recording with the redacted stretches silenced. The
//! stretches come from the database (a stored interaction) or from redacting the recording's
//! transcript (given, or made with Whisper). Never overwrites the input; writes atomically.
#![allow(clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use qadesk_domain::Transcript;

use crate::args::RedactAudioArgs;
use crate::commands::browse::open_existing;
use crate::commands::ingest::file_sha256;
use crate::exit::Status;
use crate::inputs;
use crate::speech::Speech;

pub fn run(db: &Path, args: &RedactAudioArgs) -> anyhow::Result<Status> {
    let given = Path::new(&args.input);
    let (recording, spans, source) = if given.is_file() {
        from_recording(given, args)?
    } else {
        if args.transcript.is_some() {
            bail!("--transcript goes with a recording file, and {} is not a file", args.input);
        }
        from_store(db, &args.input)?
    };
    let out = &args.out;
    refuse_to_overwrite(&recording, out, args.force)?;
    let widened: Vec<(u64, u64)> = spans
        .iter()
        .map(|&(a, b)| (a.saturating_sub(args.margin_ms), b.saturating_add(args.margin_ms)))
        .collect();

    let extension = recording.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let file = std::fs::File::open(&recording)
        .with_context(|| format!("{}: cannot open", recording.display()))?;
    let temporary = temporary_beside(out);
    let written = std::fs::File::create(&temporary)
        .with_context(|| format!("{}: cannot create", temporary.display()))
        .and_then(|mut target| {
            let report =
                qadesk_audio::write_silenced(file, extension.as_deref(), &widened, &mut target)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", recording.display()))?;
            target.flush()?;
            target.sync_all().with_context(|| format!("{}: cannot sync", temporary.display()))?;
            Ok(report)
        });
    let report = match written {
        Ok(report) if report.converted && !is_wav_name(out) => {
            let _ = std::fs::remove_file(&temporary);
            bail!(
                "{}: {} audio is written as 16-bit PCM WAV; name the copy .wav",
                out.display(),
                report.info.codec
            );
        }
        Ok(report) => report,
        Err(error) => {
            let _ = std::fs::remove_file(&temporary);
            return Err(error);
        }
    };
    std::fs::rename(&temporary, out).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })?;

    let rate = f64::from(report.info.sample_rate);
    let converted = if report.converted {
        format!(", converted from {} to 16-bit PCM WAV", report.info.codec)
    } else {
        format!(", {} as the input", report.info.codec)
    };
    eprintln!(
        "wrote {}: {} stretch(es) from {source} silenced, {:.1} s of {:.1} s; {} Hz, {} channel(s){converted}",
        out.display(),
        spans.len(),
        report.silenced_frames as f64 / rate,
        report.frames as f64 / rate,
        report.info.sample_rate,
        report.info.channels,
    );
    Ok(Status::Ok)
}

type Spans = (PathBuf, Vec<(u64, u64)>, String);

/// A recording file: its transcript (given or made with Whisper), redacted.
fn from_recording(recording: &Path, args: &RedactAudioArgs) -> anyhow::Result<Spans> {
    let (transcript, source): (Transcript, String) = match &args.transcript {
        Some(path) => {
            let speakers = match &args.speaker_map {
                Some(map) => qadesk_transcript::SpeakerMap::parse(map)
                    .map_err(|e| anyhow::anyhow!("--speaker-map: {e}"))?,
                None => qadesk_transcript::SpeakerMap::default(),
            };
            let read =
                inputs::read_transcript(path, None, &speakers).map_err(anyhow::Error::msg)?;
            if !read.is_timed() {
                bail!(
                    "{}: some utterances have no times; redact-audio needs a timed transcript \
                     (or none, to transcribe the recording)",
                    path.display()
                );
            }
            (read, format!("the transcript {}", path.display()))
        }
        None => {
            let speech = Speech::load(&args.speech, &args.language, 1)?;
            let (heard, _) = speech
                .transcribe(recording, std::io::stderr().is_terminal())
                .map_err(|e| anyhow::anyhow!(crate::redaction::text(&e)))?;
            (heard, format!("Whisper ({})", speech.model_name()))
        }
    };
    let redacted = qadesk_redact::redact(&transcript);
    let spans = redacted.spans.iter().filter_map(|s| Some((s.start_ms?, s.end_ms?))).collect();
    Ok((recording.to_path_buf(), spans, source))
}

/// A stored interaction: its recording, unchanged since ingest, and its stored redactions.
fn from_store(db: &Path, key: &str) -> anyhow::Result<Spans> {
    let store = open_existing(db).with_context(|| {
        format!("{key} is neither a recording file nor, it seems, a stored interaction")
    })?;
    let stored = store.redactions(key)?;
    let Some((path, sha256)) = stored.recording else {
        bail!("interaction {} has no recording: it was ingested from a transcript", stored.call_id);
    };
    let recording = PathBuf::from(&path);
    let now = file_sha256(&recording).map_err(|e| {
        anyhow::anyhow!("{e} (the recording of interaction {} is gone)", stored.call_id)
    })?;
    if now != sha256 {
        bail!(
            "{path}: the recording of interaction {} changed since it was ingested; its \
             redactions no longer fit it",
            stored.call_id
        );
    }
    let untimed = stored.redactions.iter().filter(|r| r.start_ms.is_none()).count();
    if untimed > 0 {
        bail!("interaction {}: {untimed} redaction(s) have no times", stored.call_id);
    }
    let spans = stored.redactions.iter().filter_map(|r| Some((r.start_ms?, r.end_ms?))).collect();
    Ok((recording, spans, format!("interaction {}", stored.call_id)))
}

/// Refuses to write over the input (by any path to it), or over another file without --force.
fn refuse_to_overwrite(input: &Path, out: &Path, force: bool) -> anyhow::Result<()> {
    let input_real = std::fs::canonicalize(input)
        .with_context(|| format!("{}: cannot resolve", input.display()))?;
    let out_real = match std::fs::canonicalize(out) {
        Ok(real) => Some(real),
        Err(_) => {
            let parent =
                out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let parent = std::fs::canonicalize(parent)
                .with_context(|| format!("{}: no such folder", parent.display()))?;
            out.file_name().map(|name| parent.join(name))
        }
    };
    if out_real.as_deref() == Some(input_real.as_path()) || same_file(input, out) {
        bail!("--out {} is the input recording; write the copy elsewhere", out.display());
    }
    if out.exists() && !force {
        bail!("{} exists; give --force to replace it", out.display());
    }
    Ok(())
}

/// True when both paths name one file (hard links included).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    let _ = (a, b);
    false
}

fn is_wav_name(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("wav"))
}

/// A temporary name in the target's folder, unique to this process.
fn temporary_beside(target: &Path) -> PathBuf {
    let name =
        target.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}
