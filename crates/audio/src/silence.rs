//! A copy of a recording with stretches of time silenced on every channel: what redaction does
//! to audio. A WAV file is copied byte for byte, every byte outside the silenced frames
//! unchanged, in its own sample format (the silent value of each: 0x80 for 8-bit PCM, zero for
//! wider PCM and float, 0xFF for μ-law, 0xD5 for A-law). MP3 and FLAC are decoded at their own
//! rate and written as 16-bit PCM WAV, since re-encoding would change every sample anyway.

use std::io::{Read, Seek, SeekFrom, Write};

use crate::detect::{self, Container};
use crate::error::AudioError;
use crate::input::Input;
use crate::riff::{self, Coding};
use crate::{AudioInfo, compressed};

/// What the copy is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silenced {
    /// The input as decoded.
    pub info: AudioInfo,
    /// True when the copy is 16-bit PCM WAV rather than the input's own format (MP3, FLAC).
    pub converted: bool,
    /// Frames per channel in the copy (the same as in the input).
    pub frames: u64,
    /// Frames set to silence.
    pub silenced_frames: u64,
}

/// Time ranges as frame ranges at `rate`, sorted and merged; a start is rounded down and an end
/// up, so that no part of a range is left sounding.
fn frame_ranges(spans_ms: &[(u64, u64)], rate: u32) -> Vec<(u64, u64)> {
    let to_frame = |ms: u64, up: bool| -> u64 {
        let product = u128::from(ms) * u128::from(rate);
        let frame = if up { product.div_ceil(1000) } else { product / 1000 };
        u64::try_from(frame).unwrap_or(u64::MAX)
    };
    let mut ranges: Vec<(u64, u64)> = spans_ms
        .iter()
        .map(|&(a, b)| (to_frame(a.min(b), false), to_frame(a.max(b), true)))
        .filter(|(a, b)| a < b)
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::new();
    for (a, b) in ranges {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// Writes a copy of the recording in `file` to `out` with the time ranges `spans_ms` (start
/// and end in milliseconds from the start of the recording) silenced on every channel.
pub fn write_silenced<W: Write + Seek>(
    file: std::fs::File,
    extension_hint: Option<&str>,
    spans_ms: &[(u64, u64)],
    out: W,
) -> Result<Silenced, AudioError> {
    silence(Input::from_file(file)?, extension_hint, spans_ms, out)
}

/// [`write_silenced`] on bytes in memory.
pub fn write_silenced_bytes<W: Write + Seek>(
    bytes: Vec<u8>,
    extension_hint: Option<&str>,
    spans_ms: &[(u64, u64)],
    out: W,
) -> Result<Silenced, AudioError> {
    silence(Input::from_bytes(bytes), extension_hint, spans_ms, out)
}

fn silence<W: Write + Seek>(
    mut input: Input,
    extension_hint: Option<&str>,
    spans_ms: &[(u64, u64)],
    out: W,
) -> Result<Silenced, AudioError> {
    if input.len() == 0 {
        return Err(AudioError::Empty);
    }
    let head = input.head()?;
    let container = detect::sniff(&head, extension_hint)?;
    drop(head);
    match container {
        Container::Wav => silence_wav(input, spans_ms, out),
        Container::Flac | Container::Mpeg => silence_compressed(input, container, spans_ms, out),
    }
}

fn silence_wav<W: Write>(
    mut input: Input,
    spans_ms: &[(u64, u64)],
    out: W,
) -> Result<Silenced, AudioError> {
    let layout = riff::parse(&mut input)?;
    let info = AudioInfo {
        codec: layout.coding.name().to_owned(),
        sample_rate: layout.sample_rate,
        channels: layout.channels,
        duration_ms: Some(layout.frames().saturating_mul(1000) / u64::from(layout.sample_rate)),
    };
    let quiet: u8 = match layout.coding {
        Coding::Pcm { bytes: 1 } => 0x80,
        Coding::MuLaw => 0xFF,
        Coding::ALaw => 0xD5,
        _ => 0x00,
    };
    let block = u64::from(layout.block_align);
    let frames = layout.frames();
    let ranges = frame_ranges(spans_ms, layout.sample_rate);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let file_len = input.len();
    input.seek(SeekFrom::Start(0))?;
    copy(&mut input, &mut out, layout.data_offset)?;
    let mut frame = 0u64;
    let mut silenced = 0u64;
    for &(a, b) in &ranges {
        let (a, b) = (a.min(frames), b.min(frames));
        if a >= b {
            continue;
        }
        copy(&mut input, &mut out, (a - frame) * block)?;
        let quiet_bytes = (b - a) * block;
        input.seek(SeekFrom::Current(i64::try_from(quiet_bytes).unwrap_or(i64::MAX)))?;
        fill(&mut out, quiet, quiet_bytes)?;
        silenced += b - a;
        frame = b;
    }
    // The rest of the audio, and every chunk after it, as they are.
    let rest = file_len.saturating_sub(layout.data_offset + frame * block);
    copy(&mut input, &mut out, rest)?;
    out.flush().map_err(AudioError::Write)?;
    Ok(Silenced { info, converted: false, frames, silenced_frames: silenced })
}

/// Copies exactly `len` bytes.
fn copy(input: &mut Input, out: &mut impl Write, len: u64) -> Result<(), AudioError> {
    let mut buffer = vec![0u8; 1 << 16];
    let mut left = len;
    while left > 0 {
        let want = usize::try_from(left.min(buffer.len() as u64)).unwrap_or(buffer.len());
        let n = input.read(&mut buffer[..want])?;
        if n == 0 {
            return Err(AudioError::Io(std::io::ErrorKind::UnexpectedEof.into()));
        }
        out.write_all(&buffer[..n]).map_err(AudioError::Write)?;
        left -= n as u64;
    }
    Ok(())
}

fn fill(out: &mut impl Write, byte: u8, len: u64) -> Result<(), AudioError> {
    let buffer = vec![byte; 1 << 16];
    let mut left = len;
    while left > 0 {
        let n = usize::try_from(left.min(buffer.len() as u64)).unwrap_or(buffer.len());
        out.write_all(&buffer[..n]).map_err(AudioError::Write)?;
        left -= n as u64;
    }
    Ok(())
}

fn silence_compressed<W: Write + Seek>(
    input: Input,
    container: Container,
    spans_ms: &[(u64, u64)],
    out: W,
) -> Result<Silenced, AudioError> {
    let (info, mut source) = compressed::open(input, container)?;
    let spec = hound::WavSpec {
        channels: info.channels,
        sample_rate: info.sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let write_error = |e: hound::Error| match e {
        hound::Error::IoError(io) => AudioError::Write(io),
        other => AudioError::Write(std::io::Error::other(other.to_string())),
    };
    let mut writer =
        hound::WavWriter::new(std::io::BufWriter::new(out), spec).map_err(write_error)?;
    let ranges = frame_ranges(spans_ms, info.sample_rate);
    let (mut frame, mut silenced) = (0u64, 0u64);
    while let Some(chunk) = source.next_chunk()? {
        let frames = chunk.first().map_or(0, Vec::len);
        for i in 0..frames {
            let at = frame + i as u64;
            let quiet = ranges.iter().any(|&(a, b)| (a..b).contains(&at));
            silenced += u64::from(quiet);
            for plane in &chunk {
                let sample = if quiet { 0.0 } else { plane.get(i).copied().unwrap_or(0.0) };
                let value = (sample.clamp(-1.0, 1.0) * 32767.0).round() as i16;
                writer.write_sample(value).map_err(write_error)?;
            }
        }
        frame += frames as u64;
    }
    writer.finalize().map_err(write_error)?;
    Ok(Silenced { info, converted: true, frames: frame, silenced_frames: silenced })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_become_whole_frames_sorted_and_merged() {
        assert_eq!(
            frame_ranges(&[(1000, 2000), (1500, 2500), (0, 1)], 8000),
            [(0, 8), (8000, 20000)]
        );
        // An end is rounded up, a start down: 1 ms at 44.1 kHz is 44.1 frames.
        assert_eq!(frame_ranges(&[(1, 2)], 44_100), [(44, 89)]);
        assert_eq!(frame_ranges(&[(5, 5), (9, 3)], 1000), [(3, 9)]);
        assert!(
            frame_ranges(&[(u64::MAX, u64::MAX - 1), (0, u64::MAX)], 384_000)
                .iter()
                .all(|(a, b)| a < b)
        );
    }
}
