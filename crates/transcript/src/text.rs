//! The plain-text format, `[00:00.0-00:03.2] Agent: text` one utterance a line; owns its line syntax.

use qadesk_domain::{Segment, Transcript};

use crate::common::{checked_span, column_of, excerpt, one_line_text, unknown_label};
use crate::time::{parse_clock, push_tenths};
use crate::{Format, ReadError, SpeakerMap, WriteError};

const TIME_HINT: &str = "expected MM:SS.d or H:MM:SS.d";

pub(crate) fn read(content: &str, speakers: &SpeakerMap) -> Result<Transcript, ReadError> {
    let mut segments = Vec::new();
    for (index, line) in content.lines().enumerate() {
        if !line.trim().is_empty() {
            segments.push(read_line(line, index + 1, speakers)?);
        }
    }
    if segments.is_empty() {
        return Err(ReadError::whole("no utterances found"));
    }
    Ok(Transcript { language: None, segments })
}

fn read_line(line: &str, number: usize, speakers: &SpeakerMap) -> Result<Segment, ReadError> {
    let at = |part: &str, message: String| ReadError::at(number, column_of(line, part), message);
    let trimmed = line.trim();

    let (span, utterance) = match trimmed.strip_prefix('[') {
        Some(after) => {
            let Some(close) = after.find(']') else {
                return Err(at(trimmed, "unclosed time range (expected \"]\")".to_owned()));
            };
            let span = read_span(&after[..close], &at)?;
            (Some(span), after[close + 1..].trim_start())
        }
        None => (None, trimmed),
    };

    let Some((label, text)) = utterance.split_once(':') else {
        return Err(at(utterance, "missing speaker label (expected \"Agent: text\")".to_owned()));
    };
    let label = label.trim_end();
    if label.is_empty() {
        return Err(at(utterance, "missing speaker label before \":\"".to_owned()));
    }
    let speaker = speakers.role(label).ok_or_else(|| at(label, unknown_label(label)))?;
    let text = text.trim();
    if text.is_empty() {
        // Point just past the colon: the text that should be there is missing.
        let column = column_of(line, label) + label.chars().count() + 1;
        return Err(ReadError::at(number, column, format!("empty utterance after \"{label}:\"")));
    }

    let (start_ms, end_ms) = span.unzip();
    Ok(Segment::new(speaker, start_ms, end_ms, text))
}

/// Reads `00:00.0-00:03.2`; spaces around the dash and an en dash are allowed
/// because word processors put them there.
fn read_span(
    range: &str,
    at: &impl Fn(&str, String) -> ReadError,
) -> Result<(u64, u64), ReadError> {
    let Some(dash) = range.find(['-', '\u{2013}']) else {
        return Err(at(range, "expected a time range like [00:00.0-00:03.2]".to_owned()));
    };
    let dash_len = range[dash..].chars().next().map_or(1, char::len_utf8);
    let start_text = range[..dash].trim();
    let end_text = range[dash + dash_len..].trim();
    let time = |text: &str, which: &str| {
        if text.is_empty() {
            return Err(at(text, format!("missing {which} time ({TIME_HINT})")));
        }
        parse_clock(text, &['.']).ok_or_else(|| {
            at(text, format!("unparsable {which} time {} ({TIME_HINT})", excerpt(text)))
        })
    };
    let start = time(start_text, "start")?;
    let end = time(end_text, "end")?;
    if end < start {
        return Err(at(end_text, format!("end time {end_text} is before start time {start_text}")));
    }
    Ok((start, end))
}

