//! `qadesk ingest`: many files into the database. Workers read, transcribe and score in
//! parallel; this thread alone writes, committing finished files in small transactions.
#![allow(clippy::print_stderr)]

mod discover;
pub(crate) mod metadata;
mod work;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use qadesk_store::{NewInteraction, Store, Stored};

use self::discover::{FileKind, discover};
use self::metadata::MetadataSource;
pub use self::metadata::day_arg;
use self::work::{Context, Done, Task, process};
pub use self::work::{file_sha256, sha256_hex, stored_path};
use crate::args::IngestArgs;
use crate::commands::rubric::RubricFile;
use crate::exit::{Status, one_input, report_input_error};
use crate::speech::Speech;
use crate::{inputs, redaction};

/// Files ingested at once unless `--jobs` says otherwise (see where it is used).
const DEFAULT_JOBS: usize = 1;

/// The most finished files one transaction stores. Files finished while the previous commit
/// was being written go in together (one disk sync for many); the cap bounds what a crash
/// can roll back to files that were never reported as stored.
const MAX_BATCH: usize = 64;

pub fn run(db: &Path, args: &IngestArgs) -> anyhow::Result<Status> {
    let started = Instant::now();
    let file = RubricFile::load(&args.rubric)?;
    let rubric = &file.rubric;
    let options = inputs::score_options(rubric, &args.language)?;
    let speakers = inputs::speaker_map(rubric, args.speaker_map.as_deref())?;
    let metadata = MetadataSource::new(args.metadata.as_deref(), args.name_pattern.as_deref())?;
    if args.jobs == Some(0) {
        anyhow::bail!("--jobs: give at least 1");
    }

    let mut store = Store::open(db)?;
    let rubric_row = file.store_in(&mut store)?;
    let tasks = tasks(&store, args)?;
    if tasks.is_empty() {
        eprintln!("nothing to ingest: no recordings or transcripts under the given paths");
        return Ok(Status::Ok);
    }
    let recordings = tasks.iter().filter(|t| t.kind == FileKind::Recording).count();
    // One file at a time with every core in Whisper: the ingest benchmark (20 stereo calls of
    // about 45 s) measured it as fast as two files at once with one thread each (53.1 s
    // against 54.5 s) and with far less time outside Whisper (1.6 % against 16 % of the
    // workers' time), unlike `qadesk transcribe` on longer calls, where two at once won.
    let jobs = args.jobs.unwrap_or(DEFAULT_JOBS);
    let speech =
        if recordings > 0 { Some(Speech::load(&args.speech, &args.language, jobs)?) } else { None };
    let context = Context {
        rubric,
        rubric_row,
        options: &options,
        speakers: &speakers,
        metadata: &metadata,
        speech: speech.as_ref(),
        retry_failed: args.retry_failed,
    };
    let worker_stores: Vec<Store> =
        (0..jobs.min(tasks.len())).map(|_| Store::open(db)).collect::<Result<_, _>>()?;

    let bar = progress_bar(tasks.len());
    let mut tally = Tally::default();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::sync_channel::<Done>(2 * MAX_BATCH);
    let written = std::thread::scope(|scope| {
        for worker_store in worker_stores {
            let sender = sender.clone();
            let (context, tasks, next, stop) = (&context, &tasks, &next, &stop);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Some(task) = tasks.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let done = one_input(&task.path, || process(context, &worker_store, task))
                        .unwrap_or_else(|reason| Done::Failed {
                            path: stored_path(&task.path),
                            sha256: None,
                            reason,
                        });
                    if sender.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let written = write_all(&mut store, receiver, &bar, &mut tally);
        // A database error ends the run: let the workers stop after their current file.
        stop.store(true, Ordering::Relaxed);
        written
    });
    bar.finish_and_clear();
    written?;
    let workers = jobs.min(tasks.len());
    tally.report(
        started.elapsed(),
        speech.as_ref().map(Speech::whisper_time),
        workers,
        store.path(),
    );
    Ok(if tally.failed.is_empty() { Status::Ok } else { Status::SomeInputsFailed })
}

/// The files to process: those under the paths, plus (with `--retry-failed`) the failed ones.
fn tasks(store: &Store, args: &IngestArgs) -> anyhow::Result<Vec<Task>> {
    let failures: HashMap<String, Option<String>> =
        store.failures()?.into_iter().map(|f| (f.path, f.sha256)).collect();
    let mut files = discover(&args.paths).map_err(anyhow::Error::msg)?;
    if args.retry_failed {
        for path in failures.keys() {
            let path = std::path::PathBuf::from(path);
            let kind = if crate::speech::is_audio(&path) {
                FileKind::Recording
            } else {
                FileKind::Transcript
            };
            files.push((path, kind));
        }
    }
    let mut seen = std::collections::HashSet::new();
    Ok(files
        .into_iter()
        .filter_map(|(path, kind)| {
            let stored = stored_path(&path);
            seen.insert(stored.clone()).then(|| Task {
                failed_before: failures.get(&stored).cloned(),
                path,
                kind,
            })
        })
        .collect())
}

/// Receives finished files and stores them, a batch per transaction, until the workers are
/// done. Returns early only when the database itself fails.
fn write_all(
    store: &mut Store,
    receiver: mpsc::Receiver<Done>,
    bar: &ProgressBar,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(done) => batch.push(done),
                Err(_) => break,
            }
        }
        let mut ready: Vec<NewInteraction> = Vec::new();
        let mut audio: Vec<u64> = Vec::new();
        for done in batch {
            match done {
                Done::Ready { item, audio_ms } => {
                    ready.push(*item);
                    audio.push(audio_ms);
                }
                Done::AlreadyStored => tally.already_stored += 1,
                Done::FailedBefore => tally.failed_before += 1,
                Done::Failed { path, sha256, reason } => {
                    // A reason may quote the file (a transcript line that could not be read).
                    let reason = redaction::text(&reason);
                    store.record_failure(&path, sha256.as_deref(), &reason)?;
                    bar.suspend(|| report_input_error(&reason));
                    tally.failed.push(reason);
                }
            }
            bar.inc(1);
        }
        if ready.is_empty() {
            continue;
        }
        let outcomes = store.insert_batch(&ready)?;
        for ((item, outcome), audio_ms) in ready.iter().zip(outcomes).zip(audio) {
            match outcome {
                Ok(Stored::Inserted { .. }) => {
                    tally.ingested += 1;
                    tally.audio_ms += audio_ms;
                }
                Ok(Stored::AlreadyStored { .. }) => tally.already_stored += 1,
                Err(error) => {
                    let reason = redaction::text(&format!("{}: {error}", item.source.path));
                    store.record_failure(&item.source.path, Some(&item.source.sha256), &reason)?;
                    bar.suspend(|| report_input_error(&reason));
                    tally.failed.push(reason);
                }
            }
        }
        bar.set_message(format!("{} audio", audio_length(tally.audio_ms)));
    }
    Ok(())
}

