//! qadesk's own JSON form of a transcript; owns the mapping of speaker strings in it.

use qadesk_domain::{Segment, Transcript, Word};
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
    #[serde(default)]
    confidence: Option<f32>,
    #[serde(default)]
    words: Vec<Word>,
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
        check_confidence(segment.confidence, || format!("segments[{index}].confidence"))?;
        for (at, word) in segment.words.iter().enumerate() {
            let name = || format!("segments[{index}].words[{at}]");
            if word.end_ms < word.start_ms {
                return Err(ReadError::whole(format!(
                    "{}: end_ms {} is before start_ms {}",
                    name(),
                    word.end_ms,
                    word.start_ms
                )));
            }
            check_confidence(word.confidence, || format!("{}.confidence", name()))?;
        }
        segments.push(Segment {
            confidence: segment.confidence,
            words: segment.words,
            ..Segment::new(speaker, segment.start_ms, segment.end_ms, segment.text)
        });
    }
    Ok(Transcript { language: raw.language, segments })
}

/// A confidence is a probability: a number from 0 to 1.
fn check_confidence(value: Option<f32>, name: impl Fn() -> String) -> Result<(), ReadError> {
    match value {
        Some(c) if !(0.0..=1.0).contains(&c) => {
            Err(ReadError::whole(format!("{}: {c} is not between 0 and 1", name())))
        }
        _ => Ok(()),
    }
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
    fn reads_confidence_and_word_times_and_checks_them() {
        let transcript = read(
            r#"{"segments":[{"speaker":"agent","start_ms":0,"end_ms":900,"text":"Hello there",
                "confidence":0.75,"words":[
                {"start_ms":0,"end_ms":400,"text":"Hello","confidence":0.5},
                {"start_ms":400,"end_ms":900,"text":"there"}]}]}"#,
            &SpeakerMap::default(),
        )
        .unwrap();
        let segment = &transcript.segments[0];
        assert_eq!(segment.confidence, Some(0.75));
        assert_eq!(
            segment.words,
            [
                Word { start_ms: 0, end_ms: 400, text: "Hello".into(), confidence: Some(0.5) },
                Word { start_ms: 400, end_ms: 900, text: "there".into(), confidence: None },
            ]
        );
        let too_sure = read(
            r#"{"segments":[{"speaker":"agent","text":"a","confidence":1.5}]}"#,
            &SpeakerMap::default(),
        )
        .unwrap_err();
        assert_eq!(too_sure.to_string(), "segments[0].confidence: 1.5 is not between 0 and 1");
        let backwards = read(
            r#"{"segments":[{"speaker":"agent","text":"a","words":[
                {"start_ms":5,"end_ms":4,"text":"a"}]}]}"#,
            &SpeakerMap::default(),
        )
        .unwrap_err();
        assert_eq!(backwards.to_string(), "segments[0].words[0]: end_ms 4 is before start_ms 5");
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
