//! Voice activity detection finds speech at known times (±50 ms) over silence and noise of any
//! level, ignores steady noise and short clicks, and finds real speech mostly speech.
#![allow(clippy::print_stdout)] // these tests print what they measure

mod common;

use common::*;
use qadesk_audio::decode_16k_bytes;
use qadesk_audio::vad::{SpeechSpan, VadConfig, speech_share, speech_spans};

const RATE: usize = 16_000;

/// Adds a "voice" (two tones with a syllable-rate wobble) from `start_s` to `end_s`.
fn add_burst(signal: &mut [f32], start_s: f32, end_s: f32, amplitude: f32) {
    let from = (start_s * RATE as f32) as usize;
    let to = (end_s * RATE as f32) as usize;
    let low = sine(220.0, RATE as u32, end_s - start_s + 0.01, 1.0);
    let high = sine(1_300.0, RATE as u32, end_s - start_s + 0.01, 1.0);
    let wobble = sine(4.0, RATE as u32, end_s - start_s + 0.01, 1.0);
    for (i, sample) in signal[from..to].iter_mut().enumerate() {
        let envelope = 0.75 + 0.25 * wobble[i];
        *sample += amplitude * envelope * (0.6 * low[i] + 0.4 * high[i]);
    }
}

/// 12 s: digital silence for the first second, then steady noise at `noise_amplitude`, with
/// bursts at 1.5–3.0 s and 3.2–3.9 s (a 200 ms pause: one span), a 100 ms click at 6.0 s (too
/// short), and 8.0–10.5 s.
fn scene(noise_amplitude: f32, voice_amplitude: f32) -> Vec<f32> {
    let mut signal = vec![0.0f32; 12 * RATE];
    let background = noise(11 * RATE, noise_amplitude, 5);
    signal[RATE..].copy_from_slice(&background);
    add_burst(&mut signal, 1.5, 3.0, voice_amplitude);
    add_burst(&mut signal, 3.2, 3.9, voice_amplitude);
    add_burst(&mut signal, 6.0, 6.1, voice_amplitude);
    add_burst(&mut signal, 8.0, 10.5, voice_amplitude);
    signal
}

fn assert_spans_near(found: &[SpeechSpan], expected: &[(u64, u64)], label: &str) {
    assert_eq!(found.len(), expected.len(), "{label}: found {found:?}");
    for (span, &(start, end)) in found.iter().zip(expected) {
        assert!(
            span.start_ms.abs_diff(start) <= 50 && span.end_ms.abs_diff(end) <= 50,
            "{label}: found {span:?}, expected {start}..{end} ms"
        );
    }
}

#[test]
fn bursts_are_found_at_their_times_over_quiet_and_loud_backgrounds() {
    let padded = [(1_300, 4_100), (7_800, 10_700)];
    // A quiet line, a noisy call centre, and a quiet voice on a very quiet line.
    for (noise_amplitude, voice_amplitude, label) in
        [(0.003, 0.3, "quiet line"), (0.05, 0.5, "noisy line"), (0.0003, 0.02, "quiet voice")]
    {
        let spans = speech_spans(&scene(noise_amplitude, voice_amplitude), &VadConfig::default());
        assert_spans_near(&spans, &padded, label);
    }
}

#[test]
fn without_padding_the_spans_are_the_bursts_themselves() {
    let config = VadConfig { padding_ms: 0, ..VadConfig::default() };
    let spans = speech_spans(&scene(0.003, 0.3), &config);
    assert_spans_near(&spans, &[(1_500, 3_900), (8_000, 10_500)], "unpadded");
}

#[test]
fn a_longer_minimum_silence_merges_and_a_shorter_one_splits() {
    let split = VadConfig { min_silence_ms: 150, padding_ms: 0, ..VadConfig::default() };
    let spans = speech_spans(&scene(0.003, 0.3), &split);
    assert_spans_near(&spans, &[(1_500, 3_000), (3_200, 3_900), (8_000, 10_500)], "split");
    let click = VadConfig { min_speech_ms: 50, padding_ms: 0, ..VadConfig::default() };
    let spans = speech_spans(&scene(0.003, 0.3), &click);
    assert_spans_near(&spans, &[(1_500, 3_900), (6_000, 6_100), (8_000, 10_500)], "click kept");
}

#[test]
fn silence_and_steady_noise_hold_no_speech() {
    let config = VadConfig::default();
    assert!(speech_spans(&[], &config).is_empty());
    assert!(speech_spans(&vec![0.0; 10 * RATE], &config).is_empty());
    for amplitude in [0.0005, 0.01, 0.2] {
        let spans = speech_spans(&noise(30 * RATE, amplitude, 9), &config);
        assert!(spans.is_empty(), "noise at {amplitude}: {spans:?}");
    }
}

#[test]
fn spans_are_sorted_disjoint_and_within_the_audio() {
    let signal = scene(0.003, 0.3);
    let total_ms = (signal.len() * 1000 / RATE) as u64;
    // Padding wider than the gaps merges everything, and is clipped at both ends.
    let config = VadConfig { padding_ms: 3_000, ..VadConfig::default() };
    let spans = speech_spans(&signal, &config);
    assert_eq!(spans, vec![SpeechSpan { start_ms: 0, end_ms: total_ms }]);
    assert_eq!(speech_share(&spans, total_ms), 1.0);
    let spans = speech_spans(&signal, &VadConfig::default());
    assert!(spans.windows(2).all(|w| w[0].end_ms < w[1].start_ms));
    assert!(spans.iter().all(|s| s.start_ms < s.end_ms && s.end_ms <= total_ms));
}

#[test]
fn speech_share_is_the_covered_fraction() {
    let spans =
        [SpeechSpan { start_ms: 0, end_ms: 250 }, SpeechSpan { start_ms: 500, end_ms: 1_000 }];
    assert_eq!(speech_share(&spans, 1_000), 0.75);
    assert_eq!(speech_share(&spans, 0), 0.0);
    assert_eq!(speech_share(&[], 1_000), 0.0);
    // Spans past the end count only up to it.
    assert_eq!(speech_share(&spans, 800), (250.0 + 300.0) / 800.0);
}

#[test]
fn real_speech_is_mostly_speech() {
    // whisper.cpp's jfk sample: 11 s, short pauses between phrases.
    let audio = decode_16k_bytes(data_file("jfk-16k.mp3"), Some("mp3")).unwrap();
    let samples = &audio.channels[0];
    let total_ms = audio.duration_ms();
    let spans = speech_spans(samples, &VadConfig::default());
    let share = speech_share(&spans, total_ms);
    let unpadded = speech_spans(samples, &VadConfig { padding_ms: 0, ..VadConfig::default() });
    println!(
        "jfk: {} spans, speech share {share:.3} (unpadded {:.3}): {spans:?}",
        spans.len(),
        speech_share(&unpadded, total_ms)
    );
    assert!((0.75..=0.98).contains(&share), "speech share {share}");
    // The first words start within the first second, the last end in the final two.
    assert!(spans[0].start_ms < 1_000);
    assert!(spans.last().unwrap().end_ms > total_ms - 2_000);
}
