//! The RIFF/WAVE chunk walk: finds `fmt ` and `data`, validates the format, sizes the audio.
//!
//! It reads headers only; decoding the samples is `wav`'s job. It must never trust a size field:
//! every length is checked against the real file length.

use std::io::{Read, Seek, SeekFrom};

use crate::error::AudioError;
use crate::input::Input;

/// Channel counts above this are refused: no call recorder writes more, and each channel costs a
/// resampler and a buffer.
pub(crate) const MAX_CHANNELS: u16 = 32;
/// The sample rates accepted, in Hz.
pub(crate) const MIN_RATE: u32 = 1_000;
pub(crate) const MAX_RATE: u32 = 384_000;

const TAG_PCM: u16 = 0x0001;
const TAG_FLOAT: u16 = 0x0003;
const TAG_ALAW: u16 = 0x0006;
const TAG_MULAW: u16 = 0x0007;
const TAG_EXTENSIBLE: u16 = 0xFFFE;
/// The last 14 bytes shared by every `KSDATAFORMAT_SUBTYPE_*` GUID whose first two bytes are a
/// classic format tag.
const GUID_TAIL: [u8; 14] =
    [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

/// How the samples of the data chunk are coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coding {
    /// Little-endian integer PCM in containers of 1 to 4 bytes (8-bit is unsigned).
    Pcm {
        bytes: u16,
    },
    Float32,
    Float64,
    MuLaw,
    ALaw,
}

impl Coding {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Coding::Pcm { bytes: 1 } => "pcm8",
            Coding::Pcm { bytes: 2 } => "pcm16",
            Coding::Pcm { bytes: 3 } => "pcm24",
            Coding::Pcm { .. } => "pcm32",
            Coding::Float32 => "float32",
            Coding::Float64 => "float64",
            Coding::MuLaw => "mulaw",
            Coding::ALaw => "alaw",
        }
    }

    pub(crate) fn bytes_per_sample(self) -> u16 {
        match self {
            Coding::Pcm { bytes } => bytes,
            Coding::Float32 => 4,
            Coding::Float64 => 8,
            Coding::MuLaw | Coding::ALaw => 1,
        }
    }
}

/// Where the audio of a WAVE file is and how it is coded.
#[derive(Debug, Clone)]
pub(crate) struct WavLayout {
    pub(crate) coding: Coding,
    pub(crate) channels: u16,
    pub(crate) sample_rate: u32,
    /// Bytes per frame (one sample of every channel).
    pub(crate) block_align: u16,
    /// Offset of the first audio byte in the file.
    pub(crate) data_offset: u64,
    /// Bytes of audio that will be decoded: what is present, in whole frames.
    pub(crate) data_len: u64,
}

impl WavLayout {
    pub(crate) fn frames(&self) -> u64 {
        self.data_len / u64::from(self.block_align)
    }
}

/// The fields of a `fmt ` chunk, as stored.
#[derive(Debug, Clone, Copy)]
struct Fmt {
    tag: u16,
    channels: u16,
    sample_rate: u32,
    block_align: u16,
    bits: u16,
}

/// Walks the chunks of a RIFF/WAVE file (`input` starts with `RIFF....WAVE`).
pub(crate) fn parse(input: &mut Input) -> Result<WavLayout, AudioError> {
    let file_len = input.len();
    let mut fmt = None;
    let mut data: Option<(u64, u32)> = None;
    let mut pos = 12u64;
    while pos + 8 <= file_len && (fmt.is_none() || data.is_none()) {
        let (id, size) = read_chunk_header(input, pos)?;
        let body = pos + 8;
        match &id {
            b"fmt " => fmt = Some(read_fmt(input, body, size, file_len)?),
            b"data" => {
                data = Some((body, size));
            }
            _ => {}
        }
        if id == *b"data" && (size == 0 || size == u32::MAX) && fmt.is_some() {
            // An unfinished recording (the writer never came back to fill in the size) has the
            // data chunk last; nothing after it matters.
            break;
        }
        pos = next_chunk(input, body, size, file_len)?;
    }
    let fmt =
        fmt.ok_or_else(|| AudioError::corrupt_header("wav", "no fmt chunk before the end"))?;
    let (data_offset, declared) =
        data.ok_or_else(|| AudioError::corrupt_header("wav", "no data chunk"))?;
    let coding = coding_of(&fmt)?;
    validate(&fmt, coding)?;

    let present = file_len.saturating_sub(data_offset);
    let declared = u64::from(declared);
    let unfinished = declared == u64::from(u32::MAX)
        || (declared == 0 && present > 0 && !chunk_follows(input, data_offset, file_len)?);
    let usable = if unfinished { present } else { declared.min(present) };
    let block_align = u64::from(fmt.block_align);
    let data_len = usable - usable % block_align;
    if !unfinished && declared > present {
        // A recording cut short still holds useful audio; a stub of under a second does not.
        let frames = data_len / block_align;
        if frames < u64::from(fmt.sample_rate) {
            return Err(AudioError::Truncated { declared, present });
        }
    }
    Ok(WavLayout {
        coding,
        channels: fmt.channels,
        sample_rate: fmt.sample_rate,
        block_align: fmt.block_align,
        data_offset,
        data_len,
    })
}

