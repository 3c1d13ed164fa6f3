//! Transcribes a 16 kHz mono 16-bit WAV file and prints the segments and the decoding time;
//! used to measure threads and models on one file.
#![allow(clippy::print_stdout)] // An example program owns its output.

use std::path::PathBuf;
use std::time::Instant;

use qadesk_transcribe::{DecodeOptions, Whisper};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(model), Some(wav)) = (args.next(), args.next()) else {
        return Err("usage: transcribe_wav MODEL.bin AUDIO.wav [THREADS] [LANGUAGE] [RUNS]".into());
    };
    let threads = args.next().map(|t| t.parse()).transpose()?.unwrap_or(0);
    let language = args.next().filter(|l| l != "auto");
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(1);

    let mut reader = hound::WavReader::open(&wav)?;
    let spec = reader.spec();
    if spec.sample_rate != 16_000 || spec.channels != 1 || spec.bits_per_sample != 16 {
        return Err(format!("{wav}: need 16 kHz mono 16-bit PCM, found {spec:?}").into());
    }
    let samples: Vec<f32> = reader
        .samples::<i16>()
        .map(|s| s.map(|v| f32::from(v) / 32768.0))
        .collect::<Result<_, _>>()?;
    let audio_s = samples.len() as f64 / 16_000.0;

    let started = Instant::now();
    let whisper = Whisper::load(&PathBuf::from(&model))?;
    println!(
        "loaded {model} in {:.2} s (multilingual: {})",
        started.elapsed().as_secs_f64(),
        whisper.is_multilingual()
    );

    let options = DecodeOptions { language, threads, ..DecodeOptions::default() };
    for run in 1..=runs {
        let started = Instant::now();
        let result = whisper.transcribe(&samples, &options)?;
        let took = started.elapsed().as_secs_f64();
        println!(
            "run {run}: {audio_s:.1} s of audio in {took:.2} s ({:.1}x real time), {threads} threads, language {}",
            audio_s / took,
            result.language
        );
        if run == 1 {
            for s in &result.segments {
                println!("[{}-{}] {}", s.start_ms, s.end_ms, s.text);
            }
        }
    }
    Ok(())
}
