//! Streaming sample-rate conversion with rubato (FFT or sinc resampler), in bounded memory.
//!
//! It owns the bookkeeping rubato leaves to callers: queueing input to whole chunks, dropping
//! the filter delay at the start, and flushing the tail so that `n` input frames give exactly
//! `round(n · to / from)` output frames.

use rubato::audioadapter_buffers::direct::SequentialSliceOfVecs;
use rubato::{Async, Fft, FixedAsync, FixedSync, Resampler, SincInterpolationParameters};

use crate::error::AudioError;
use crate::source::sanitize;

/// The smaller FFT side is made at least this long: rubato's anti-aliasing cutoff rises with the
/// FFT length (about 0.98 of the output Nyquist at 1024), and so does the cost per chunk.
const TARGET_FFT_LEN: usize = 1024;

/// Above this many input frames per exact-ratio block (rates that share few factors with the
/// target, such as 44 101 Hz), the FFT resampler's buffers grow to a second of audio per
/// channel; the sinc resampler is used instead.
const MAX_FFT_BLOCK: usize = 8_192;

/// A multi-channel resampler from one fixed rate to another, fed and drained incrementally.
///
/// Common rates (8, 11.025, 22.05, 32, 44.1, 48, 96 kHz…) use rubato's synchronous FFT
/// resampler; rates with an awkward ratio to the target use its asynchronous sinc resampler
/// (slower, same quality, small buffers).
pub(crate) struct StreamResampler {
    inner: Box<dyn Resampler<f32>>,
    /// Whether `inner` is the FFT resampler, whose only state between chunks is the overlap of
    /// the last chunk: then silence after silence can be skipped.
    stateless_blocks: bool,
    from_hz: u64,
    to_hz: u64,
    channels: usize,
    chunk_in: usize,
    /// Input not yet resampled, one queue per channel, always shorter than `chunk_in`.
    queue: Vec<Vec<f32>>,
    /// Output frames still to drop: the filter's delay.
    delay_left: usize,
    frames_in: u64,
    frames_out: u64,
    /// Whether the last chunk given to rubato was all zeros, so its filter state is silent.
    silent_state: bool,
    scratch: Vec<Vec<f32>>,
}

impl StreamResampler {
    pub(crate) fn new(from_hz: u32, to_hz: u32, channels: usize) -> Result<Self, AudioError> {
        let (from, to) = (from_hz as usize, to_hz as usize);
        let gcd = gcd(from, to);
        let (unit_in, unit_out) = (from / gcd, to / gcd);
        let construction = |err: &dyn std::fmt::Display| {
            AudioError::unsupported(format!("resampling {from_hz} hz to {to_hz} hz ({err})"))
        };
        let (inner, stateless_blocks): (Box<dyn Resampler<f32>>, bool) =
            if unit_in.max(unit_out) <= MAX_FFT_BLOCK {
                // rubato's `Both` mode processes whole multiples of the smallest exact block.
                let units = TARGET_FFT_LEN.div_ceil(unit_in.min(unit_out)).max(1);
                let fft = Fft::<f32>::new(from, to, units * unit_in, channels, FixedSync::Both)
                    .map_err(|err| construction(&err))?;
                (Box::new(fft), true)
            } else {
                let sinc = Async::<f32>::new_sinc(
                    to as f64 / from as f64,
                    1.0,
                    &SincInterpolationParameters::default(),
                    TARGET_FFT_LEN,
                    channels,
                    FixedAsync::Input,
                )
                .map_err(|err| construction(&err))?;
                (Box::new(sinc), false)
            };
        let chunk_in = inner.input_frames_next();
        let chunk_out = inner.output_frames_max();
        Ok(StreamResampler {
            delay_left: inner.output_delay(),
            inner,
            stateless_blocks,
            from_hz: u64::from(from_hz),
            to_hz: u64::from(to_hz),
            channels,
            chunk_in,
            queue: vec![Vec::with_capacity(chunk_in); channels],
            frames_in: 0,
            frames_out: 0,
            silent_state: false,
            scratch: vec![vec![0.0; chunk_out]; channels],
        })
    }

