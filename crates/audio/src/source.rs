//! The contract between container decoders and the resampling stream: planar f32 chunks at the
//! source rate, of bounded size. No decoder logic lives here.

use crate::error::AudioError;

/// The most frames a WAV decoder returns per chunk (MP3 and FLAC return one packet each, which
/// their formats bound to 1152 and 65535 frames).
pub(crate) const CHUNK_FRAMES: usize = 8192;

/// A decoder of one container, yielding audio at its own sample rate.
pub(crate) trait Source: Send {
    /// The next chunk: one `Vec` per channel, all of the same length; `None` at the end.
    fn next_chunk(&mut self) -> Result<Option<Vec<Vec<f32>>>, AudioError>;
}

/// The largest magnitude a decoded sample may have: far above any real headroom (+36 dBFS),
/// far below what would overflow the resampler's FFT. Float files can hold anything, including
/// 1e38 and NaN, which would otherwise poison every later computation.
const MAX_MAGNITUDE: f32 = 64.0;

/// Makes a decoded sample safe to compute with: NaN and infinities become silence, and
/// magnitudes are limited to `MAX_MAGNITUDE`.
pub(crate) fn sanitize(sample: f32) -> f32 {
    if sample.is_finite() { sample.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE) } else { 0.0 }
}
