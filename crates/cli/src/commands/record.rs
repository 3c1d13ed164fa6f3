//! `qadesk record`: lists input devices, or reminds the shopper about consent, asks for
//! confirmation and records a mystery call to WAV with a live level meter. The capture itself
//! is `qadesk_audio::record`; this module owns the terminal, the Ctrl-C handler and exit codes.
#![allow(clippy::print_stderr)]

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use qadesk_audio::RecordError;
use qadesk_audio::record::{self, Progress, RecordOptions, Recorder, StopReason};

use crate::args::RecordArgs;
use crate::exit::{Status, report_input_error};

const CONSENT_REMINDER: &str = "\
Before you record: the law on recording phone calls differs between countries, and sometimes
between regions. In some places everyone on the call must agree to the recording; in others the
other party must at least be told. Check what applies where you and the person you are calling
are, and tell them when that law or your organisation's policy requires it.";

pub fn run(args: &RecordArgs) -> anyhow::Result<Status> {
    if args.list_devices {
        return list_devices();
    }
    let Some(out) = args.out.as_deref() else {
        anyhow::bail!("--out FILE.wav is required to record");
    };
    // Checked here as well as at creation, so that an existing file is reported before the
    // shopper is asked anything; the creation itself cannot overwrite it either.
    if !args.force && out.exists() {
        anyhow::bail!("{} already exists (pass --force to replace it)", out.display());
    }
    if !args.yes && !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "recording needs the shopper's confirmation and there is no terminal to ask on: run \
             `qadesk record` in a terminal, or pass --yes to confirm beforehand"
        );
    }
    let recorder = Recorder::open(args.device.as_deref()).context("cannot record")?;
    let format = recorder.format();

    eprintln!("{CONSENT_REMINDER}\n");
    eprintln!("Device: {} ({format})", recorder.device());
    if args.yes {
        eprintln!("Consent confirmed with --yes.");
    } else if !confirmed(out)? {
        eprintln!("Not recording.");
        return Ok(Status::Ok);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&stop);
    // With the `termination` feature this also catches SIGTERM and SIGHUP (a closed terminal),
    // so those finish the file as cleanly as Ctrl-C.
    ctrlc::set_handler(move || handler_flag.store(true, Ordering::Release))
        .context("cannot install the Ctrl-C handler")?;

    let options = RecordOptions {
        max_seconds: args.seconds,
        overwrite: args.force,
        ..RecordOptions::default()
    };
    let meter = Meter::new(args.seconds);
    let device = recorder.device().to_string();
    let result = recorder.record(out, &options, &stop, |progress| meter.show(progress));
    meter.finish();

    match result {
        Ok(recording) => {
            let why = match recording.reason {
                StopReason::Limit => "",
                StopReason::Requested => ", stopped by request",
                StopReason::FileFull => ", stopped at the 4 GiB a WAV file can hold",
            };
            writeln!(
                std::io::stdout().lock(),
                "recorded {:.1} s ({} frames, {}) from `{device}` to {}{why}",
                recording.seconds(),
                recording.frames,
                recording.format,
                out.display()
            )?;
            if recording.overruns > 0 {
                eprintln!(
                    "warning: the device overran {} time(s): the computer did not keep up and a \
                     few milliseconds of audio are missing at those moments",
                    recording.overruns
                );
            }
            Ok(Status::Ok)
        }
        // The file holds what was captured before the failure; saying how much is the point.
        Err(error @ (RecordError::DeviceLost { .. } | RecordError::Write { .. })) => {
            report_input_error(&format!("{}: {error}", out.display()));
            Ok(Status::SomeInputsFailed)
        }
        Err(RecordError::Exists { path }) => {
            anyhow::bail!("{} already exists (pass --force to replace it)", path.display())
        }
        Err(error) => Err(error).context("cannot record"),
    }
}

fn list_devices() -> anyhow::Result<Status> {
    let devices = record::input_devices().context("cannot list input devices")?;
    let mut out = std::io::stdout().lock();
    for device in devices {
        let mut line = device.id.clone();
        if let Some(description) = device.description.filter(|d| *d != device.id) {
            line.push_str(&format!("  {description}"));
        }
        if device.is_default {
            line.push_str("  (default)");
        }
        writeln!(out, "{line}")?;
    }
    Ok(Status::Ok)
}

/// Asks on the terminal (`run` has made sure there is one).
fn confirmed(out: &Path) -> anyhow::Result<bool> {
    eprint!("Record this call to {}? [y/N] ", out.display());
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

/// Elapsed time and a level meter on stderr, only when stderr is a terminal.
struct Meter {
    bar: ProgressBar,
}

impl Meter {
    fn new(limit: Option<f64>) -> Meter {
        let bar = if std::io::stderr().is_terminal() {
            ProgressBar::new_spinner()
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template("{spinner} recording {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let stop_hint = match limit {
            Some(seconds) => format!("stops after {} (Ctrl-C stops sooner)", clock(seconds)),
            None => "Ctrl-C stops".to_string(),
        };
        bar.set_message(format!("00:00  {}  {stop_hint}", level_bar(0.0)));
        bar.enable_steady_tick(Duration::from_millis(200));
        Meter { bar }
    }

    fn show(&self, progress: &Progress) {
        let mut message = format!("{}  {}", clock(progress.seconds()), level_bar(progress.peak));
        if progress.overruns > 0 {
            message.push_str(&format!("  {} overrun(s)", progress.overruns));
        }
        self.bar.set_message(message);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn clock(seconds: f64) -> String {
    let whole = seconds.max(0.0) as u64;
    format!("{:02}:{:02}", whole / 60, whole % 60)
}

/// A 20-cell meter from -60 dBFS to 0 dBFS, with the level in figures.
fn level_bar(peak: f32) -> String {
    const CELLS: usize = 20;
    let db = if peak > 0.0 { 20.0 * peak.log10() } else { f32::NEG_INFINITY };
    let filled = (((db + 60.0) / 60.0).clamp(0.0, 1.0) * CELLS as f32).round() as usize;
    let figures = if db.is_finite() && db > -99.0 {
        format!("{db:>4.0} dBFS")
    } else {
        "  silent".to_string()
    };
    format!("[{}{}] {figures}", "#".repeat(filled), "-".repeat(CELLS - filled))
}
