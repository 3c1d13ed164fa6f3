//! Telephone formats: G.711 μ-law and A-law coding, G.711 WAV writing, and resampling, for
//! making realistic phone recordings out of clean speech in tests and benchmarks.
//!
//! The decoding tables are also what the WAV decoder uses for format tags 7 and 6. The codecs
//! follow ITU-T G.711 bit for bit: μ-law on 14-bit magnitudes with a bias of 33 (132 at 16-bit
//! scale), A-law on 13-bit magnitudes with even bits inverted.

use crate::resample;

/// Which G.711 companding law a file or a sample uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Law {
    /// μ-law (North America, Japan): WAVE format tag 7.
    MuLaw,
    /// A-law (Europe, most of the world): WAVE format tag 6.
    ALaw,
}

impl Law {
    /// The WAVE `fmt ` format tag of this law.
    pub fn format_tag(self) -> u16 {
        match self {
            Law::MuLaw => 7,
            Law::ALaw => 6,
        }
    }
}

/// The μ-law bias, at 16-bit scale.
const MULAW_BIAS: i32 = 0x84;
/// The largest 16-bit magnitude μ-law represents before the bias is added.
const MULAW_CLIP: i32 = 32635;

/// Every μ-law byte decoded, as f32 in [-1, 1].
pub(crate) const MULAW_TABLE: [f32; 256] = {
    let mut table = [0.0f32; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = mulaw_to_linear(byte as u8) as f32 / 32768.0;
        byte += 1;
    }
    table
};

/// Every A-law byte decoded, as f32 in [-1, 1].
pub(crate) const ALAW_TABLE: [f32; 256] = {
    let mut table = [0.0f32; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = alaw_to_linear(byte as u8) as f32 / 32768.0;
        byte += 1;
    }
    table
};

/// A μ-law byte to a 16-bit linear value. Each code decodes to the middle of its interval.
const fn mulaw_to_linear(byte: u8) -> i32 {
    // Bytes are stored inverted so that silence is not a long run of zero bits on the line.
    let code = !byte;
    let exponent = ((code >> 4) & 0x07) as i32;
    let mantissa = (code & 0x0F) as i32;
    let magnitude = (((mantissa << 3) + MULAW_BIAS) << exponent) - MULAW_BIAS;
    if code & 0x80 != 0 { -magnitude } else { magnitude }
}

/// An A-law byte to a 16-bit linear value. Each code decodes to the middle of its interval.
const fn alaw_to_linear(byte: u8) -> i32 {
    let code = byte ^ 0x55;
    let segment = ((code >> 4) & 0x07) as i32;
    let mantissa = (code & 0x0F) as i32;
    let magnitude =
        if segment == 0 { (mantissa << 4) + 8 } else { ((mantissa << 4) + 0x108) << (segment - 1) };
    // In A-law a set sign bit means positive.
    if code & 0x80 != 0 { magnitude } else { -magnitude }
}

/// A sample in [-1, 1] to 16-bit linear, saturating; NaN becomes 0.
fn to_linear(sample: f32) -> i32 {
    let scaled = (sample * 32768.0).round();
    if scaled.is_nan() { 0 } else { scaled.clamp(-32768.0, 32767.0) as i32 }
}

/// Encodes one sample (in [-1, 1]; louder is clipped) as a μ-law byte.
pub fn encode_mulaw(sample: f32) -> u8 {
    let linear = to_linear(sample);
    let sign: u8 = if linear < 0 { 0x80 } else { 0x00 };
    let magnitude = linear.abs().min(MULAW_CLIP) + MULAW_BIAS;
    // The biased magnitude is at least 132, so its top bit is between bit 7 and bit 14; the
    // exponent counts how far above bit 7 it is.
    let top_bit = 31 - magnitude.leading_zeros() as i32;
    let exponent = top_bit - 7;
    let mantissa = (magnitude >> (exponent + 3)) & 0x0F;
    !(sign | ((exponent as u8) << 4) | mantissa as u8)
}

