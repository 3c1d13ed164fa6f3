//! Shared helpers for the integration tests: generated signals, WAV builders, measurements.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

/// A sine of `freq` Hz at `rate` Hz, `seconds` long, peak `amplitude`.
pub fn sine(freq: f32, rate: u32, seconds: f32, amplitude: f32) -> Vec<f32> {
    let frames = (rate as f32 * seconds).round() as usize;
    // The phase is computed in f64 and wrapped: an f32 phase of thousands of radians carries
    // enough rounding noise to mask a -60 dB measurement.
    (0..frames)
        .map(|i| {
            let cycles = (i as f64 * f64::from(freq) / f64::from(rate)).fract();
            amplitude * (std::f64::consts::TAU * cycles).sin() as f32
        })
        .collect()
}

/// Deterministic white noise in [-amplitude, amplitude] (xorshift, so no dependency).
pub fn noise(frames: usize, amplitude: f32, seed: u64) -> Vec<f32> {
    let mut state = seed | 1;
    (0..frames)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            amplitude * ((state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0)
        })
        .collect()
}

pub fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt()
}

/// The frequency of a tone from its zero crossings (rising and falling), in Hz.
pub fn zero_crossing_hz(samples: &[f32], rate: u32) -> f32 {
    let crossings = samples.windows(2).filter(|w| (w[0] < 0.0) != (w[1] < 0.0)).count();
    crossings as f32 / 2.0 / (samples.len() as f32 / rate as f32)
}

/// The middle of a signal, without `edge` samples at each end (resampler edges, fades).
pub fn middle(samples: &[f32], edge: usize) -> &[f32] {
    if samples.len() <= 2 * edge {
        return &[];
    }
    &samples[edge..samples.len() - edge]
}

/// A WAV file written by hound: integer PCM of `bits` (8, 16, 24, 32) or 32-bit float.
pub fn hound_wav(channels: &[Vec<f32>], rate: u32, bits: u16, float: bool) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: channels.len() as u16,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float { hound::SampleFormat::Float } else { hound::SampleFormat::Int },
    };
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
        let frames = channels[0].len();
        for frame in 0..frames {
            for channel in channels {
                let sample = channel[frame];
                if float {
                    writer.write_sample(sample).unwrap();
                } else {
                    let max = ((1i64 << (bits - 1)) - 1) as f32;
                    writer.write_sample((sample * max).round() as i32).unwrap();
                }
            }
        }
        writer.finalize().unwrap();
    }
    cursor.into_inner()
}

/// A WAVE file assembled by hand from a `fmt ` body, extra chunks before `data`, and data bytes.
pub fn riff(fmt: &[u8], extra_chunks: &[(&[u8; 4], &[u8])], data: &[u8]) -> Vec<u8> {
    let mut body = b"WAVE".to_vec();
    let mut chunk = |id: &[u8; 4], content: &[u8]| {
        body.extend_from_slice(id);
        body.extend_from_slice(&(content.len() as u32).to_le_bytes());
        body.extend_from_slice(content);
        if content.len() % 2 == 1 {
            body.push(0);
        }
    };
    chunk(b"fmt ", fmt);
    for (id, content) in extra_chunks {
        chunk(id, content);
    }
    chunk(b"data", data);
    let mut file = b"RIFF".to_vec();
    file.extend_from_slice(&(body.len() as u32).to_le_bytes());
    file.extend_from_slice(&body);
    file
}

/// A 16-byte `fmt ` body.
pub fn fmt_body(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    let block_align = channels * bits.div_ceil(8);
    let mut fmt = Vec::new();
    fmt.extend_from_slice(&tag.to_le_bytes());
    fmt.extend_from_slice(&channels.to_le_bytes());
    fmt.extend_from_slice(&rate.to_le_bytes());
    fmt.extend_from_slice(&(rate * u32::from(block_align)).to_le_bytes());
    fmt.extend_from_slice(&block_align.to_le_bytes());
    fmt.extend_from_slice(&bits.to_le_bytes());
    fmt
}

/// A 40-byte WAVE_FORMAT_EXTENSIBLE `fmt ` body whose sub-format GUID carries `sub_tag`.
pub fn extensible_fmt_body(
    sub_tag: u16,
    channels: u16,
    rate: u32,
    bits: u16,
    valid: u16,
) -> Vec<u8> {
    let mut fmt = fmt_body(0xFFFE, channels, rate, bits);
    fmt.extend_from_slice(&22u16.to_le_bytes());
    fmt.extend_from_slice(&valid.to_le_bytes());
    fmt.extend_from_slice(&0u32.to_le_bytes());
    fmt.extend_from_slice(&sub_tag.to_le_bytes());
    fmt.extend_from_slice(&[
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
    ]);
    fmt
}

/// Interleaves channels of 16-bit samples into little-endian bytes.
pub fn pcm16_bytes(channels: &[Vec<f32>]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for frame in 0..channels[0].len() {
        for channel in channels {
            let value = (channel[frame] * 32767.0).round() as i16;
            bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
    bytes
}

pub fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

pub fn data_file(name: &str) -> Vec<u8> {
    std::fs::read(data_path(name)).unwrap_or_else(|err| panic!("tests/data/{name}: {err}"))
}
