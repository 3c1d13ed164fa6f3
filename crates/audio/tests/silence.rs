//! Silencing stretches of a recording: a WAV copy keeps its length, rate, channels and sample
//! format, every byte outside the silenced frames identical and every byte inside them the
//! format's silence; MP3 and FLAC become 16-bit PCM WAV, sample for sample the same outside.

mod common;

use std::io::Cursor;

use common::*;
use qadesk_audio::{AudioError, decode_16k_bytes, write_silenced_bytes};

const RATE: u32 = 8_000;
const CHANNELS: u16 = 2;
/// Silenced in every test: 0.5–0.9 s and 2.0–2.1 s (the second given backwards).
const SPANS: [(u64, u64); 2] = [(500, 900), (2_100, 2_000)];

/// Bytes that look like nothing in particular, deterministic.
fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

/// A WAVE file with a `LIST` chunk before the audio and another chunk after it.
fn wav_with_chunks(fmt: &[u8], data: &[u8]) -> Vec<u8> {
    let mut file = riff(fmt, &[(b"LIST", b"INFOISFT\x06\x00\x00\x00qadesk")], data);
    let trailer: &[u8] = b"id3 \x04\x00\x00\x00tail";
    file.extend_from_slice(trailer);
    let riff_size = (file.len() - 8) as u32;
    file[4..8].copy_from_slice(&riff_size.to_le_bytes());
    file
}

fn silenced(input: &[u8], spans: &[(u64, u64)]) -> (Vec<u8>, qadesk_audio::Silenced) {
    let mut out = Cursor::new(Vec::new());
    let report = write_silenced_bytes(input.to_vec(), Some("wav"), spans, &mut out)
        .unwrap_or_else(|e| panic!("silence: {e}"));
    (out.into_inner(), report)
}

#[test]
fn every_wav_coding_keeps_its_format_and_every_byte_outside_the_spans() {
    let seconds = 3;
    // (name, fmt body, bytes per sample, the format's silence)
    let codings: Vec<(&str, Vec<u8>, usize, u8)> = vec![
        ("pcm8", fmt_body(1, CHANNELS, RATE, 8), 1, 0x80),
        ("pcm16", fmt_body(1, CHANNELS, RATE, 16), 2, 0x00),
        ("pcm24", fmt_body(1, CHANNELS, RATE, 24), 3, 0x00),
        ("pcm32", fmt_body(1, CHANNELS, RATE, 32), 4, 0x00),
        ("pcm24", extensible_fmt_body(1, CHANNELS, RATE, 24, 24), 3, 0x00),
        ("float32", fmt_body(3, CHANNELS, RATE, 32), 4, 0x00),
        ("float64", fmt_body(3, CHANNELS, RATE, 64), 8, 0x00),
        ("mulaw", fmt_body(7, CHANNELS, RATE, 8), 1, 0xFF),
        ("alaw", fmt_body(6, CHANNELS, RATE, 8), 1, 0xD5),
    ];
    for (index, (codec, fmt, width, quiet)) in codings.into_iter().enumerate() {
        let block = width * usize::from(CHANNELS);
        let frames = RATE as usize * seconds;
        let mut data = bytes(frames * block, index as u64 + 7);
        if codec.starts_with("float") {
            // Finite floats, so that both files decode to the same signal.
            for sample in data.chunks_exact_mut(width) {
                if width == 4 {
                    sample.copy_from_slice(&(f32::from(sample[0]) / 512.0 - 0.25).to_le_bytes());
                } else {
                    sample.copy_from_slice(&(f64::from(sample[0]) / 512.0 - 0.25).to_le_bytes());
                }
            }
        }
        let input = wav_with_chunks(&fmt, &data);
        let (output, report) = silenced(&input, &SPANS);
        assert_eq!(report.info.codec, codec);
        assert!(!report.converted, "{codec}");
        assert_eq!(report.frames, frames as u64, "{codec}");
        assert_eq!(output.len(), input.len(), "{codec}: same length in bytes");
        let data_at = input.windows(4).position(|w| w == b"data").expect("data chunk") + 8;
        let quiet_frames = [(4_000, 7_200), (16_000, 16_800)];
        assert_eq!(report.silenced_frames, 4_000, "{codec}");
        for (i, (&a, &b)) in input.iter().zip(&output).enumerate() {
            let frame = i.checked_sub(data_at).map(|offset| offset / block);
            let inside = frame.is_some_and(|f| {
                i < data_at + frames * block
                    && quiet_frames.iter().any(|&(s, e)| (s..e).contains(&f))
            });
            if inside {
                assert_eq!(b, quiet, "{codec}: byte {i} (frame {frame:?}) is not silence");
            } else {
                assert_eq!(a, b, "{codec}: byte {i} (frame {frame:?}) changed");
            }
        }
        // Both decode alike: same rate, channels and length; silence where it was asked for.
        let before = decode_16k_bytes(input, Some("wav")).expect("input decodes");
        let after = decode_16k_bytes(output, Some("wav")).expect("copy decodes");
        assert_eq!(after.info, before.info, "{codec}");
        assert_eq!(after.frames(), before.frames(), "{codec}");
        let quiet_16k = &after.channels[0][8_400..14_000];
        assert!(rms(quiet_16k) < 1e-3, "{codec}: {}", rms(quiet_16k));
    }
}

