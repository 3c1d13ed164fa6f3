//! The WebVTT subtitle format; owns its header, block kinds and cue writing.

use qadesk_domain::Transcript;

use crate::common::{one_line_text, required_span};
use crate::cue::{Markup, blocks, numbered, read_cue_text, read_timing};
use crate::time::push_millis;
use crate::{Format, ReadError, SpeakerMap, WriteError};

const TIMING_HINT: &str = "expected HH:MM:SS.mmm --> HH:MM:SS.mmm";

/// True when the content starts with the `WEBVTT` signature as a whole word.
pub(crate) fn has_header(content: &str) -> bool {
    content
        .strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']))
}

pub(crate) fn read(content: &str, speakers: &SpeakerMap) -> Result<Transcript, ReadError> {
    if !has_header(content) {
        return Err(ReadError::at(1, 1, "missing \"WEBVTT\" header"));
    }
    let lines = numbered(content);
    // Header metadata runs to the first blank line; a timing line ends it too,
    // because some tools omit the blank line after `WEBVTT`.
    let header_len = 1 + lines[1..]
        .iter()
        .take_while(|(_, line)| !line.trim().is_empty() && !line.contains("-->"))
        .count();

    let mut segments = Vec::new();
    for block in blocks(&lines[header_len..]) {
        let first = block[0].1.trim();
        if ["NOTE", "STYLE", "REGION"].into_iter().any(|keyword| is_block_keyword(first, keyword)) {
            continue;
        }
        // An optional identifier line comes before the timing line.
        let timing_at = if first.contains("-->") { 0 } else { 1 };
        let Some(&timing) = block.get(timing_at).filter(|(_, line)| line.contains("-->")) else {
            let &(number, _) = block.get(timing_at).unwrap_or(&block[0]);
            return Err(ReadError::at_line(
                number,
                format!("expected a cue timing line ({TIMING_HINT})"),
            ));
        };
        let span = read_timing(timing, &['.'], TIMING_HINT)?;
        read_cue_text(&block[timing_at + 1..], span, Markup::Vtt, &['.'], speakers, &mut segments)?;
    }
    if segments.is_empty() {
        return Err(ReadError::whole("no utterances found"));
    }
    Ok(Transcript { language: None, segments })
}

/// True for `NOTE`, `NOTE text`, but not `NOTES`.
fn is_block_keyword(line: &str, keyword: &str) -> bool {
    line.strip_prefix(keyword).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

pub(crate) fn write(transcript: &Transcript) -> Result<String, WriteError> {
    if transcript.segments.is_empty() {
        return Err(WriteError::NoSegments { format: Format::Vtt });
    }
    let mut out = String::with_capacity(8 + transcript.segments.len() * 80);
    out.push_str("WEBVTT\n");
    for (index, segment) in transcript.segments.iter().enumerate() {
        let number = index + 1;
        let (start, end) = required_span(segment, number, Format::Vtt)?;
        let text = one_line_text(segment, number, Format::Vtt)?;
        out.push('\n');
        push_millis(&mut out, start, '.');
        out.push_str(" --> ");
        push_millis(&mut out, end, '.');
        out.push_str("\n<v ");
        out.push_str(segment.speaker.label());
        out.push('>');
        push_escaped(&mut out, &text);
        out.push('\n');
    }
    Ok(out)
}

/// Escapes the characters WebVTT gives a meaning to; `>` too, so that text
/// can never form the `-->` arrow.
fn push_escaped(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(ch),
        }
    }
}

#[cfg(test)]
mod tests {
    use qadesk_domain::{Role, Segment};

    use super::*;