pub(crate) fn write(transcript: &Transcript) -> Result<String, WriteError> {
    if transcript.segments.is_empty() {
        return Err(WriteError::NoSegments { format: Format::Text });
    }
    let mut out = String::with_capacity(transcript.segments.len() * 80);
    for (index, segment) in transcript.segments.iter().enumerate() {
        let number = index + 1;
        let text = one_line_text(segment, number, Format::Text)?;
        if let Some((start, end)) = checked_span(segment, number)? {
            out.push('[');
            push_tenths(&mut out, start);
            out.push('-');
            push_tenths(&mut out, end);
            out.push_str("] ");
        }
        out.push_str(segment.speaker.label());
        out.push_str(": ");
        out.push_str(&text);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use qadesk_domain::Role;

    use super::*;

    fn read_default(content: &str) -> Result<Transcript, ReadError> {
        read(content, &SpeakerMap::default())
    }

    #[test]
    fn reads_the_contract_example() {
        let transcript = read_default(
            "[00:00.0-00:03.2] Agent: Good morning, Nordlys Telecom, Anna speaking.\n\
             [00:03.5-00:06.0] Customer: Hi, my internet has been down since yesterday.\n",
        )
        .unwrap();
        assert_eq!(
            transcript.segments,
            [
                Segment::timed(
                    Role::Agent,
                    0,
                    3_200,
                    "Good morning, Nordlys Telecom, Anna speaking."
                ),
                Segment::timed(
                    Role::Customer,
                    3_500,
                    6_000,
                    "Hi, my internet has been down since yesterday."
                ),
            ]
        );
        assert_eq!(transcript.language, None);
    }

    #[test]
    fn accepts_loose_spellings() {
        let transcript = read_default(
            "  [00:01 - 00:02.25] agent:   hi: there  \r\n\r\n\
             [1:00:00.5 \u{2013} 1:00:01] CUSTOMER:hello\r\n\
             Unknown: untimed\n",
        )
        .unwrap();
        assert_eq!(
            transcript.segments,
            [
                Segment::timed(Role::Agent, 1_000, 2_250, "hi: there"),
                Segment::timed(Role::Customer, 3_600_500, 3_601_000, "hello"),
                Segment::untimed(Role::Unknown, "untimed"),
            ]
        );
    }

    #[test]
    fn errors_point_at_the_fault() {
        let cases = [
            (
                "Agent: ok\n\nhello there\n",
                "line 3, column 1: missing speaker label (expected \"Agent: text\")",
            ),
            (
                "[00:01.0-00:02.0]   Rep: hi",
                "line 1, column 21: unknown speaker label \"Rep\" (map it with --speaker-map Rep=agent)",
            ),
            (
                "[00:01.0-00:0x.0] Agent: hi",
                "line 1, column 10: unparsable end time \"00:0x.0\" (expected MM:SS.d or H:MM:SS.d)",
            ),
            (
                "[00:03.2-00:02.0] Agent: hi",
                "line 1, column 10: end time 00:02.0 is before start time 00:03.2",
            ),
            ("[00:01.0-00:02.0] Agent:   ", "line 1, column 25: empty utterance after \"Agent:\""),
            (
                "[00:01.0-00:02.0 Agent: hi",
                "line 1, column 1: unclosed time range (expected \"]\")",
            ),
            (
                "[00:01.0] Agent: hi",
                "line 1, column 2: expected a time range like [00:00.0-00:03.2]",
            ),
            (
                "[-00:01.0] Agent: hi",
                "line 1, column 2: missing start time (expected MM:SS.d or H:MM:SS.d)",
            ),
            (
                "[00:01.0-] Agent: hi",
                "line 1, column 10: missing end time (expected MM:SS.d or H:MM:SS.d)",
            ),
            (" : hi", "line 1, column 2: missing speaker label before \":\""),
            (
                "[00:01.0-00:02.0]",
                "line 1, column 18: missing speaker label (expected \"Agent: text\")",
            ),
            ("\n \n", "no utterances found"),
            ("", "no utterances found"),
        ];
        for (content, expected) in cases {
            let error = read_default(content).unwrap_err();
            assert_eq!(error.to_string(), expected, "{content:?}");
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let error = read_default("[00:01.0-00:02.0] Åse: hei\nØyvind: hei").unwrap_err();
        assert_eq!((error.line, error.column), (Some(1), Some(19)));
        assert_eq!(error.message(), unknown_label("Åse"));
    }

    #[test]
    fn labels_go_through_the_speaker_map() {
        let speakers = SpeakerMap::parse("Anna=agent,Sales Rep=agent,Caller=customer").unwrap();
        let transcript = read("Anna: hi\nsales rep: hello\nCALLER: hey", &speakers).unwrap();
        let roles: Vec<Role> = transcript.segments.iter().map(|s| s.speaker).collect();
        assert_eq!(roles, [Role::Agent, Role::Agent, Role::Customer]);
    }

    #[test]
    fn writes_tenths_hours_and_untimed_lines() {
        let transcript = Transcript {
            language: Some("en".to_owned()),
            segments: vec![
                Segment::timed(Role::Agent, 0, 3_249, "Good morning,\nNordlys Telecom."),
                Segment::timed(Role::Customer, 3_599_950, 3_725_000, "  Hi  "),
                Segment::untimed(Role::Unknown, "line\r\nbreak"),
            ],
        };
        assert_eq!(
            write(&transcript).unwrap(),
            "[00:00.0-00:03.2] Agent: Good morning, Nordlys Telecom.\n\
             [1:00:00.0-1:02:05.0] Customer: Hi\n\
             Unknown: line break\n"
        );
    }

    #[test]
    fn refuses_what_it_could_not_read_back() {
        let write_one = |segment: Segment| {
            write(&Transcript {
                language: None,
                segments: vec![Segment::untimed(Role::Agent, "ok"), segment],
            })
            .unwrap_err()
            .to_string()
        };
        assert_eq!(
            write_one(Segment::untimed(Role::Agent, " \n ")),
            "segment 2 has no text, which txt cannot hold"
        );
        assert_eq!(
            write_one(Segment { start_ms: Some(1), ..Segment::untimed(Role::Agent, "x") }),
            "segment 2 has only one of its start and end times"
        );
        assert_eq!(
            write_one(Segment::timed(Role::Agent, 5, 4, "x")),
            "segment 2 ends before it starts"
        );
        assert_eq!(
            write(&Transcript::default()).unwrap_err().to_string(),
            "transcript has no segments, and an empty txt file could not be read back"
        );
    }
}