fn read_chunk_header(input: &mut Input, pos: u64) -> Result<([u8; 4], u32), AudioError> {
    let mut header = [0u8; 8];
    input.seek(SeekFrom::Start(pos))?;
    input.read_exact(&mut header)?;
    let id = [header[0], header[1], header[2], header[3]];
    let size = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
    Ok((id, size))
}

/// The start of the chunk after one whose body starts at `body`.
fn next_chunk(input: &mut Input, body: u64, size: u32, file_len: u64) -> Result<u64, AudioError> {
    let unpadded = body + u64::from(size);
    if size & 1 == 0 {
        return Ok(unpadded);
    }
    // Odd-sized chunks are followed by a pad byte, but some writers forget it: prefer the padded
    // position unless only the unpadded one starts with a plausible chunk id.
    let padded = unpadded + 1;
    if padded + 8 <= file_len
        && !plausible_id_at(input, padded)?
        && plausible_id_at(input, unpadded)?
    {
        return Ok(unpadded);
    }
    Ok(padded)
}

fn plausible_id_at(input: &mut Input, pos: u64) -> Result<bool, AudioError> {
    let mut id = [0u8; 4];
    input.seek(SeekFrom::Start(pos))?;
    input.read_exact(&mut id)?;
    Ok(id.iter().all(|&b| b.is_ascii_alphanumeric() || b == b' ' || b == b'_'))
}

/// Whether another chunk header starts right at `pos` (used to tell an empty data chunk from an
/// unfinished one whose size was never written).
fn chunk_follows(input: &mut Input, pos: u64, file_len: u64) -> Result<bool, AudioError> {
    Ok(pos + 8 <= file_len && plausible_id_at(input, pos)?)
}

fn read_fmt(input: &mut Input, body: u64, size: u32, file_len: u64) -> Result<Fmt, AudioError> {
    if size < 16 {
        return Err(AudioError::corrupt_header(
            "wav",
            format!("fmt chunk is {size} bytes, at least 16 are needed"),
        ));
    }
    // WAVEFORMATEXTENSIBLE is 40 bytes; anything after it is of no use here.
    let want = u64::from(size).min(40);
    if body + want > file_len {
        return Err(AudioError::corrupt_header("wav", "the file ends inside the fmt chunk"));
    }
    let mut raw = [0u8; 40];
    input.seek(SeekFrom::Start(body))?;
    input.read_exact(&mut raw[..want as usize])?;
    let u16_at = |at: usize| u16::from_le_bytes([raw[at], raw[at + 1]]);
    let u32_at = |at: usize| u32::from_le_bytes([raw[at], raw[at + 1], raw[at + 2], raw[at + 3]]);
    let mut fmt = Fmt {
        tag: u16_at(0),
        channels: u16_at(2),
        sample_rate: u32_at(4),
        block_align: u16_at(12),
        bits: u16_at(14),
    };
    if fmt.tag == TAG_EXTENSIBLE {
        if size < 40 || u16_at(16) < 22 {
            return Err(AudioError::corrupt_header(
                "wav",
                format!("wave_format_extensible fmt chunk is {size} bytes, 40 are needed"),
            ));
        }
        let guid = &raw[24..40];
        if guid[2..] != GUID_TAIL {
            let hex: String = guid.iter().map(|b| format!("{b:02x}")).collect();
            return Err(AudioError::unsupported(format!("wav extensible sub-format {hex}")));
        }
        fmt.tag = u16::from_le_bytes([guid[0], guid[1]]);
        if fmt.tag == TAG_EXTENSIBLE {
            return Err(AudioError::corrupt_header("wav", "extensible sub-format is extensible"));
        }
        // The valid-bits field at 18 is not needed: samples are left-justified in their
        // container, so reading the whole container gives the right value.
    }
    Ok(fmt)
}

