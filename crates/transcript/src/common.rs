//! Helpers every format shares: positions in the input, label messages, checks before writing.

use std::borrow::Cow;

use qadesk_domain::Segment;

use crate::{Format, WriteError};

/// The 1-based character column where `part`, a slice of `line`, begins.
///
/// Taking the slice rather than a byte offset keeps the parsers free of index
/// bookkeeping; a slice from elsewhere falls back to column 1 instead of panicking.
pub(crate) fn column_of(line: &str, part: &str) -> usize {
    let (start, at) = (line.as_ptr() as usize, part.as_ptr() as usize);
    // Only a slice of `line` has a column; anything else (another string laid out right
    // after it in memory, say) falls back to column 1.
    if at < start || at + part.len() > start + line.len() {
        return 1;
    }
    line.get(..at - start).map_or(1, |before| before.chars().count() + 1)
}

/// The 1-based line and character column of a byte offset in `content`.
pub(crate) fn position_of(content: &str, offset: usize) -> (usize, usize) {
    let before = content.get(..offset).unwrap_or(content);
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    (line, before[line_start..].chars().count() + 1)
}

/// The message for a label that neither the map nor the role names know,
/// with the flag that fixes it when the label can be written in that flag.
pub(crate) fn unknown_label(label: &str) -> String {
    if label.is_empty() {
        return "empty speaker label".to_owned();
    }
    let unmappable = label.contains([',', '=', '"']) || label.contains(char::is_control);
    if unmappable || label.chars().nth(40).is_some() {
        // The map syntax cannot express such a label, or it is more likely a
        // sentence with a colon than a name, so a hint would mislead.
        return format!("unknown speaker label {}", excerpt(label));
    }
    let entry = if label.contains(char::is_whitespace) {
        format!("\"{label}=agent\"")
    } else {
        format!("{label}=agent")
    };
    format!("unknown speaker label \"{label}\" (map it with --speaker-map {entry})")
}

/// The start of `text`, at most 40 characters, in quotes; errors echo input
/// lines and a whole paragraph (or a binary blob) would drown the message.
pub(crate) fn excerpt(text: &str) -> String {
    const LIMIT: usize = 40;
    match text.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("\"{}…\"", &text[..end]),
        None => format!("\"{text}\""),
    }
}

/// The segment's text on one line, trimmed; line-based formats cannot hold an
/// empty utterance, because their readers would have nothing to read back.
pub(crate) fn one_line_text(
    segment: &Segment,
    number: usize,
    format: Format,
) -> Result<Cow<'_, str>, WriteError> {
    let text = segment.text.trim();
    let text = if text.contains(['\n', '\r']) {
        Cow::Owned(text.replace("\r\n", " ").replace(['\r', '\n'], " "))
    } else {
        Cow::Borrowed(text)
    };
    if text.is_empty() {
        return Err(WriteError::EmptyText { segment: number, format });
    }
    Ok(text)
}

/// The segment's times when it has both, refusing half a span or a reversed one.
pub(crate) fn checked_span(
    segment: &Segment,
    number: usize,
) -> Result<Option<(u64, u64)>, WriteError> {
    match (segment.start_ms, segment.end_ms) {
        (Some(start), Some(end)) if end < start => {
            Err(WriteError::EndBeforeStart { segment: number })
        }
        (Some(start), Some(end)) => Ok(Some((start, end))),
        (None, None) => Ok(None),
        _ => Err(WriteError::HalfTimed { segment: number }),
    }
}

/// The span a subtitle cue needs; subtitles have no untimed cues.
pub(crate) fn required_span(
    segment: &Segment,
    number: usize,
    format: Format,
) -> Result<(u64, u64), WriteError> {
    checked_span(segment, number)?.ok_or(WriteError::Untimed { segment: number, format })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let line = "[00:00.0] Åse: hei";
        let label = &line[10..14];
        assert_eq!(label, "Åse");
        assert_eq!(column_of(line, label), 11);
        let text = &line[17..];
        assert_eq!(column_of(line, text), 17);
        assert_eq!(column_of(line, "elsewhere"), 1);
    }

    #[test]
    fn positions_of_offsets() {
        let content = "ab\nçd\ne";
        assert_eq!(position_of(content, 0), (1, 1));
        assert_eq!(position_of(content, 3), (2, 1));
        assert_eq!(position_of(content, 5), (2, 2));
        assert_eq!(position_of(content, 7), (3, 1));
    }

    #[test]
    fn label_hints_quote_only_when_needed() {
        assert_eq!(
            unknown_label("Rep"),
            "unknown speaker label \"Rep\" (map it with --speaker-map Rep=agent)"
        );
        assert_eq!(
            unknown_label("Sales Rep"),
            "unknown speaker label \"Sales Rep\" (map it with --speaker-map \"Sales Rep=agent\")"
        );
        assert_eq!(unknown_label("a=b"), "unknown speaker label \"a=b\"");
        assert_eq!(unknown_label(""), "empty speaker label");
        assert_eq!(unknown_label("a\u{1b}"), "unknown speaker label \"a\u{1b}\"");
        let sentence = "So what I was going to say before you interrupted me";
        assert_eq!(
            unknown_label(sentence),
            "unknown speaker label \"So what I was going to say before you in…\""
        );
    }

    #[test]
    fn excerpts_stop_at_forty_characters() {
        assert_eq!(excerpt("short"), "\"short\"");
        let long = "ø".repeat(41);
        assert_eq!(excerpt(&long), format!("\"{}…\"", "ø".repeat(40)));
    }
}
