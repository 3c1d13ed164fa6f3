//! Whisper for qadesk: CTranslate2 → whisper.cpp model import, model lookup and download, and
//! (feature `whisper`) speech-to-text through whisper.cpp. Never prints, never reads audio files.
//!
//! | module | owns |
//! |---|---|
//! | `ct2` | reading CTranslate2 `model.bin` (one file or `.part1`, `.part2`, …) |
//! | `vocab` | GPT-2 byte↔unicode table, `vocabulary.txt` → token bytes |
//! | `mel` | the Slaney mel filterbank ([`mel_filters`]) |
//! | `ggml` | writing and checking whisper.cpp's ggml file ([`read_ggml_header`], [`verify_ggml`]) |
//! | `import` | the CT2 → ggml mapping ([`import_ct2`]) |
//! | `lookup` | [`find_model`], [`list_models`] |
//! | `fetch` | [`fetch_model`] over HTTP(S) |
//! | `transcription` | [`DecodeOptions`], [`Transcription`], [`RawSegment`], [`RawWord`] |
//! | `whisper` | [`Whisper`] (feature `whisper`) |
//! | `one_pass` | segments and word times of a window decoded in one pass |
//! | `guard` | dropping Whisper's inventions from raw segments |
//! | `pipeline` | audio stream → `Transcript`: channels, voice activity, merge (feature `whisper`) |
//! | `wer` | word error rate with a transcript normaliser |

mod ct2;
mod error;
mod fetch;
mod ggml;
pub mod guard;
mod import;
mod lookup;
mod mel;
#[cfg(any(test, feature = "whisper"))]
mod one_pass;
#[cfg(feature = "whisper")]
pub mod pipeline;
mod transcription;
mod vocab;
pub mod wer;
#[cfg(feature = "whisper")]
mod whisper;

pub use error::{ModelError, TranscribeError};
pub use fetch::{DEFAULT_MODEL_URL, FETCHABLE, MODEL_URL_ENV, fetch_model};
pub use ggml::{GgmlHeader, GgmlInfo, read_ggml_header, verify_ggml};
pub use import::{ImportSummary, import_ct2};
pub use lookup::{MODEL_ENV, ModelFile, find_model, list_models, user_models_dir};
pub use mel::{N_FFT, N_FFT_BINS, SAMPLE_RATE, mel_filters};
pub use transcription::{
    CONTEXT_MARGIN_MS, DecodeOptions, FULL_CONTEXT, RawSegment, RawWord, Transcription,
    audio_context,
};
#[cfg(feature = "whisper")]
pub use whisper::Whisper;
