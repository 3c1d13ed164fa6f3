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
}

impl Segment {
    /// A segment without times.
    pub fn untimed(speaker: Role, text: impl Into<String>) -> Self {
        Segment { speaker, start_ms: None, end_ms: None, text: text.into() }
    }

    /// A segment with a start and an end time in milliseconds.
    pub fn timed(speaker: Role, start_ms: u64, end_ms: u64, text: impl Into<String>) -> Self {
        Segment { speaker, start_ms: Some(start_ms), end_ms: Some(end_ms), text: text.into() }
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
}
