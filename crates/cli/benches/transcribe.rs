//! Transcription throughput, side by side in one run on the same calls and model: qadesk's
//! defaults against a naive pipeline (whole mono mix, no voice activity skipping, no channel
//! split), and the ways to use two cores. Prints audio seconds per wall second, word error
//! rate and peak memory of each configuration; asserts nothing.
//!
//! The calls are stereo recordings built from real speech clips (LibriVox readings, card-game
//! commands, jfk.wav) with the agent on the left, the customer on the right and realistic
//! pauses between turns, over line noise. Needs `scripts/setup` (model and clips). `-- --quick`
//! uses fewer calls, `-- --runs N` keeps the fastest of N runs of each configuration;
//! `QADESK_MODEL` picks another model.
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use qadesk_transcribe::wer::word_errors;

#[path = "../tests/common/mod.rs"]
mod common;
use common::calls::{Call, build_calls};
use common::workspace;

struct Measured {
    wall: Duration,
    /// User and system time of the child, from its last `/proc` sample (10 ms ticks).
    cpu: Duration,
    peak_kib: u64,
    wer: f64,
}

/// User plus system CPU time of a live process, from `/proc/PID/stat`.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at field 3, "state".
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Runs `qadesk transcribe` on every call with `flags`, sampling the child's peak memory.
fn run(calls: &[Call], flags: &[&str], out: &Path) -> Measured {
    std::fs::create_dir_all(out).expect("out dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_qadesk"));
    command
        .current_dir(workspace())
        .args(["transcribe", "--format", "json", "--out"])
        .arg(out)
        .args(flags);
    command.args(calls.iter().map(|c| &c.path));
    let start = Instant::now();
    let mut child = command.spawn().expect("qadesk starts");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let mut cpu = Duration::ZERO;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kib: u64 = line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
            peak_kib = peak_kib.max(kib);
        }
        cpu = cpu_time(child.id()).unwrap_or(cpu);
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let wall = start.elapsed();
    assert!(status.success(), "qadesk transcribe {flags:?} failed");
    let (mut errors, mut words) = (0, 0);
    for call in calls {
        let stem = call.path.file_stem().expect("stem").to_string_lossy().into_owned();
        let json = std::fs::read_to_string(out.join(format!("{stem}.json"))).expect("output");
        let transcript: qadesk_domain::Transcript =
            serde_json::from_str(&json).expect("transcript");
        let text: Vec<&str> = transcript.segments.iter().map(|s| s.text.as_str()).collect();
        let (e, w) = word_errors(&call.reference, &text.join(" "));
        errors += e;
        words += w;
    }
    Measured { wall, cpu, peak_kib, wer: errors as f64 / words as f64 }
}

/// The value after `name` on the command line, if given.
fn arg_value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let model = std::env::var("QADESK_MODEL").unwrap_or_else(|_| {
        workspace().join("models/ggml-tiny.en.bin").to_string_lossy().into_owned()
    });
    assert!(Path::new(&model).is_file(), "no model at {model}: run scripts/setup");
    let dir = tempfile::tempdir().expect("temp dir");
    let calls = build_calls(dir.path(), if quick { 2 } else { 4 }, 16);
    let audio_seconds: f64 = calls.iter().map(|c| c.seconds).sum();
    let silence = calls.iter().map(|c| c.silence_share * c.seconds).sum::<f64>() / audio_seconds;
    println!("model: {model}");
    println!(
        "{} stereo calls, {:.0} s of audio, {:.0} % of it silence on both channels together; {} cores",
        calls.len(),
        audio_seconds,
        silence * 100.0,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    // The two naive baselines differ only in decoding settings, so that a reader can tell
    // what comes from skipping silence and splitting channels and what from decoding. Whisper
    // is given the whole file there, so the cut context (qadesk's decoding) changes nothing
    // but a final window shorter than 30 s.
    let configurations: &[(&str, &[&str])] = &[
        (
            "naive, whisper.cpp's decoding (A)",
            &["--channels", "mono", "--no-vad", "--full-context", "--jobs", "1", "--threads", "2"],
        ),
        (
            "naive, qadesk's decoding (B)",
            &["--channels", "mono", "--no-vad", "--jobs", "1", "--threads", "2"],
        ),
        (
            "naive B, 2 files at once",
            &["--channels", "mono", "--no-vad", "--jobs", "2", "--threads", "1"],
        ),
        ("old default, whole 30 s context", &["--full-context", "--jobs", "1"]),
        ("one file at a time, 2 threads", &["--jobs", "1"]),
        (
            "two windows at once, 1 thread each",
            &["--parallel-windows", "--jobs", "1", "--threads", "2"],
        ),
        ("qadesk default (2 files at once)", &[]),
    ];
    // `-- --only TEXT` runs the configurations whose name contains TEXT (and the baselines).
    let only = arg_value("--only");
    let configurations: Vec<(&str, &[&str])> = configurations
        .iter()
        .copied()
        .filter(|(name, _)| {
            only.as_deref().is_none_or(|o| name.contains(o) || name.starts_with("naive, "))
        })
        .collect();
    // With `--runs N` every configuration runs N times, in turn, and the fastest run counts:
    // on a shared machine another process's burst then slows no configuration more than
    // another. whisper.cpp's threads wait for each other spinning, so a core taken away
    // costs far more than its share.
    let runs: usize = arg_value("--runs").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let mut best: Vec<Option<Measured>> = configurations.iter().map(|_| None).collect();
    for round in 0..runs {
        for (i, (_, flags)) in configurations.iter().enumerate() {
            let mut flags = flags.to_vec();
            flags.extend(["--model", model.as_str()]);
            let m = run(&calls, &flags, &dir.path().join(format!("out-{i}-{round}")));
            if best[i].as_ref().is_none_or(|b| m.wall < b.wall) {
                best[i] = Some(m);
            }
        }
    }
    let best: Vec<Measured> = best.into_iter().flatten().collect();
    println!(
        "{:<36} {:>9} {:>7} {:>7} {:>7} {:>6} {:>8} {:>7} {:>7}",
        "configuration", "audio s/s", "wall s", "CPU s", "WER", "MiB", "CPU/s", "vs A", "vs B"
    );
    let speed = |m: &Measured| audio_seconds / m.wall.as_secs_f64();
    for ((label, _), m) in configurations.iter().zip(&best) {
        println!(
            "{label:<36} {:>9.1} {:>7.1} {:>7.1} {:>6.1}% {:>6.0} {:>8.2} {:>6.2}x {:>6.2}x",
            speed(m),
            m.wall.as_secs_f64(),
            m.cpu.as_secs_f64(),
            m.wer * 100.0,
            m.peak_kib as f64 / 1024.0,
            m.cpu.as_secs_f64() / audio_seconds,
            speed(m) / speed(&best[0]),
            speed(m) / speed(&best[1]),
        );
    }
    println!(
        "audio s/s and vs A/B: wall-clock throughput; CPU/s: CPU seconds per audio second; \
         best of {runs} run(s) per configuration"
    );
}
