//! Decoding the samples of a WAVE file, chunk by chunk: integer and float PCM through `hound`,
//! G.711 μ-law/A-law and 64-bit float by hand. The chunk walk and all size checks are `riff`'s.

use std::io::{Read, Seek, SeekFrom, Take};

use crate::AudioInfo;
use crate::error::AudioError;
use crate::input::Input;
use crate::riff::{self, Coding, WavLayout};
use crate::source::{CHUNK_FRAMES, Source, sanitize};
use crate::telephone;

/// Opens a WAVE file: the layout is checked here, the samples are read later, chunk by chunk.
pub(crate) fn open(mut input: Input) -> Result<(AudioInfo, Box<dyn Source>), AudioError> {
    let layout = riff::parse(&mut input)?;
    let info = AudioInfo {
        codec: layout.coding.name().to_owned(),
        sample_rate: layout.sample_rate,
        channels: layout.channels,
        duration_ms: Some(layout.frames().saturating_mul(1000) / u64::from(layout.sample_rate)),
    };
    input.seek(SeekFrom::Start(layout.data_offset))?;
    let source: Box<dyn Source> = match layout.coding {
        Coding::Pcm { .. } | Coding::Float32 => Box::new(HoundSource::new(input, &layout)?),
        Coding::Float64 | Coding::MuLaw | Coding::ALaw => Box::new(RawSource::new(input, &layout)),
    };
    Ok((info, source))
}

/// What `hound` reads: a synthetic header, then the audio bytes of the file.
///
/// It serves both from one buffer refilled 64 KiB at a time, because `hound` reads every sample
/// with its own `read` call: the fewer layers under that call, the faster long files decode.
struct HoundInput {
    input: Take<Input>,
    buffer: Vec<u8>,
    at: usize,
}

impl HoundInput {
    fn new(header: Vec<u8>, input: Take<Input>) -> HoundInput {
        HoundInput { input, buffer: header, at: 0 }
    }
}

