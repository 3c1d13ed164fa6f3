//! The error types of `qadesk-audio`, worded for users: every reason a file cannot be decoded
//! (`AudioError`) and, with the `record` feature, every reason a recording cannot start or had to
//! stop early (`RecordError`).

use thiserror::Error;

/// Why an audio file could not be opened or decoded.
///
/// Messages are lowercase fragments without a trailing period; the caller adds the file name.
#[derive(Debug, Error)]
pub enum AudioError {
    /// The file has no bytes at all.
    #[error("empty file (0 bytes)")]
    Empty,

    /// The content is not audio that qadesk recognises, whatever its name says.
    #[error("not an audio file: {what}")]
    NotAudio {
        /// What the content looks like instead, e.g. "it looks like a text file".
        what: String,
    },

    /// The container header is malformed, so the audio cannot even be located.
    #[error("corrupt {container} header: {reason}")]
    CorruptHeader {
        /// "wav", "mp3", "flac".
        container: &'static str,
        /// What is wrong, naming the field at fault.
        reason: String,
    },

    /// The header promises more audio than the file holds, and what is there is under a second.
    #[error(
        "truncated: the data chunk declares {declared} bytes but only {present} are present \
         ({} bytes missing)", declared.saturating_sub(*present)
    )]
    Truncated {
        /// Bytes of audio data the header declares.
        declared: u64,
        /// Bytes of audio data actually in the file.
        present: u64,
    },

    /// A recognised container holding a codec or layout that qadesk does not decode.
    #[error("{what} is not supported")]
    Unsupported {
        /// The codec or format at fault, e.g. "wav format tag 0x0055 (mp3-in-wav)".
        what: String,
    },

    /// The audio data itself is malformed past the header.
    #[error("corrupt {container} audio data: {reason}")]
    CorruptData {
        /// "wav", "mp3", "flac".
        container: &'static str,
        /// What the decoder reported.
        reason: String,
    },

    /// The operating system failed to read the file.
    #[error("read error: {0}")]
    Io(#[from] std::io::Error),

    /// Writing a copy of the audio failed (a full disk, a closed pipe).
    #[error("write error: {0}")]
    Write(std::io::Error),
}

impl AudioError {
    pub(crate) fn not_audio(what: impl Into<String>) -> Self {
        AudioError::NotAudio { what: what.into() }
    }

    pub(crate) fn corrupt_header(container: &'static str, reason: impl Into<String>) -> Self {
        AudioError::CorruptHeader { container, reason: reason.into() }
    }

    pub(crate) fn unsupported(what: impl Into<String>) -> Self {
        AudioError::Unsupported { what: what.into() }
    }

    pub(crate) fn corrupt_data(container: &'static str, reason: impl Into<String>) -> Self {
        AudioError::CorruptData { container, reason: reason.into() }
    }
}

/// How much of a recording that ended early is in the file.
#[cfg(feature = "record")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    /// Frames (one sample per channel) in the file, as its header states.
    pub frames: u64,
    /// The recording's rate, to turn frames into time.
    pub sample_rate: u32,
}

#[cfg(feature = "record")]
impl Kept {
    /// Nothing was written.
    pub const NOTHING: Kept = Kept { frames: 0, sample_rate: 0 };

    /// Seconds of audio kept.
    pub fn seconds(&self) -> f64 {
        if self.sample_rate == 0 { 0.0 } else { self.frames as f64 / f64::from(self.sample_rate) }
    }
}

#[cfg(feature = "record")]
impl std::fmt::Display for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1} s ({} frames)", self.seconds(), self.frames)
    }
}

/// Why a recording could not start, or why it stopped before it was asked to.
///
/// Messages are lowercase fragments without a trailing period that name the device or file.
/// The two mid-recording failures ([`RecordError::DeviceLost`], [`RecordError::Write`]) come
/// after the file was finalised as far as possible, and say how much it keeps.
#[cfg(feature = "record")]
#[derive(Debug, Error)]
pub enum RecordError {
    /// The platform's audio system (ALSA on Linux) could not be started.
    #[error("the audio system is not available: {reason}")]
    Host {
        /// What the audio library reported.
        reason: String,
    },

    /// The system has no default input device.
    #[error("no default input device")]
    NoDefaultDevice,

    /// No input device has the name asked for.
    #[error("no input device named `{name}` (input devices: {})", available.join(", "))]
    DeviceNotFound {
        /// The name asked for.
        name: String,
        /// The ids of the input devices there are.
        available: Vec<String>,
    },

    /// The device refused to be queried, opened or started.
    #[error("input device `{device}`: {reason}")]
    Device {
        /// The device's name.
        device: String,
        /// What the audio library reported.
        reason: String,
    },

    /// The device offers no sample coding qadesk writes (16-bit, 32-bit, float).
    #[error(
        "input device `{device}` offers no 16-bit, 32-bit or float capture format (it offers {offered})"
    )]
    NoUsableFormat {
        /// The device's name.
        device: String,
        /// The formats it offers.
        offered: String,
    },

    /// The output file exists and overwriting was not asked for; it is left untouched.
    #[error("{} already exists", path.display())]
    Exists {
        /// The file.
        path: std::path::PathBuf,
    },

    /// The output file could not be created.
    #[error("cannot create {}: {source}", path.display())]
    Create {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// The device went away (unplugged, stream invalidated, silent past the stall timeout).
    #[error("input device `{device}` stopped delivering audio ({reason}); kept {kept} in the file")]
    DeviceLost {
        /// The device's name.
        device: String,
        /// What happened.
        reason: String,
        /// What the file holds.
        kept: Kept,
    },

    /// Writing the file failed (a full disk, a removed drive).
    #[error("writing the recording failed ({reason}); kept {kept} in the file")]
    Write {
        /// What the operating system reported.
        reason: String,
        /// What the file holds.
        kept: Kept,
    },
}
