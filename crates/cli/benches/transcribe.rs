//! Transcription throughput, side by side in one run on the same calls and model: qadesk's
//! defaults against a naive pipeline (whole mono mix, no voice activity skipping, no channel
//! split), and the ways to use two cores. Prints audio seconds per wall second, word error
//! rate and peak memory of each configuration; asserts nothing.
//!
//! The calls are stereo recordings built from real speech clips (LibriVox readings, card-game
//! commands, jfk.wav) with the agent on the left, the customer on the right and realistic
//! pauses between turns, over line noise. Needs `scripts/setup` (model and clips). `-- --quick`
//! uses fewer calls; `QADESK_MODEL` picks another model.
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
    peak_kib: u64,
    wer: f64,
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
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kib: u64 = line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
            peak_kib = peak_kib.max(kib);
        }
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
    Measured { wall, peak_kib, wer: errors as f64 / words as f64 }
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
    let configurations: &[(&str, &[&str])] = &[
        (
            "naive: mono mix, no VAD, 2 threads",
            &["--channels", "mono", "--no-vad", "--threads", "2"],
        ),
        ("qadesk default", &[]),
        ("two windows at once, 1 thread each", &["--parallel-windows", "--threads", "2"]),
        ("2 files at once, 1 thread each", &["--jobs", "2", "--threads", "1"]),
    ];
    println!(
        "{:<42} {:>12} {:>10} {:>8} {:>12}",
        "configuration", "audio s/s", "wall s", "WER", "peak MiB"
    );
    let mut baseline = None;
    for (i, (label, flags)) in configurations.iter().enumerate() {
        let mut flags = flags.to_vec();
        flags.extend(["--model", model.as_str()]);
        let m = run(&calls, &flags, &dir.path().join(format!("out-{i}")));
        let speed = audio_seconds / m.wall.as_secs_f64();
        let ratio =
            baseline.map(|b: f64| format!("  ({:.2}x naive)", speed / b)).unwrap_or_default();
        baseline.get_or_insert(speed);
        println!(
            "{label:<42} {speed:>12.1} {:>10.1} {:>7.1}% {:>12.0}{ratio}",
            m.wall.as_secs_f64(),
            m.wer * 100.0,
            m.peak_kib as f64 / 1024.0
        );
    }
}