    /// Resamples `input` (one slice per channel, equal lengths), appending output to `out`.
    pub(crate) fn push(
        &mut self,
        input: &[Vec<f32>],
        out: &mut [Vec<f32>],
    ) -> Result<(), AudioError> {
        let frames = input.first().map_or(0, Vec::len);
        self.frames_in += frames as u64;
        let mut taken = 0;
        while taken < frames {
            let room = self.chunk_in - self.queue[0].len();
            let take = room.min(frames - taken);
            for (queue, plane) in self.queue.iter_mut().zip(input) {
                queue.extend_from_slice(&plane[taken..taken + take]);
            }
            taken += take;
            if self.queue[0].len() == self.chunk_in {
                self.process_queue(out)?;
            }
        }
        Ok(())
    }

    /// Flushes the filter: pads the last partial chunk with silence and emits the tail, so that
    /// the total output is exactly the input length scaled by the rate ratio.
    pub(crate) fn finish(&mut self, out: &mut [Vec<f32>]) -> Result<(), AudioError> {
        let expected = (self.frames_in * self.to_hz + self.from_hz / 2) / self.from_hz;
        while self.frames_out < expected {
            for queue in self.queue.iter_mut() {
                queue.resize(self.chunk_in, 0.0);
            }
            self.process_queue(out)?;
        }
        let excess = (self.frames_out - expected) as usize;
        for plane in out.iter_mut() {
            plane.truncate(plane.len().saturating_sub(excess));
        }
        self.frames_out = expected;
        Ok(())
    }

    fn process_queue(&mut self, out: &mut [Vec<f32>]) -> Result<(), AudioError> {
        let silent = self.queue.iter().all(|queue| queue.iter().all(|&s| s == 0.0));
        let produced = if silent && self.silent_state && self.stateless_blocks {
            // Zeros in after zeros give zeros out: rubato's only state between chunks is the
            // overlap of the previous chunk, which is silent too. Long silent stretches (hold,
            // a muted side of a call) then cost nothing.
            let frames = self.inner.output_frames_next();
            self.scratch.iter_mut().for_each(|plane| plane[..frames].fill(0.0));
            frames
        } else {
            let frames_out = self.inner.output_frames_next();
            let input = SequentialSliceOfVecs::new(&self.queue, self.channels, self.chunk_in)
                .map_err(|err| resample_error(&err))?;
            let mut output =
                SequentialSliceOfVecs::new_mut(&mut self.scratch, self.channels, frames_out)
                    .map_err(|err| resample_error(&err))?;
            let (_, produced) = self
                .inner
                .process_into_buffer(&input, &mut output, None)
                .map_err(|err| resample_error(&err))?;
            produced
        };
        self.silent_state = silent;
        self.queue.iter_mut().for_each(Vec::clear);
        let skip = self.delay_left.min(produced);
        self.delay_left -= skip;
        for (plane, scratch) in out.iter_mut().zip(&self.scratch) {
            plane.extend_from_slice(&scratch[skip..produced]);
        }
        self.frames_out += (produced - skip) as u64;
        Ok(())
    }
}

fn resample_error(err: &dyn std::fmt::Display) -> AudioError {
    AudioError::unsupported(format!("resampling this stream ({err})"))
}

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// Resamples one channel held in memory (for tests and for making telephone-rate copies).
pub(crate) fn resample_all(
    samples: &[f32],
    from_hz: u32,
    to_hz: u32,
) -> Result<Vec<f32>, AudioError> {
    if from_hz == to_hz {
        return Ok(samples.to_vec());
    }
    let mut resampler = StreamResampler::new(from_hz, to_hz, 1)?;
    let mut out = vec![Vec::new()];
    for block in samples.chunks(64 * 1024) {
        resampler.push(&[block.iter().copied().map(sanitize).collect()], &mut out)?;
    }
    resampler.finish(&mut out)?;
    Ok(out.pop().unwrap_or_default())
}
