//! Audio for qadesk: decoding WAV (PCM, float, G.711), MP3 and FLAC by content, resampling to
//! 16 kHz per channel in bounded memory, voice activity detection, and telephone-format writers.
//! It reads only the file or bytes it is given and never prints.
//!
//! Which crate does what: `hound` reads integer and float PCM WAV and writes 16-bit WAV,
//! `symphonia` decodes MP3 and FLAC, `rubato` resamples (FFT resampler, anti-aliased). The RIFF
//! chunk walk, G.711 μ-law/A-law and the voice activity detector are written here. With the
//! `record` feature, `cpal` captures from input devices (`record`), written through `hound`.
//! `silence` writes a copy of a recording with stretches silenced (redaction of audio).

mod compressed;
mod detect;
mod error;
mod input;
#[cfg(feature = "record")]
pub mod record;
mod resample;
mod riff;
mod silence;
mod source;
mod stream;
pub mod telephone;
pub mod vad;
mod wav;

use std::io::Cursor;

pub use error::AudioError;
#[cfg(feature = "record")]
pub use error::{Kept, RecordError};
pub use silence::{Silenced, write_silenced, write_silenced_bytes};
pub use stream::Stream16k;

/// The sample rate everything is converted to: what Whisper and the voice detector expect.
pub const TARGET_RATE: u32 = 16_000;

/// What a file holds, as its header (or its first frame) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioInfo {
    /// The coding of the samples: "pcm8", "pcm16", "pcm24", "pcm32", "float32", "float64",
    /// "mulaw", "alaw" (WAV), or the decoder's name: "mp3", "mp2", "mp1", "flac".
    pub codec: String,
    /// The sample rate of the file, in Hz (before resampling).
    pub sample_rate: u32,
    /// The number of channels; every block and every `Audio16k` has one `Vec` per channel.
    pub channels: u16,
    /// The duration, when the header states it (WAV always, FLAC usually, MP3 with a Xing/LAME
    /// header or not at all).
    pub duration_ms: Option<u64>,
}

/// A whole file at 16 kHz: one `Vec` per source channel, all of the same length.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio16k {
    /// What the file was.
    pub info: AudioInfo,
    /// The samples at 16 kHz, one `Vec` per channel.
    pub channels: Vec<Vec<f32>>,
}

impl Audio16k {
    /// Frames per channel.
    pub fn frames(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }

    /// The decoded duration in milliseconds.
    pub fn duration_ms(&self) -> u64 {
        self.frames() as u64 * 1000 / u64::from(TARGET_RATE)
    }
}

/// Decodes a whole file to 16 kHz. The container is recognised by content; `extension_hint`
/// (e.g. "mp3") only improves the error message for unrecognised content.
///
/// This holds the whole file in memory at 16 kHz (about 230 MB per channel-hour): for long
/// files use [`Stream16k`].
pub fn decode_16k(
    file: std::fs::File,
    extension_hint: Option<&str>,
) -> Result<Audio16k, AudioError> {
    collect(Stream16k::open(file, extension_hint)?)
}

/// [`decode_16k`] on bytes in memory.
pub fn decode_16k_bytes(
    bytes: Vec<u8>,
    extension_hint: Option<&str>,
) -> Result<Audio16k, AudioError> {
    collect(Stream16k::from_bytes(bytes, extension_hint)?)
}

fn collect(mut stream: Stream16k) -> Result<Audio16k, AudioError> {
    let mut channels = vec![Vec::new(); usize::from(stream.info().channels)];
    while let Some(block) = stream.next_block()? {
        for (channel, samples) in channels.iter_mut().zip(block) {
            channel.extend_from_slice(&samples);
        }
    }
    Ok(Audio16k { info: stream.info().clone(), channels })
}

/// The average of the channels, sample by sample (a shorter channel counts as silence past its
/// end). No channels give no samples.
pub fn mix_to_mono(channels: &[Vec<f32>]) -> Vec<f32> {
    let frames = channels.iter().map(Vec::len).max().unwrap_or(0);
    if channels.is_empty() {
        return Vec::new();
    }
    let scale = 1.0 / channels.len() as f32;
    let mut mono = vec![0.0f32; frames];
    for channel in channels {
        for (out, &sample) in mono.iter_mut().zip(channel) {
            *out += sample;
        }
    }
    mono.iter_mut().for_each(|sample| *sample *= scale);
    mono
}

/// Writes 16-bit PCM WAV bytes through `hound` (one slice per channel; shorter ones are padded
/// with silence; samples are clipped to [-1, 1]). With no channels, writes one silent channel of
/// no frames.
///
/// # Panics
///
/// If there are more than 65535 channels, or the byte rate (`sample_rate` × channels × 2)
/// exceeds what a WAVE header can hold.
pub fn write_wav_16bit(channels: &[Vec<f32>], sample_rate: u32) -> Vec<u8> {
    let count = channels.len().max(1);
    let spec = hound::WavSpec {
        channels: u16::try_from(count).expect("at most 65535 channels fit a wav header"),
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    sample_rate
        .checked_mul(2 * count as u32)
        .expect("the byte rate of the wav file exceeds 4 gib per second");
    let frames = channels.iter().map(Vec::len).max().unwrap_or(0);
    let mut bytes = Cursor::new(Vec::with_capacity(44 + frames * count * 2));
    {
        let mut writer = hound::WavWriter::new(&mut bytes, spec)
            .expect("hound accepts 16-bit integer pcm of any channel count");
        for frame in 0..frames {
            for channel in 0..count {
                let sample =
                    channels.get(channel).and_then(|c| c.get(frame)).copied().unwrap_or(0.0);
                let value = (sample.clamp(-1.0, 1.0) * 32767.0).round() as i16;
                writer.write_sample(value).expect("writing to memory cannot fail");
            }
        }
        writer.finalize().expect("writing to memory cannot fail");
    }
    bytes.into_inner()
}
