//! The SubRip (SRT) subtitle format; owns its numbered cue blocks and cue writing.

use qadesk_domain::Transcript;

use crate::common::{column_of, excerpt, one_line_text, required_span};
use crate::cue::{Markup, blocks, numbered, read_cue_text, read_timing, strip_markup};
use crate::time::push_millis;
use crate::{Format, ReadError, SpeakerMap, WriteError};

const TIMING_HINT: &str = "expected HH:MM:SS,mmm --> HH:MM:SS,mmm";
/// SRT writes a comma before the milliseconds; a dot is accepted because many
/// converters write one.
const SEPARATORS: &[char] = &[',', '.'];

pub(crate) fn read(content: &str, speakers: &SpeakerMap) -> Result<Transcript, ReadError> {
    let lines = numbered(content);
    let mut segments = Vec::new();
    for block in blocks(&lines) {
        let (number, first) = block[0];
        let first = first.trim();
        // The cue number is not checked for order: editors renumber badly and
        // the timing is what matters. A missing number is tolerated likewise.
        let timing_at = if first.contains("-->") {
            0
        } else if first.bytes().all(|b| b.is_ascii_digit()) {
            1
        } else {
            return Err(ReadError::at(
                number,
                column_of(block[0].1, first),
                format!("expected a cue number or a timing line, found {}", excerpt(first)),
            ));
        };
        let Some(&timing) = block.get(timing_at).filter(|(_, line)| line.contains("-->")) else {
            let &(number, _) = block.get(timing_at).unwrap_or(&block[0]);
            return Err(ReadError::at_line(
                number,
                format!("expected a timing line after cue number {first} ({TIMING_HINT})"),
            ));
        };
        let span = read_timing(timing, SEPARATORS, TIMING_HINT)?;
        read_cue_text(
            &block[timing_at + 1..],
            span,
            Markup::Srt,
            SEPARATORS,
            speakers,
            &mut segments,
        )?;
    }
    if segments.is_empty() {
        return Err(ReadError::whole("no utterances found"));
    }
    Ok(Transcript { language: None, segments })
}

pub(crate) fn write(transcript: &Transcript) -> Result<String, WriteError> {
    if transcript.segments.is_empty() {
        return Err(WriteError::NoSegments { format: Format::Srt });
    }
    let mut out = String::with_capacity(transcript.segments.len() * 80);
    for (index, segment) in transcript.segments.iter().enumerate() {
        let number = index + 1;
        let (start, end) = required_span(segment, number, Format::Srt)?;
        let text = one_line_text(segment, number, Format::Srt)?;
        // SRT has no escapes: text its reader would take for markup (`<i>`, `{\an8}`) cannot
        // be written without being lost on reading (found by fuzzing, issue 7).
        if strip_markup(&text, Markup::Srt) != (None, text.to_string()) {
            return Err(WriteError::Markup {
                segment: number,
                format: Format::Srt,
                text: excerpt(&text),
            });
        }
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&number.to_string());
        out.push('\n');
        push_millis(&mut out, start, ',');
        out.push_str(" --> ");
        push_millis(&mut out, end, ',');
        out.push('\n');
        // The label is written even for unknown speakers, so that text which
        // itself starts with `Agent:` is not taken for a label when read back.
        out.push_str(segment.speaker.label());
        out.push_str(": ");
        out.push_str(&text);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use qadesk_domain::{Role, Segment};

    use super::*;

    #[test]
    fn reads_prefixes_tags_and_loose_numbering() {
        let content = "1\n00:00:00,000 --> 00:00:03,200\nAgent: Good morning,\n<i>Nordlys Telecom.</i>\n\n\
            7\n00:00:03.500 --> 00:00:06,000 X1:10 X2:20\n<v Customer>Hi.\n\n\
            00:00:06,000 --> 00:00:07,000\nNo speaker: here\n";
        let transcript = read(content, &SpeakerMap::default()).unwrap();
        assert_eq!(
            transcript.segments,
            [
                Segment::timed(Role::Agent, 0, 3_200, "Good morning, Nordlys Telecom."),
                Segment::timed(Role::Customer, 3_500, 6_000, "Hi."),
                Segment::timed(Role::Unknown, 6_000, 7_000, "No speaker: here"),
            ]
        );
    }

    #[test]
    fn errors_point_at_the_fault() {
        let cases = [
            (
                "1\n00:00:01,000 --> 00:00:02,000\nhi\n\nstray text\n",
                "line 5, column 1: expected a cue number or a timing line, found \"stray text\"",
            ),
            (
                "1\n00:00:01,000 -> 00:00:02,000\nhi\n",
                "line 2: expected a timing line after cue number 1 (expected HH:MM:SS,mmm --> HH:MM:SS,mmm)",
            ),
            (
                "1\n",
                "line 1: expected a timing line after cue number 1 (expected HH:MM:SS,mmm --> HH:MM:SS,mmm)",
            ),
            (
                "1\n00:00:0a,000 --> 00:00:02,000\nhi\n",
                "line 2, column 1: unparsable start time \"00:00:0a,000\" (expected HH:MM:SS,mmm --> HH:MM:SS,mmm)",
            ),
            (
                "1\n --> 00:00:02,000\nhi\n",
                "line 2, column 1: missing start time (expected HH:MM:SS,mmm --> HH:MM:SS,mmm)",
            ),
            ("1\n00:00:01,000 --> 00:00:02,000\n\n", "no utterances found"),
        ];
        for (content, expected) in cases {
            let error = read(content, &SpeakerMap::default()).unwrap_err();
            assert_eq!(error.to_string(), expected, "{content:?}");
        }
    }

    #[test]
    fn writes_numbered_cues_with_labels() {
        let transcript = Transcript {
            language: None,
            segments: vec![
                Segment::timed(Role::Agent, 0, 3_200, "Hello"),
                Segment::timed(Role::Unknown, 3_200, 4_000, "Agent: quoted"),
            ],
        };
        let written = write(&transcript).unwrap();
        assert_eq!(
            written,
            "1\n00:00:00,000 --> 00:00:03,200\nAgent: Hello\n\n\
             2\n00:00:03,200 --> 00:00:04,000\nUnknown: Agent: quoted\n"
        );
        assert_eq!(read(&written, &SpeakerMap::default()).unwrap(), transcript);
    }

    #[test]
    fn issue_7_text_srt_would_read_as_markup_is_refused_not_lost() {
        for text in ["a <ts vC uomer>b", "<i>hi</i>", "{\\an8}top"] {
            let transcript = Transcript {
                language: None,
                segments: vec![Segment::timed(Role::Agent, 0, 1_000, text)],
            };
            let error = write(&transcript).expect_err(text);
            assert!(error.to_string().contains("would read as markup"), "{error}");
        }
        let plain = Transcript {
            language: None,
            segments: vec![Segment::timed(Role::Agent, 0, 1_000, "a < b & {c} <3")],
        };
        assert_eq!(read(&write(&plain).unwrap(), &SpeakerMap::default()).unwrap(), plain);
    }
}
