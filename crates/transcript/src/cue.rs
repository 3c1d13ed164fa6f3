//! What WebVTT and SRT share: blocks, timing lines, cue markup and speakers in cue text.

use qadesk_domain::{Role, Segment};

use crate::common::{column_of, excerpt, unknown_label};
use crate::time::parse_clock;
use crate::{ReadError, SpeakerMap};

/// A line of the input with its 1-based number.
pub(crate) type Line<'a> = (usize, &'a str);

/// The input's lines numbered from 1, cut into blocks at blank lines.
pub(crate) fn blocks<'a>(lines: &'a [Line<'a>]) -> impl Iterator<Item = &'a [Line<'a>]> {
    lines.split(|(_, line)| line.trim().is_empty()).filter(|block| !block.is_empty())
}

pub(crate) fn numbered(content: &str) -> Vec<Line<'_>> {
    content.lines().enumerate().map(|(index, line)| (index + 1, line)).collect()
}

/// The markup dialect of cue text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Markup {
    /// WebVTT: tags, timestamp tags such as `<00:00:01.000>`, and `&amp;`-style
    /// character references.
    Vtt,
    /// SRT: HTML-like tags (`<i>`, `<font color=…>`) and `{\an8}` position codes;
    /// no character references, so `&amp;` stays as written.
    Srt,
}

/// Reads `start --> end [settings]`, where the end time is the first word after
/// the arrow because WebVTT puts cue settings after it.
pub(crate) fn read_timing(
    (number, line): Line<'_>,
    separators: &[char],
    hint: &str,
) -> Result<(u64, u64), ReadError> {
    let at = |part: &str, message: String| ReadError::at(number, column_of(line, part), message);
    let Some((left, right)) = line.split_once("-->") else {
        return Err(at(line.trim_start(), format!("expected a cue timing line ({hint})")));
    };
    let start_text = left.trim();
    let end_text = right.split_whitespace().next().unwrap_or(right.trim());
    let time = |text: &str, which: &str| {
        if text.is_empty() {
            return Err(at(text, format!("missing {which} time ({hint})")));
        }
        parse_clock(text, separators)
            .ok_or_else(|| at(text, format!("unparsable {which} time {} ({hint})", excerpt(text))))
    };
    let start = time(start_text, "start")?;
    let end = time(end_text, "end")?;
    if end < start {
        return Err(at(end_text, format!("end time {end_text} is before start time {start_text}")));
    }
    Ok((start, end))
}

/// True when `line` would parse as a timing line, which inside cue text means
/// the blank line before the next cue is missing.
fn is_timing(line: &str, separators: &[char]) -> bool {
    // The arrow test first: building the error for every line of text would
    // cost more than the rest of reading.
    line.contains("-->") && read_timing((0, line), separators, "").is_ok()
}