    #[test]
    fn reads_voices_prefixes_and_skips_other_blocks() {
        let content = "WEBVTT - call 12\nKind: captions\n\n\
            STYLE\n::cue { color: red }\n\n\
            NOTE this is\na comment\n\n\
            intro\n00:00.000 --> 00:03.200 align:start\n<v.first Agent>Good morning,\nNordlys <i>Telecom</i>.</v>\n\n\
            00:00:03.500 --> 00:00:06.000\nCustomer: Hi &amp; hello\n\n\
            00:06.000 --> 00:07.000\nNote: no speaker here\n";
        let transcript = read(content, &SpeakerMap::default()).unwrap();
        assert_eq!(
            transcript.segments,
            [
                Segment::timed(Role::Agent, 0, 3_200, "Good morning, Nordlys Telecom."),
                Segment::timed(Role::Customer, 3_500, 6_000, "Hi & hello"),
                Segment::timed(Role::Unknown, 6_000, 7_000, "Note: no speaker here"),
            ]
        );
    }

    #[test]
    fn a_second_voice_in_a_cue_starts_a_segment() {
        let content =
            "WEBVTT\n00:01.000 --> 00:02.000\n<v Agent>Hello?\n<v Customer>Hi.\nIt's me.\n";
        let transcript = read(content, &SpeakerMap::default()).unwrap();
        assert_eq!(
            transcript.segments,
            [
                Segment::timed(Role::Agent, 1_000, 2_000, "Hello?"),
                Segment::timed(Role::Customer, 1_000, 2_000, "Hi. It's me."),
            ]
        );
    }

    #[test]
    fn errors_point_at_the_fault() {
        let cases = [
            ("00:01.000 --> 00:02.000\nhi\n", "line 1, column 1: missing \"WEBVTT\" header"),
            (
                "WEBVTT\n\nid\nhello\n",
                "line 4: expected a cue timing line (expected HH:MM:SS.mmm --> HH:MM:SS.mmm)",
            ),
            (
                "WEBVTT\n\n00:01.000 --> 00:00.500\nhi\n",
                "line 3, column 15: end time 00:00.500 is before start time 00:01.000",
            ),
            (
                "WEBVTT\n\n00:01.000 --> 00:0x.500\nhi\n",
                "line 3, column 15: unparsable end time \"00:0x.500\" (expected HH:MM:SS.mmm --> HH:MM:SS.mmm)",
            ),
            (
                "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Rep>hi\n",
                "line 4, column 4: unknown speaker label \"Rep\" (map it with --speaker-map Rep=agent)",
            ),
            (
                "WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n00:02.000 --> 00:03.000\nthere\n",
                "line 5: timing line inside cue text (is the blank line before this cue missing?)",
            ),
            ("WEBVTT\n\nNOTE nothing\n", "no utterances found"),
            ("WEBVTT\n\n00:01.000 --> 00:02.000\n<i></i>\n", "no utterances found"),
        ];
        for (content, expected) in cases {
            let error = read(content, &SpeakerMap::default()).unwrap_err();
            assert_eq!(error.to_string(), expected, "{content:?}");
        }
    }

    #[test]
    fn writes_voices_and_escapes_text() {
        let transcript = Transcript {
            language: None,
            segments: vec![
                Segment::timed(Role::Agent, 0, 3_200, "a <b> & c --> d"),
                Segment::timed(Role::Customer, 3_723_004, 3_724_000, "Hi"),
            ],
        };
        assert_eq!(
            write(&transcript).unwrap(),
            "WEBVTT\n\n00:00:00.000 --> 00:00:03.200\n<v Agent>a &lt;b&gt; &amp; c --&gt; d\n\n\
             01:02:03.004 --> 01:02:04.000\n<v Customer>Hi\n"
        );
    }

    #[test]
    fn refuses_untimed_segments() {
        let transcript = Transcript {
            language: None,
            segments: vec![
                Segment::timed(Role::Agent, 0, 1, "a"),
                Segment::untimed(Role::Agent, "b"),
            ],
        };
        assert_eq!(
            write(&transcript).unwrap_err().to_string(),
            "segment 2 has no start and end time, which vtt cues need"
        );
    }
}
