//! The crate's error types: `ModelError` for model files (import, lookup, download) and
//! `TranscribeError` for speech-to-text. Messages are lowercase fragments that name the file.

use std::io;
use std::path::PathBuf;

/// What can go wrong while reading, writing, finding or downloading a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file system refused an operation on a path.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: io::Error,
    },

    /// A CTranslate2 model directory lacks `model.bin` (or its `.part1`, `.part2`, … pieces).
    #[error(
        "{}: no model.bin, nor model.bin.part1 and model.bin.part2, in this directory",
        dir.display()
    )]
    NoCt2Model { dir: PathBuf },

    /// The CTranslate2 file does not start like a version 6 `WhisperSpec` model.
    #[error("{}: bad header: {reason}", path.display())]
    Ct2Header { path: PathBuf, reason: String },

    /// The CTranslate2 file ends before a structure it announced.
    #[error("{}: truncated {what} at byte {offset}", path.display())]
    Ct2Truncated { path: PathBuf, what: String, offset: u64 },

    /// A structure in the CTranslate2 file is present but malformed.
    #[error("{}: {what} at byte {offset}: {reason}", path.display())]
    Ct2Malformed { path: PathBuf, what: String, offset: u64, reason: String },

    /// A tensor whisper.cpp needs is not in the CTranslate2 file.
    #[error("{}: missing tensor {name}", path.display())]
    MissingTensor { path: PathBuf, name: String },

    /// A tensor has a shape or a type the conversion cannot use.
    #[error("{}: tensor {name}: {reason}", path.display())]
    BadTensor { path: PathBuf, name: String, reason: String },

    /// `vocabulary.txt` does not fit the model.
    #[error("{}: {reason}", path.display())]
    Vocabulary { path: PathBuf, reason: String },

    /// A line of `vocabulary.txt` cannot be mapped back to bytes.
    #[error("{}:{line}: {reason}", path.display())]
    VocabularyLine { path: PathBuf, line: usize, reason: String },

    /// The file is not a whisper.cpp ggml model (wrong magic, impossible header, bad tensor table).
    #[error("{}: not a whisper.cpp ggml model: {reason}", path.display())]
    NotGgml { path: PathBuf, reason: String },

    /// A model path given explicitly (argument or `QADESK_MODEL`) does not exist.
    #[error("{}: model file not found (given by {source_of_path})", path.display())]
    ModelPathMissing { path: PathBuf, source_of_path: &'static str },

    /// No model anywhere qadesk looks; the message says how to get one.
    #[error(
        "no whisper model found (looked in {}); get one with `scripts/setup` (imports the \
         bundled models into models/), `qadesk model fetch tiny.en` (downloads whisper.cpp's \
         file), or `qadesk model import-ct2 DIR -o models/ggml-tiny.en.bin` (converts a \
         CTranslate2 model), or point --model or QADESK_MODEL at a ggml file",
        searched_list(searched)
    )]
    NotFound { searched: Vec<PathBuf> },

    /// `fetch_model` was asked for a name it does not know.
    #[error("unknown model name {name:?} (known: {})", known.join(", "))]
    UnknownModelName { name: String, known: Vec<&'static str> },

    /// The server answered with an HTTP error status.
    #[error("{url}: server answered http {status}")]
    HttpStatus { url: String, status: u16 },

    /// The download failed on the network or protocol level.
    #[error("{url}: download failed: {reason}")]
    Download { url: String, reason: String },

    /// The connection closed before the announced length arrived.
    #[error("{url}: download truncated: received {received} of {expected} bytes")]
    DownloadTruncated { url: String, received: u64, expected: u64 },
}

fn searched_list(searched: &[PathBuf]) -> String {
    if searched.is_empty() {
        return "no place: no project directory and no home directory".to_owned();
    }
    searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

impl ModelError {
    pub(crate) fn io(path: impl Into<PathBuf>, action: &'static str, source: io::Error) -> Self {
        ModelError::Io { path: path.into(), action, source }
    }
}

/// What can go wrong while loading a model into whisper.cpp or transcribing with it.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    /// The model file failed the checks made before handing it to whisper.cpp.
    #[error(transparent)]
    Model(#[from] ModelError),

    /// whisper.cpp refused the model file.
    #[error("{}: whisper.cpp could not load the model: {reason}", path.display())]
    Load { path: PathBuf, reason: String },

    /// The language code is not one Whisper knows.
    #[error(
        "unknown language {language:?} (use a Whisper language code such as en, nb, it, nl, es, et, or auto)"
    )]
    UnknownLanguage { language: String },

    /// An English-only model was asked for another language.
    #[error(
        "the model is english-only and cannot transcribe language {language:?}; use a multilingual model such as base"
    )]
    EnglishOnlyModel { language: String },

    /// No samples to transcribe.
    #[error("no audio samples to transcribe")]
    EmptyAudio,

    /// The audio is longer than whisper.cpp can take in one call.
    #[error("audio of {samples} samples is too long for one call; split it into shorter pieces")]
    AudioTooLong { samples: usize },

    /// whisper.cpp failed while decoding.
    #[error("whisper.cpp failed: {reason}")]
    Inference { reason: String },

    /// Reading or decoding the audio failed (the pipeline's input).
    #[cfg(feature = "whisper")]
    #[error(transparent)]
    Audio(#[from] qadesk_audio::AudioError),

    /// A transcription worker thread died instead of returning.
    #[error("a transcription worker thread stopped unexpectedly")]
    Worker,
}
