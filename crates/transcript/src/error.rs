//! The errors of reading, writing and speaker mapping; owns messages, never file paths.

use std::fmt;

use thiserror::Error;

use crate::Format;

/// A transcript that could not be read, with the place where reading stopped.
///
/// The caller knows the file, so it prefixes the path; this type only knows the
/// line and column (both 1-based, the column counted in characters).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}{message}", Position(*.line, *.column))]
pub struct ReadError {
    /// The 1-based line at fault, when the problem has one.
    pub line: Option<usize>,
    /// The 1-based column (in characters) at fault; only set together with `line`.
    pub column: Option<usize>,
    /// A lowercase fragment saying what is wrong, without a position.
    pub message: String,
}

impl ReadError {
    /// The one constructor: messages quote the input, and the input may be a
    /// binary file, so control characters are escaped before they can reach a
    /// terminal as escape sequences.
    pub(crate) fn new(
        line: Option<usize>,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        let mut message = message.into();
        if message.contains(char::is_control) {
            message = message.chars().fold(String::new(), |mut out, ch| {
                if ch.is_control() {
                    out.extend(ch.escape_default());
                } else {
                    out.push(ch);
                }
                out
            });
        }
        ReadError { line, column: line.and(column), message }
    }

    /// An error that belongs to the whole input rather than to one place in it.
    pub(crate) fn whole(message: impl Into<String>) -> Self {
        ReadError::new(None, None, message)
    }

    /// An error on one line, when no single column is to blame.
    pub(crate) fn at_line(line: usize, message: impl Into<String>) -> Self {
        ReadError::new(Some(line), None, message)
    }

    /// An error at one character of one line.
    pub(crate) fn at(line: usize, column: usize, message: impl Into<String>) -> Self {
        ReadError::new(Some(line), Some(column), message)
    }

    /// The message without the position, for callers that place it themselves.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Renders the `line 4, column 12: ` prefix; a column without a line means nothing.
struct Position(Option<usize>, Option<usize>);

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: "),
            (Some(line), None) => write!(f, "line {line}: "),
            (None, _) => Ok(()),
        }
    }
}

/// A transcript that cannot be expressed in the requested format.
///
/// Segments are numbered from 1, as a person counts them in the written file.
#[derive(Debug, Error)]
pub enum WriteError {
    #[error("transcript has no segments, and an empty {format} file could not be read back")]
    NoSegments { format: Format },
    #[error("segment {segment} has no start and end time, which {format} cues need")]
    Untimed { segment: usize, format: Format },
    #[error("segment {segment} has only one of its start and end times")]
    HalfTimed { segment: usize },
    #[error("segment {segment} ends before it starts")]
    EndBeforeStart { segment: usize },
    #[error("segment {segment} has no text, which {format} cannot hold")]
    EmptyText { segment: usize, format: Format },
    #[error(
        "segment {segment} has text that {format} would read as markup ({text}), which it cannot \
         escape; write vtt or json instead"
    )]
    Markup { segment: usize, format: Format, text: String },
    #[error("cannot serialise the transcript as json: {0}")]
    Json(#[from] serde_json::Error),
}

/// A `--speaker-map` specification that cannot be understood.
///
/// Each variant carries the offending entry verbatim so the user can find it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SpeakerMapError {
    #[error("speaker map entry \"{entry}\" has no \"=\" (expected LABEL=ROLE, e.g. Rep=agent)")]
    MissingEquals { entry: String },
    #[error("speaker map entry \"{entry}\" has an empty label")]
    EmptyLabel { entry: String },
    #[error(
        "speaker map entry \"{entry}\" names unknown role \"{role}\" (expected agent, customer or unknown)"
    )]
    UnknownRole { entry: String, role: String },
    #[error("speaker map entry \"{entry}\" maps \"{label}\" to a second role")]
    Conflict { entry: String, label: String },
}

/// A format name that is none of the supported ones.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown transcript format \"{0}\" (expected txt, json, vtt or srt)")]
pub struct UnknownFormat(pub String);
