//! The transcript of one interaction: who said what, and when; owns no file format.

use serde::{Deserialize, Serialize};

/// Who is speaking in a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Agent,
    Customer,
    /// A speaker whose role is not known, e.g. a mono recording without a sidecar.
    Unknown,
}

impl Role {
    /// The lowercase name used in every file format and in scorecards.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Customer => "customer",
            Role::Unknown => "unknown",
        }
    }

    /// The capitalised label used in the plain-text transcript format.
    pub fn label(self) -> &'static str {
        match self {
            Role::Agent => "Agent",
            Role::Customer => "Customer",
            Role::Unknown => "Unknown",
        }
    }

    /// Parses a role name, ignoring case; other labels need a speaker map.
    pub fn from_name(name: &str) -> Option<Role> {
        [Role::Agent, Role::Customer, Role::Unknown]
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One utterance. Times are optional because typed or chat transcripts have none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub speaker: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<u64>,
    pub text: String,
    /// How sure the speech recogniser was of the text, 0–1 (Whisper's mean token
    /// probability); `None` for typed transcripts and files that do not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// Each word with its time, when the recogniser was asked for word timestamps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Word>,
}

/// One recognised word and when it was said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Word {
    pub start_ms: u64,
    pub end_ms: u64,
    /// The word as recognised; punctuation stays attached.
    pub text: String,
    /// The recogniser's probability for the word, 0–1, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
}

impl Segment {
    /// A segment without times.
    pub fn untimed(speaker: Role, text: impl Into<String>) -> Self {
        Segment::new(speaker, None, None, text)
    }

    /// A segment with a start and an end time in milliseconds.
    pub fn timed(speaker: Role, start_ms: u64, end_ms: u64, text: impl Into<String>) -> Self {
        Segment::new(speaker, Some(start_ms), Some(end_ms), text)
    }

    /// A segment with the times given, no confidence and no word times.
    pub fn new(
        speaker: Role,
        start_ms: Option<u64>,
        end_ms: Option<u64>,
        text: impl Into<String>,
    ) -> Self {
        Segment {
            speaker,
            start_ms,
            end_ms,
            text: text.into(),
            confidence: None,
            words: Vec::new(),
        }
    }

    /// Both times, when the segment has them.
    pub fn span(&self) -> Option<(u64, u64)> {
        Some((self.start_ms?, self.end_ms?))
    }
}

/// The utterances of one interaction in spoken order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transcript {
    /// ISO 639-1 code (`en`, `nb`, …) when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub segments: Vec<Segment>,
}

impl Transcript {
    /// True when every segment carries both times.
    pub fn is_timed(&self) -> bool {
        !self.segments.is_empty() && self.segments.iter().all(|s| s.span().is_some())
    }

    /// How sure the recogniser was of the whole transcript: the mean of the segments'
    /// confidence weighted by their length in characters (a long garbled answer weighs more
    /// than a short clear "yes"). `None` when no segment has a confidence.
    pub fn confidence(&self) -> Option<f32> {
        let (sum, weight) = self
            .segments
            .iter()
            .filter_map(|s| Some((s.confidence?, s.text.chars().count().max(1) as f64)))
            .fold((0.0, 0.0), |(sum, weight), (c, w)| (sum + f64::from(c) * w, weight + w));
        (weight > 0.0).then(|| (sum / weight) as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_confidence_is_weighted_by_text_length() {
        let sure = |text: &str, c: f32| Segment {
            confidence: Some(c),
            ..Segment::untimed(Role::Agent, text)
        };
        let transcript = Transcript {
            language: None,
            segments: vec![
                sure("yes", 0.9),
                sure("a long answer of twenty", 0.3),
                Segment::untimed(Role::Customer, "typed, no confidence"),
            ],
        };
        // (3 × 0.9 + 23 × 0.3) / 26 = 9.6 / 26
        let expected = (3.0 * 0.9 + 23.0 * 0.3) / 26.0;
        assert!((transcript.confidence().unwrap() - expected).abs() < 1e-6);
        assert_eq!(Transcript::default().confidence(), None);
        let typed =
            Transcript { language: None, segments: vec![Segment::untimed(Role::Agent, "hi")] };
        assert_eq!(typed.confidence(), None);
    }
}
