//! Reading and writing transcript files (txt, json, vtt, srt) as strings; never touches files or prints.
//!
//! Every reader takes the whole file as `&str` and returns a [`Transcript`] or
//! a [`ReadError`] with the line and column at fault; the caller, which knows
//! the path, adds it. Every writer returns the file's content as a `String`.
//!
//! | format | speaker from | times |
//! |---|---|---|
//! | `txt` | `Agent:` label on each line | optional `[MM:SS.d-MM:SS.d]` |
//! | `json` | `"speaker"` field | optional `start_ms`, `end_ms` |
//! | `vtt` | `<v Agent>` voice tag or `Agent:` prefix | required |
//! | `srt` | `Agent:` prefix or `<v Agent>` tag | required |
//!
//! Labels other than `agent`, `customer` and `unknown` are resolved through a
//! [`SpeakerMap`]; an unknown label is an error, except an `Xyz:` prefix in a
//! subtitle cue, which stays part of the text because subtitles have no
//! speaker syntax of their own. Subtitle cues without a speaker are
//! [`Role::Unknown`], and cues that are empty once markup is removed are
//! skipped. Only JSON carries the language.

mod common;
mod cue;
mod error;
mod format;
#[doc(hidden)]
pub mod fuzzing;
mod json;
mod speakers;
mod srt;
mod text;
mod time;
mod vtt;

#[doc(no_inline)]
pub use qadesk_domain::{Role, Segment, Transcript, Word};

pub use error::{ReadError, SpeakerMapError, UnknownFormat, WriteError};
pub use format::Format;
pub use speakers::SpeakerMap;

/// Reads a transcript in `format` from the whole content of a file.
///
/// A UTF-8 byte order mark is ignored and `\r\n` line endings work in every
/// format. Content with a NUL character is refused up front: it is a binary
/// file read as text, and any format-specific error would only confuse.
pub fn read(content: &str, format: Format, speakers: &SpeakerMap) -> Result<Transcript, ReadError> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    if let Some(offset) = content.find('\0') {
        let (line, column) = common::position_of(content, offset);
        return Err(ReadError::at(
            line,
            column,
            "input contains a NUL character (is this a binary file?)",
        ));
    }
    match format {
        Format::Text => text::read(content, speakers),
        Format::Json => json::read(content, speakers),
        Format::Vtt => vtt::read(content, speakers),
        Format::Srt => srt::read(content, speakers),
    }
}

/// Writes `transcript` as the content of a file in `format`.
///
/// Line-based formats put each segment on one line, so newlines inside a
/// segment's text become spaces. What a format cannot hold (untimed segments
/// in subtitles, empty texts, an empty transcript outside JSON) is an error
/// rather than a file that would not read back.
pub fn write(transcript: &Transcript, format: Format) -> Result<String, WriteError> {
    match format {
        Format::Text => text::write(transcript),
        Format::Json => json::write(transcript),
        Format::Vtt => vtt::write(transcript),
        Format::Srt => srt::write(transcript),
    }
}