/// Decodes one μ-law byte to a sample in [-1, 1].
pub fn decode_mulaw(byte: u8) -> f32 {
    MULAW_TABLE[usize::from(byte)]
}

/// Encodes one sample (in [-1, 1]; louder is clipped) as an A-law byte.
pub fn encode_alaw(sample: f32) -> u8 {
    let linear = to_linear(sample) >> 3;
    // A-law has no negative zero: negative values are shifted by one so that -1 maps to 0.
    let (mask, magnitude) = if linear >= 0 { (0xD5u8, linear) } else { (0x55u8, -linear - 1) };
    let magnitude = magnitude.min(0x0FFF);
    let bits = 32 - magnitude.leading_zeros() as i32;
    let segment = (bits - 5).max(0);
    let shift = if segment < 2 { 1 } else { segment };
    let mantissa = (magnitude >> shift) & 0x0F;
    (((segment as u8) << 4) | mantissa as u8) ^ mask
}

/// Decodes one A-law byte to a sample in [-1, 1].
pub fn decode_alaw(byte: u8) -> f32 {
    ALAW_TABLE[usize::from(byte)]
}

/// Writes `channels` (one slice per channel; shorter ones are padded with silence) as a G.711
/// WAVE file: format tag 7 (μ-law) or 6 (A-law), 8 bits per sample, with the `fact` chunk that
/// non-PCM formats carry. With no channels, writes one silent channel of no frames.
///
/// # Panics
///
/// If there are more than 65535 channels, or the file would exceed the 4 GiB a WAVE header can
/// describe.
pub fn write_g711_wav(channels: &[Vec<f32>], sample_rate: u32, law: Law) -> Vec<u8> {
    let count = channels.len().max(1);
    let frames = channels.iter().map(Vec::len).max().unwrap_or(0);
    let channel_count = u16::try_from(count).expect("at most 65535 channels fit a wav header");
    let data_len = u32::try_from(frames * count).expect("g.711 data over 4 gib");
    let encode = match law {
        Law::MuLaw => encode_mulaw,
        Law::ALaw => encode_alaw,
    };
    let pad = data_len % 2;
    let fmt_len = 18u32;
    let fact_len = 4u32;
    let riff_len = 4 + (8 + fmt_len) + (8 + fact_len) + (8 + data_len + pad);
    let mut out = Vec::with_capacity(riff_len as usize + 8);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&riff_len.to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&fmt_len.to_le_bytes());
    out.extend_from_slice(&law.format_tag().to_le_bytes());
    out.extend_from_slice(&channel_count.to_le_bytes());
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&sample_rate.saturating_mul(u32::from(channel_count)).to_le_bytes());
    out.extend_from_slice(&channel_count.to_le_bytes()); // block align: one byte per channel
    out.extend_from_slice(&8u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // cbSize: no extra format bytes
    out.extend_from_slice(b"fact");
    out.extend_from_slice(&fact_len.to_le_bytes());
    out.extend_from_slice(&(frames as u32).to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for frame in 0..frames {
        if channels.is_empty() {
            out.push(encode(0.0));
        }
        for channel in channels {
            out.push(encode(channel.get(frame).copied().unwrap_or(0.0)));
        }
    }
    if pad == 1 {
        out.push(0);
    }
    out
}

/// Resamples one channel from `from_hz` to `to_hz` with rubato's FFT resampler (anti-aliased:
/// content above the lower Nyquist frequency is removed, not folded back). The output has
/// `round(len · to_hz / from_hz)` samples, aligned with the input (the filter delay is removed).
/// Rates of 0 give an empty result.
pub fn resample(samples: &[f32], from_hz: u32, to_hz: u32) -> Vec<f32> {
    if from_hz == 0 || to_hz == 0 {
        return Vec::new();
    }
    // Construction only fails on a zero rate or chunk size, both excluded above.
    resample::resample_all(samples, from_hz, to_hz).unwrap_or_default()
}
