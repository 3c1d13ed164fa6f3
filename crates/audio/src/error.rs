//! The one error type of `qadesk-audio`: every reason a file cannot be decoded, worded for users.

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
