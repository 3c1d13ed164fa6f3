//! qadesk's own JSON form of a transcript; owns the mapping of speaker strings in it.

use qadesk_domain::{Segment, Transcript};
use serde::Deserialize;

use crate::common::{position_of, unknown_label};
use crate::{ReadError, SpeakerMap, WriteError};

/// The serde form of `Transcript`, except that the speaker stays a string
/// until the speaker map has seen it, so `"Rep"` can be mapped like in text files.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTranscript {
    #[serde(default)]
    language: Option<String>,
    segments: Vec<RawSegment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSegment {
    speaker: String,
    #[serde(default)]
    start_ms: Option<u64>,
    #[serde(default)]
    end_ms: Option<u64>,
    text: String,
}

pub(crate) fn read(content: &str, speakers: &SpeakerMap) -> Result<Transcript, ReadError> {
    let raw: RawTranscript =
        serde_json::from_str(content).map_err(|error| syntax_error(content, &error))?;
    let mut segments = Vec::with_capacity(raw.segments.len());
    for (index, segment) in raw.segments.into_iter().enumerate() {
        // Positions are gone once serde has built the value, so the message
        // names the element the way jq would, `segments[3]`.
        let speaker = speakers.role(&segment.speaker).ok_or_else(|| {
            ReadError::whole(format!(
                "segments[{index}].speaker: {}",
                unknown_label(segment.speaker.trim())
            ))
        })?;
        if let Some((start, end)) = segment.start_ms.zip(segment.end_ms).filter(|(s, e)| e < s) {
            return Err(ReadError::whole(format!(
                "segments[{index}]: end_ms {end} is before start_ms {start}"
            )));
        }
        segments.push(Segment {
            speaker,
            start_ms: segment.start_ms,
            end_ms: segment.end_ms,
            text: segment.text,
        });
    }
    Ok(Transcript { language: raw.language, segments })
}

/// Moves serde_json's position out of its message into the error's fields, and
/// turns its byte column into a character column like the other formats report.
fn syntax_error(content: &str, error: &serde_json::Error) -> ReadError {
    let message = error.to_string();
    if error.line() == 0 {
        return ReadError::whole(message);
    }
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message).to_owned();
    let line_start = if error.line() == 1 {
        Some(0)
    } else {
        content.match_indices('\n').nth(error.line() - 2).map(|(at, _)| at + 1)
    };
    let column = match (line_start, error.column()) {
        (_, 0) => None,
        (Some(start), byte_column) => Some(position_of(content, start + byte_column - 1).1),
        (None, byte_column) => Some(byte_column),
    };
    ReadError::new(Some(error.line()), column, message)
}

pub(crate) fn write(transcript: &Transcript) -> Result<String, WriteError> {
    let mut out = serde_json::to_string_pretty(transcript)?;
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use qadesk_domain::Role;

    use super::*;

    #[test]
    fn reads_the_serde_form_and_maps_speakers() {
        let speakers = SpeakerMap::parse("Rep=agent").unwrap();
        let transcript = read(
            r#"{"language":"en","segments":[
                {"speaker":"Rep","start_ms":0,"end_ms":3200,"text":"Good morning"},
                {"speaker":"Customer","text":"Hi"}]}"#,
            &speakers,
        )
        .unwrap();
        assert_eq!(transcript.language.as_deref(), Some("en"));
        assert_eq!(
            transcript.segments,
            [
                Segment::timed(Role::Agent, 0, 3_200, "Good morning"),
                Segment::untimed(Role::Customer, "Hi")
            ]
        );
    }

    #[test]
    fn errors_keep_serde_positions_in_characters() {
        let error = read(
            "{\"segments\": [\n  {\"speaker\": \"agent\", \"text\": \"ø\", \"x\": 1}]}",
            &SpeakerMap::default(),
        )
        .unwrap_err();
        assert_eq!(error.line, Some(2));
        // serde_json points past the closing quote of "x": byte 40, but the
        // `ø` before it is two bytes and one character.
        assert_eq!(error.column, Some(39));
        assert!(error.message.starts_with("unknown field `x`"), "{}", error.message);
        assert!(!error.message.contains(" at line "), "{}", error.message);
    }

    #[test]
    fn semantic_errors_name_the_segment() {
        let unknown = read(
            r#"{"segments":[{"speaker":"agent","text":"a"},{"speaker":"Rep","text":"b"}]}"#,
            &SpeakerMap::default(),
        )
        .unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "segments[1].speaker: unknown speaker label \"Rep\" (map it with --speaker-map Rep=agent)"
        );
        let reversed = read(
            r#"{"segments":[{"speaker":"agent","start_ms":5,"end_ms":4,"text":"a"}]}"#,
            &SpeakerMap::default(),
        )
        .unwrap_err();
        assert_eq!(reversed.to_string(), "segments[0]: end_ms 4 is before start_ms 5");
    }

    #[test]
    fn writes_pretty_json_with_a_trailing_newline() {
        let transcript = Transcript {
            language: None,
            segments: vec![Segment::timed(Role::Agent, 0, 3_200, "Hi")],
        };
        assert_eq!(
            write(&transcript).unwrap(),
            "{\n  \"segments\": [\n    {\n      \"speaker\": \"agent\",\n      \"start_ms\": 0,\n      \
             \"end_ms\": 3200,\n      \"text\": \"Hi\"\n    }\n  ]\n}\n"
        );
    }
}
