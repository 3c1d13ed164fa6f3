//! Reading input files: size and encoding guards, format choice, and error messages that name
//! the file and the position.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, bail};
use qadesk_domain::Transcript;
use qadesk_rubric::{Rubric, ScoreOptions};
use qadesk_transcript::{Format, SpeakerMap};

/// A call transcript is a few dozen KiB; anything this large is not one.
pub const MAX_TEXT_BYTES: u64 = 10 * 1024 * 1024;

/// Audio formats qadesk does not decode; WAV, MP3 and FLAC are transcribed by the caller.
const UNSUPPORTED_AUDIO: &[&str] = &["ogg", "opus", "m4a", "aac", "wma", "amr", "au"];

/// Reads a UTF-8 text file, refusing huge, empty and binary files with a clear reason.
pub fn read_text(path: &Path) -> Result<String, String> {
    text_from_bytes(path, read_limited(path)?)
}

/// Reads a file of at most [`MAX_TEXT_BYTES`].
pub fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let metadata =
        fs::metadata(path).map_err(|e| format!("{shown}: cannot read: {}", io_reason(&e)))?;
    if metadata.is_dir() {
        return Err(format!("{shown}: is a directory, not a file"));
    }
    if metadata.len() > MAX_TEXT_BYTES {
        return Err(format!(
            "{shown}: file is {:.1} MiB, over the {} MiB limit for a text input",
            metadata.len() as f64 / 1024.0 / 1024.0,
            MAX_TEXT_BYTES / 1024 / 1024
        ));
    }
    // Read at most one byte over the limit: a pipe or device reports no size up front.
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_TEXT_BYTES + 1), &mut bytes)
        })
        .map_err(|e| format!("{shown}: cannot read: {}", io_reason(&e)))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(format!(
            "{shown}: more than the {} MiB limit for a text input",
            MAX_TEXT_BYTES / 1024 / 1024
        ));
    }
    Ok(bytes)
}

/// Checks that bytes read from `path` are non-empty UTF-8 text, naming the position when not.
pub fn text_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<String, String> {
    let shown = path.display();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("{shown}: file is empty"));
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = position(&bytes, offset);
        return Err(format!(
            "{shown}:{line}:{column}: binary data (a NUL byte at byte {offset}), not a text file"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, column) = position(e.as_bytes(), offset);
        format!("{shown}:{line}:{column}: not UTF-8 text (invalid byte at byte {offset}); save the file as UTF-8")
    })
}

fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// Loads and compiles a rubric; every problem is listed as `file:line:col: message`.
pub fn load_rubric(path: &Path) -> anyhow::Result<Rubric> {
    let source = read_text(path).map_err(anyhow::Error::msg).context("cannot load the rubric")?;
    parse_rubric(path, &source)
}

/// Compiles a rubric's text read from `path`; every problem is listed as `file:line:col`.
pub fn parse_rubric(path: &Path, source: &str) -> anyhow::Result<Rubric> {
    qadesk_rubric::parse(source).map_err(|error| {
        let mut message = format!("{} has {} problem(s):", path.display(), error.problems().len());
        for problem in error.problems() {
            let _ = write!(message, "\n  {}:{problem}", path.display());
        }
        anyhow::Error::msg(message)
    })
}

/// Builds the speaker map: the command line's labels, then the rubric's for labels the
/// command line does not mention.
pub fn speaker_map(rubric: &Rubric, flag: Option<&str>) -> anyhow::Result<SpeakerMap> {
    let mut map = match flag {
        Some(flag) => SpeakerMap::parse(flag).map_err(|e| anyhow::anyhow!("--speaker-map: {e}"))?,
        None => SpeakerMap::default(),
    };
    for (label, role) in &rubric.speaker_map {
        if map.role(label).is_none() {
            map.insert(label, *role);
        }
    }
    Ok(map)
}

/// Reads one transcript file in the given format, or the one its extension or content says.
pub fn read_transcript(
    path: &Path,
    forced: Option<Format>,
    speakers: &SpeakerMap,
) -> Result<Transcript, String> {
    let shown = path.display();
    let extension = lowercase_extension(path);
    if forced.is_none() && UNSUPPORTED_AUDIO.contains(&extension.as_str()) {
        return Err(format!(
            "{shown}: .{extension} recordings are not supported; convert to WAV, MP3 or FLAC"
        ));
    }
    let text = read_text(path)?;
    parse_transcript(path, &text, forced, speakers)
}

/// Parses the text of a transcript file already read; errors name the file and position.
pub fn parse_transcript(
    path: &Path,
    text: &str,
    forced: Option<Format>,
    speakers: &SpeakerMap,
) -> Result<Transcript, String> {
    let shown = path.display();
    let extension = lowercase_extension(path);
    let format = forced
        .or_else(|| Format::from_extension(&extension))
        .unwrap_or_else(|| Format::sniff(text));
    qadesk_transcript::read(text, format, speakers).map_err(|e| {
        // The message may quote the line at fault: a card number must not leave through it.
        let message = crate::redaction::text(e.message());
        match (e.line, e.column) {
            (Some(line), Some(column)) => format!("{shown}:{line}:{column}: {message}"),
            (Some(line), None) => format!("{shown}:{line}: {message}"),
            _ => format!("{shown}: {message}"),
        }
    })
}

/// Scoring options from `--language`: `auto`, or a language the rubric has phrases for.
pub fn score_options(rubric: &Rubric, language: &str) -> anyhow::Result<ScoreOptions> {
    let language = match language {
        "auto" => None,
        code => {
            if !rubric.languages.iter().any(|l| l == code) {
                bail!(
                    "--language {code}: rubric `{}` has phrases for {} only",
                    rubric.id,
                    rubric.languages.join(", ")
                );
            }
            Some(code.to_string())
        }
    };
    Ok(ScoreOptions { language })
}

fn lowercase_extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase()
}

/// Parses `--input-format`.
pub fn forced_format(flag: Option<&str>) -> anyhow::Result<Option<Format>> {
    match flag {
        None => Ok(None),
        Some(name) => match name.parse::<Format>() {
            Ok(format) => Ok(Some(format)),
            Err(_) => bail!("--input-format: unknown format {name:?}; use txt, json, vtt or srt"),
        },
    }
}

/// The interaction id of a file: its name without the extension.
pub fn interaction_id(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned())
}