fn progress_bar(total: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "[{bar:30}] {pos}/{len} files, {msg}, {elapsed} elapsed, eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message("0 min audio");
    bar.enable_steady_tick(Duration::from_millis(500));
    bar
}

/// What happened to the files of one run.
#[derive(Debug, Default)]
struct Tally {
    ingested: usize,
    already_stored: usize,
    failed_before: usize,
    failed: Vec<String>,
    audio_ms: u64,
}

impl Tally {
    fn report(&self, wall: Duration, whisper: Option<Duration>, workers: usize, db: &Path) {
        let mut line = format!(
            "ingested {}, already stored {}, failed {}",
            self.ingested,
            self.already_stored,
            self.failed.len()
        );
        if self.failed_before > 0 {
            line.push_str(&format!(
                ", skipped {} that failed before (--retry-failed to try again)",
                self.failed_before
            ));
        }
        eprintln!("{line}");
        for reason in &self.failed {
            eprintln!("  failed: {reason}");
        }
        let wall_s = wall.as_secs_f64();
        match whisper {
            // Whisper time is summed over the workers, so it is compared with their time.
            Some(whisper) => eprintln!(
                "time: {wall_s:.1} s for {} of audio; {workers} worker(s), in Whisper {:.1} s = \
                 {:.1} % of their time",
                audio_length(self.audio_ms),
                whisper.as_secs_f64(),
                100.0 * whisper.as_secs_f64() / (wall_s * workers.max(1) as f64).max(1e-9),
            ),
            None => eprintln!("time: {wall_s:.1} s"),
        }
        // Until a checkpoint, recent pages live in the write-ahead log beside the file.
        let wal = db.with_file_name(format!(
            "{}-wal",
            db.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        let size: u64 =
            [db, wal.as_path()].iter().map(|p| std::fs::metadata(p).map_or(0, |m| m.len())).sum();
        eprintln!("database: {} ({:.1} MiB)", db.display(), size as f64 / 1024.0 / 1024.0);
    }
}

/// Minutes under two hours (what a batch of calls usually is), hours above.
fn audio_length(ms: u64) -> String {
    let minutes = ms as f64 / 60_000.0;
    if minutes < 120.0 { format!("{minutes:.1} min") } else { format!("{:.2} h", minutes / 60.0) }
}