/// Turns the text lines of one cue into segments.
///
/// The speaker comes from a voice tag (`<v Agent>`) or, failing that, from an
/// `Agent:` prefix that the speaker map knows. An unknown voice name is an
/// error because a voice tag always names a speaker; an unknown prefix is kept
/// as text because subtitles often start with words like `Note:`. A later line
/// with its own speaker starts a new segment with the same times, which is how
/// subtitle files put a two-person exchange into one cue.
pub(crate) fn read_cue_text(
    text_lines: &[Line<'_>],
    (start_ms, end_ms): (u64, u64),
    markup: Markup,
    separators: &[char],
    speakers: &SpeakerMap,
    segments: &mut Vec<Segment>,
) -> Result<(), ReadError> {
    let mut current: Option<(Role, String)> = None;
    let mut flush = |current: Option<(Role, String)>| {
        if let Some((speaker, text)) = current.filter(|(_, text)| !text.is_empty()) {
            segments.push(Segment::timed(speaker, start_ms, end_ms, text));
        }
    };
    for &(number, line) in text_lines {
        if is_timing(line, separators) {
            return Err(ReadError::at_line(
                number,
                "timing line inside cue text (is the blank line before this cue missing?)",
            ));
        }
        let (voice, plain) = strip_markup(line.trim(), markup);
        let (speaker, text) = match voice {
            Some(name) => {
                let role = speakers.role(name).ok_or_else(|| {
                    ReadError::at(number, column_of(line, name), unknown_label(name))
                })?;
                (Some(role), plain.trim())
            }
            None => {
                let labelled = plain.split_once(':').and_then(|(label, rest)| {
                    speakers.role(label).map(|role| (Some(role), rest.trim()))
                });
                labelled.unwrap_or((None, plain.trim()))
            }
        };
        match (speaker, current.as_mut()) {
            (None, Some((_, joined))) => {
                if !joined.is_empty() && !text.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(text);
            }
            (None, None) => current = Some((Role::Unknown, text.to_owned())),
            (Some(role), _) => flush(current.replace((role, text.to_owned()))),
        }
    }
    flush(current);
    Ok(())
}

/// Removes markup from one line of cue text and returns the first voice name
/// (a slice of `line`, so errors can point at it) with the plain text.
pub(crate) fn strip_markup(line: &str, markup: Markup) -> (Option<&str>, String) {
    let mut voice = None;
    let mut plain = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(['<', '&', '{']) {
        plain.push_str(&rest[..at]);
        let tail = &rest[at..];
        let skipped = match tail.as_bytes()[0] {
            b'<' => tag(tail, markup).map(|(len, name)| {
                voice = voice.or(name);
                len
            }),
            b'&' if markup == Markup::Vtt => character_reference(tail).map(|(len, ch)| {
                plain.push(ch);
                len
            }),
            b'{' if markup == Markup::Srt && tail.starts_with("{\\") => {
                tail.find('}').map(|end| end + 1)
            }
            _ => None,
        };
        let len = skipped.unwrap_or_else(|| {
            // Not markup after all: keep the character as text.
            plain.push_str(&tail[..1]);
            1
        });
        rest = &tail[len..];
    }
    plain.push_str(rest);
    (voice, plain)
}

/// Recognises a tag at the start of `tail`: its length and, for a voice tag,
/// the speaker's name. A `<` that opens no tag (`a < b`) is text.
fn tag(tail: &str, markup: Markup) -> Option<(usize, Option<&str>)> {
    let close = tail.find('>')?;
    let inner = &tail[1..close];
    let first = inner.chars().next()?;
    let opens_tag = first == '/'
        || first.is_ascii_alphabetic()
        || (markup == Markup::Vtt && first.is_ascii_digit());
    if !opens_tag || inner.contains('<') {
        return None;
    }
    // `<v Name>` or `<v.class1.class2 Name>`; classes end at the first space.
    let name = inner
        .strip_prefix('v')
        .filter(|after| after.is_empty() || after.starts_with(['.', ' ', '\t']))
        .and_then(|after| after.split_once([' ', '\t']))
        .map(|(_, name)| name.trim())
        .filter(|name| !name.is_empty());
    Some((close + 1, name))
}

/// Decodes a WebVTT character reference at the start of `tail`: its length and character.
fn character_reference(tail: &str) -> Option<(usize, char)> {
    // The longest reference handled, `&#x10FFFF;`, is ten bytes.
    let semicolon = tail.bytes().take(11).position(|b| b == b';')?;
    let name = &tail[1..semicolon];
    let ch = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code).filter(|&ch| ch != '\0')?
        }
    };
    Some((semicolon + 1, ch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_vtt_markup_and_finds_the_voice() {
        let (voice, plain) = strip_markup(
            "<v.loud.angry Anna Berg><i>Hi</i> &amp; <00:00:01.000>bye &lt;3 &copy; a<b",
            Markup::Vtt,
        );
        assert_eq!(voice, Some("Anna Berg"));
        assert_eq!(plain, "Hi & bye <3 &copy; a<b");
    }

    #[test]
    fn strips_srt_markup_but_keeps_references() {
        let (voice, plain) =
            strip_markup("{\\an8}<font color=\"#fff\">Agent: a &amp; b</font> <3 {x}", Markup::Srt);
        assert_eq!(voice, None);
        assert_eq!(plain, "Agent: a &amp; b <3 {x}");
    }

    #[test]
    fn voice_tags_need_a_name() {
        assert_eq!(strip_markup("<v>hi", Markup::Vtt), (None, "hi".to_owned()));
        assert_eq!(strip_markup("<v.x>hi", Markup::Vtt), (None, "hi".to_owned()));
        assert_eq!(strip_markup("<video x>hi", Markup::Vtt), (None, "hi".to_owned()));
        assert_eq!(strip_markup("<v  Bo >hi</v>", Markup::Vtt), (Some("Bo"), "hi".to_owned()));
    }

    #[test]
    fn numeric_references_decode() {
        let (_, plain) = strip_markup("&#65;&#x42;&#X43;&#0;&#xZZ;&#1114112;&", Markup::Vtt);
        assert_eq!(plain, "ABC&#0;&#xZZ;&#1114112;&");
    }
}