#[test]
fn spans_past_the_end_and_no_spans_leave_a_valid_copy() {
    let tone = sine(440.0, RATE, 1.0, 0.5);
    let input = riff(&fmt_body(1, 1, RATE, 16), &[], &pcm16_bytes(&[tone]));
    let (same, report) = silenced(&input, &[]);
    assert_eq!(same, input);
    assert_eq!(report.silenced_frames, 0);
    let (cut, report) = silenced(&input, &[(900, 60_000)]);
    assert_eq!(cut.len(), input.len());
    assert_eq!(report.silenced_frames, 800);
    assert_eq!(&cut[..cut.len() - 1600], &input[..input.len() - 1600]);
    assert!(cut[cut.len() - 1600..].iter().all(|&b| b == 0));
}

#[test]
fn mp3_and_flac_become_16_bit_wav_of_the_same_rate_channels_and_length() {
    for name in ["tone-stereo-44k.mp3", "tone-mono-44k.flac", "tone-stereo-16k.flac"] {
        let input = data_file(name);
        let extension = name.rsplit('.').next();
        let mut reference = Cursor::new(Vec::new());
        let plain = write_silenced_bytes(input.clone(), extension, &[], &mut reference)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut out = Cursor::new(Vec::new());
        let report = write_silenced_bytes(input, extension, &[(200, 400)], &mut out)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(report.converted && plain.converted, "{name}");
        assert_eq!(report.frames, plain.frames, "{name}");
        let read = |bytes: Vec<u8>| {
            let mut reader = hound::WavReader::new(Cursor::new(bytes)).expect("a wav");
            let spec = reader.spec();
            let samples: Vec<i16> = reader.samples::<i16>().map(|s| s.expect("sample")).collect();
            (spec, samples)
        };
        let (spec, samples) = read(out.into_inner());
        let (reference_spec, reference) = read(reference.into_inner());
        assert_eq!(spec, reference_spec, "{name}");
        assert_eq!((spec.bits_per_sample, spec.sample_format), (16, hound::SampleFormat::Int));
        assert_eq!(spec.sample_rate, report.info.sample_rate, "{name}");
        assert_eq!(spec.channels, report.info.channels, "{name}");
        assert_eq!(samples.len() as u64, report.frames * u64::from(spec.channels), "{name}");
        let channels = usize::from(spec.channels);
        let rate = u64::from(spec.sample_rate);
        let (from, to) = ((200 * rate / 1000) as usize, (400 * rate).div_ceil(1000) as usize);
        for (i, (&a, &b)) in samples.iter().zip(&reference).enumerate() {
            if (from..to).contains(&(i / channels)) {
                assert_eq!(a, 0, "{name}: sample {i}");
            } else {
                assert_eq!(a, b, "{name}: sample {i} changed");
            }
        }
        assert!(reference[from * channels..to * channels].iter().any(|&s| s != 0), "{name}");
    }
}

#[test]
fn what_is_not_audio_is_refused() {
    let mut out = Cursor::new(Vec::new());
    let err = write_silenced_bytes(b"Agent: hello".to_vec(), Some("wav"), &SPANS, &mut out)
        .expect_err("text is no audio");
    assert!(matches!(err, AudioError::NotAudio { .. }), "{err:?}");
    let err = write_silenced_bytes(Vec::new(), Some("wav"), &SPANS, &mut out).expect_err("empty");
    assert!(matches!(err, AudioError::Empty), "{err:?}");
}