fn coding_of(fmt: &Fmt) -> Result<Coding, AudioError> {
    if fmt.channels == 0 {
        return Err(AudioError::corrupt_header("wav", "channel count is 0"));
    }
    // Bytes per sample from block align when it is consistent, else from the bit depth.
    let per_channel = fmt.block_align / fmt.channels;
    let from_align = (per_channel * fmt.channels == fmt.block_align).then_some(per_channel);
    let from_bits = fmt.bits.div_ceil(8);
    let bytes = match from_align {
        Some(bytes) if bytes > 0 => bytes,
        _ => from_bits,
    };
    let coding = match fmt.tag {
        TAG_PCM => match bytes {
            1..=4 => Coding::Pcm { bytes },
            _ => {
                return Err(AudioError::unsupported(format!(
                    "{}-bit integer pcm wav",
                    u32::from(bytes) * 8
                )));
            }
        },
        TAG_FLOAT => match bytes {
            4 => Coding::Float32,
            8 => Coding::Float64,
            _ => {
                return Err(AudioError::corrupt_header(
                    "wav",
                    format!("float samples of {} bits", u32::from(bytes) * 8),
                ));
            }
        },
        TAG_MULAW => Coding::MuLaw,
        TAG_ALAW => Coding::ALaw,
        tag => {
            let name = match tag_name(tag) {
                Some(name) => format!(" ({name})"),
                None => String::new(),
            };
            return Err(AudioError::unsupported(format!("wav format tag 0x{tag:04x}{name}")));
        }
    };
    Ok(coding)
}

/// Names of format tags that telephone and dictation recorders are known to write.
fn tag_name(tag: u16) -> Option<&'static str> {
    Some(match tag {
        0x0000 => "unknown",
        0x0002 => "microsoft adpcm",
        0x0011 => "ima adpcm",
        0x0031 => "gsm 6.10",
        0x0040 => "g.721 adpcm",
        0x0050 => "mpeg",
        0x0055 => "mp3-in-wav",
        0x0064 => "g.726 adpcm",
        0x0065 => "g.722 adpcm",
        0x00FF => "aac",
        0x0161 => "windows media audio",
        _ => return None,
    })
}

fn validate(fmt: &Fmt, coding: Coding) -> Result<(), AudioError> {
    if fmt.channels > MAX_CHANNELS {
        return Err(AudioError::unsupported(format!(
            "a wav file with {} channels (at most {MAX_CHANNELS})",
            fmt.channels
        )));
    }
    if fmt.sample_rate == 0 {
        return Err(AudioError::corrupt_header("wav", "sample rate is 0"));
    }
    if !(MIN_RATE..=MAX_RATE).contains(&fmt.sample_rate) {
        return Err(AudioError::unsupported(format!(
            "a sample rate of {} hz (qadesk reads {MIN_RATE} to {MAX_RATE} hz)",
            fmt.sample_rate
        )));
    }
    let expected = u32::from(coding.bytes_per_sample()) * u32::from(fmt.channels);
    if u32::from(fmt.block_align) != expected {
        // Block align is the one size field every reader relies on: a wrong one garbles every
        // frame, so an inconsistent one is refused rather than guessed around.
        return Err(AudioError::corrupt_header(
            "wav",
            format!(
                "block align is {} but {} channels of {} bits need {expected}",
                fmt.block_align,
                fmt.channels,
                u32::from(coding.bytes_per_sample()) * 8
            ),
        ));
    }
    Ok(())
}