impl Read for HoundInput {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.buffer.len() {
            self.buffer.resize(64 * 1024, 0);
            let filled = self.input.read(&mut self.buffer)?;
            self.buffer.truncate(filled);
            self.at = 0;
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

enum HoundSamples {
    Int { samples: hound::WavIntoSamples<HoundInput, i32>, scale: f32 },
    Float(hound::WavIntoSamples<HoundInput, f32>),
}

/// Integer and 32-bit float PCM, read by `hound`.
///
/// `hound` is handed a clean, minimal header written from the checked layout, followed by exactly
/// the audio bytes that are present. So LIST chunks, odd padding, wrong size fields and truncation
/// are all dealt with once, in `riff`, and `hound` only ever sees a well-formed file.
struct HoundSource {
    samples: HoundSamples,
    channels: usize,
    frames_left: u64,
}

impl HoundSource {
    fn new(input: Input, layout: &WavLayout) -> Result<HoundSource, AudioError> {
        let block_align = u64::from(layout.block_align);
        // The data chunk size field is 32 bits; only an unfinished recording can exceed it.
        let max_len = u64::from(u32::MAX - 64);
        let data_len = layout.data_len.min(max_len - max_len % block_align);
        let header = canonical_header(layout, data_len as u32);
        let reader = HoundInput::new(header, input.take(data_len));
        let wav = hound::WavReader::new(reader).map_err(hound_error)?;
        let bits = wav.spec().bits_per_sample;
        let samples = match layout.coding {
            Coding::Float32 => HoundSamples::Float(wav.into_samples()),
            _ => HoundSamples::Int {
                samples: wav.into_samples(),
                scale: 1.0 / (1u64 << (bits - 1)) as f32,
            },
        };
        Ok(HoundSource {
            samples,
            channels: usize::from(layout.channels),
            frames_left: data_len / block_align,
        })
    }
}

/// A RIFF/WAVE header with a 16-byte `fmt ` chunk (PCM or IEEE float) and a `data` chunk header.
fn canonical_header(layout: &WavLayout, data_len: u32) -> Vec<u8> {
    let tag: u16 = if layout.coding == Coding::Float32 { 3 } else { 1 };
    let bits = layout.coding.bytes_per_sample() * 8;
    let mut header = Vec::with_capacity(44);
    header.extend_from_slice(b"RIFF");
    header.extend_from_slice(&(36u32.saturating_add(data_len)).to_le_bytes());
    header.extend_from_slice(b"WAVEfmt ");
    header.extend_from_slice(&16u32.to_le_bytes());
    header.extend_from_slice(&tag.to_le_bytes());
    header.extend_from_slice(&layout.channels.to_le_bytes());
    header.extend_from_slice(&layout.sample_rate.to_le_bytes());
    let byte_rate = layout.sample_rate * u32::from(layout.block_align);
    header.extend_from_slice(&byte_rate.to_le_bytes());
    header.extend_from_slice(&layout.block_align.to_le_bytes());
    header.extend_from_slice(&bits.to_le_bytes());
    header.extend_from_slice(b"data");
    header.extend_from_slice(&data_len.to_le_bytes());
    header
}

fn hound_error(err: hound::Error) -> AudioError {
    match err {
        hound::Error::IoError(io) => AudioError::Io(io),
        hound::Error::Unsupported => AudioError::unsupported("this wav sample layout"),
        other => AudioError::corrupt_header("wav", other.to_string().to_lowercase()),
    }
}

impl Source for HoundSource {
    fn next_chunk(&mut self) -> Result<Option<Vec<Vec<f32>>>, AudioError> {
        let frames = self.frames_left.min(CHUNK_FRAMES as u64) as usize;
        if frames == 0 {
            return Ok(None);
        }
        let mut planes = vec![Vec::with_capacity(frames); self.channels];
        let complete = match &mut self.samples {
            HoundSamples::Int { samples, scale } => {
                let scale = *scale;
                read_frames(samples, &mut planes, frames, |s| s as f32 * scale)?
            }
            HoundSamples::Float(samples) => read_frames(samples, &mut planes, frames, sanitize)?,
        };
        if !complete {
            // The byte count was checked against the file, so this means it shrank while being
            // read: keep the whole frames read so far, and stop.
            self.frames_left = 0;
            return Ok(whole_frames(planes));
        }
        self.frames_left -= frames as u64;
        Ok(Some(planes))
    }
}

/// Reads `frames` interleaved frames into `planes`; `false` if the data ended early.
fn read_frames<S: hound::Sample>(
    samples: &mut hound::WavIntoSamples<HoundInput, S>,
    planes: &mut [Vec<f32>],
    frames: usize,
    convert: impl Fn(S) -> f32,
) -> Result<bool, AudioError> {
    for _ in 0..frames {
        for plane in planes.iter_mut() {
            match samples.next() {
                Some(Ok(sample)) => plane.push(convert(sample)),
                // hound reports a short read as `UnexpectedEof` or as `Other` ("Failed to read
                // enough bytes").
                Some(Err(hound::Error::IoError(io)))
                    if matches!(
                        io.kind(),
                        std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::Other
                    ) =>
                {
                    return Ok(false);
                }
                Some(Err(err)) => return Err(hound_error(err)),
                None => return Ok(false),
            }
        }
    }
    Ok(true)
}

/// Cuts planes to the length of the shortest, or returns `None` when nothing whole is left.
fn whole_frames(mut planes: Vec<Vec<f32>>) -> Option<Vec<Vec<f32>>> {
    let frames = planes.iter().map(Vec::len).min().unwrap_or(0);
    if frames == 0 {
        return None;
    }
    planes.iter_mut().for_each(|plane| plane.truncate(frames));
    Some(planes)
}

/// μ-law, A-law and 64-bit float samples, decoded from raw bytes.
struct RawSource {
    input: Take<Input>,
    coding: Coding,
    channels: usize,
    block_align: usize,
    buffer: Vec<u8>,
}

impl RawSource {
    fn new(input: Input, layout: &WavLayout) -> RawSource {
        RawSource {
            input: input.take(layout.data_len),
            coding: layout.coding,
            channels: usize::from(layout.channels),
            block_align: usize::from(layout.block_align),
            buffer: Vec::new(),
        }
    }
}

impl Source for RawSource {
    fn next_chunk(&mut self) -> Result<Option<Vec<Vec<f32>>>, AudioError> {
        let want = (self.input.limit() as usize).min(CHUNK_FRAMES * self.block_align);
        self.buffer.resize(want, 0);
        let mut filled = 0;
        while filled < want {
            match self.input.read(&mut self.buffer[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        let frames = filled / self.block_align;
        if frames == 0 {
            return Ok(None);
        }
        let mut planes = vec![Vec::with_capacity(frames); self.channels];
        let bytes = &self.buffer[..frames * self.block_align];
        match self.coding {
            Coding::MuLaw | Coding::ALaw => {
                let table = if self.coding == Coding::MuLaw {
                    &telephone::MULAW_TABLE
                } else {
                    &telephone::ALAW_TABLE
                };
                for frame in bytes.chunks_exact(self.block_align) {
                    for (plane, &byte) in planes.iter_mut().zip(frame) {
                        plane.push(table[usize::from(byte)]);
                    }
                }
            }
            _ => {
                for frame in bytes.chunks_exact(self.block_align) {
                    for (plane, sample) in planes.iter_mut().zip(frame.chunks_exact(8)) {
                        let mut raw = [0u8; 8];
                        raw.copy_from_slice(sample);
                        plane.push(sanitize(f64::from_le_bytes(raw) as f32));
                    }
                }
            }
        }
        Ok(Some(planes))
    }
}
