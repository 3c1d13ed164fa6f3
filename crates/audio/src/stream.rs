//! `Stream16k`: any supported file as a sequence of 16 kHz blocks of at most one second, in
//! memory bounded by a few seconds of audio whatever the file's length.

use std::fmt;

use crate::detect::{self, Container};
use crate::error::AudioError;
use crate::input::Input;
use crate::resample::StreamResampler;
use crate::source::Source;
use crate::{AudioInfo, TARGET_RATE, compressed, wav};

/// Frames per block handed out: one second at 16 kHz.
const BLOCK_FRAMES: usize = TARGET_RATE as usize;

/// A streaming decoder: yields 16 kHz f32 blocks, one `Vec` per source channel.
///
/// Blocks are one second long (the last one shorter). Internally at most one decoded chunk, one
/// resampler chunk and one block are held at a time.
pub struct Stream16k {
    info: AudioInfo,
    source: Box<dyn Source>,
    resampler: Option<StreamResampler>,
    /// Output not yet handed out, one `Vec` per channel.
    pending: Vec<Vec<f32>>,
    source_done: bool,
}

impl fmt::Debug for Stream16k {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stream16k")
            .field("info", &self.info)
            .field("pending_frames", &self.pending.first().map_or(0, Vec::len))
            .field("source_done", &self.source_done)
            .finish_non_exhaustive()
    }
}

impl Stream16k {
    /// Opens a file. The container is recognised by content (RIFF/WAVE, `fLaC`, ID3 or MPEG
    /// frame sync), so a WAV named `.mp3` decodes as WAV; `extension_hint` only sharpens the
    /// error for unrecognised content. The header is checked here; samples are read on demand.
    pub fn open(
        file: std::fs::File,
        extension_hint: Option<&str>,
    ) -> Result<Stream16k, AudioError> {
        Stream16k::from_input(Input::from_file(file)?, extension_hint)
    }

    /// [`Stream16k::open`] on bytes in memory.
    pub fn from_bytes(
        bytes: Vec<u8>,
        extension_hint: Option<&str>,
    ) -> Result<Stream16k, AudioError> {
        Stream16k::from_input(Input::from_bytes(bytes), extension_hint)
    }

    fn from_input(mut input: Input, extension_hint: Option<&str>) -> Result<Stream16k, AudioError> {
        if input.len() == 0 {
            return Err(AudioError::Empty);
        }
        let head = input.head()?;
        let container = detect::sniff(&head, extension_hint)?;
        drop(head);
        let (info, source) = match container {
            Container::Wav => wav::open(input)?,
            Container::Flac | Container::Mpeg => compressed::open(input, container)?,
        };
        let channels = usize::from(info.channels);
        let resampler = if info.sample_rate == TARGET_RATE {
            None
        } else {
            Some(StreamResampler::new(info.sample_rate, TARGET_RATE, channels)?)
        };
        Ok(Stream16k {
            info,
            source,
            resampler,
            pending: vec![Vec::new(); channels],
            source_done: false,
        })
    }

    /// What the file holds (its own rate and channel count, before conversion).
    pub fn info(&self) -> &AudioInfo {
        &self.info
    }

    /// The next block: one `Vec` per channel, all of the same length, at most one second;
    /// `None` once the file is exhausted.
    pub fn next_block(&mut self) -> Result<Option<Vec<Vec<f32>>>, AudioError> {
        loop {
            let ready = self.pending.first().map_or(0, Vec::len);
            if ready >= BLOCK_FRAMES || (self.source_done && ready > 0) {
                let take = ready.min(BLOCK_FRAMES);
                let block = self
                    .pending
                    .iter_mut()
                    .map(|plane| {
                        let rest = plane.split_off(take);
                        std::mem::replace(plane, rest)
                    })
                    .collect();
                return Ok(Some(block));
            }
            if self.source_done {
                return Ok(None);
            }
            match self.source.next_chunk()? {
                Some(chunk) => match &mut self.resampler {
                    Some(resampler) => resampler.push(&chunk, &mut self.pending)?,
                    None => {
                        for (plane, samples) in self.pending.iter_mut().zip(chunk) {
                            plane.extend_from_slice(&samples);
                        }
                    }
                },
                None => {
                    self.source_done = true;
                    if let Some(resampler) = &mut self.resampler {
                        resampler.finish(&mut self.pending)?;
                    }
                }
            }
        }
    }
}
