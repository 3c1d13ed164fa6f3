//! Naming and recognising the four transcript formats; owns no parsing of their contents.

use std::fmt;
use std::str::FromStr;

use crate::error::UnknownFormat;

/// A transcript file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One `[start-end] Label: text` utterance a line, the contract in DESIGN.md.
    Text,
    /// qadesk's own JSON, the serde form of `Transcript`.
    Json,
    /// WebVTT subtitles.
    Vtt,
    /// SubRip subtitles.
    Srt,
}

impl Format {
    /// Every format, in the order they are documented.
    pub const ALL: [Format; 4] = [Format::Text, Format::Json, Format::Vtt, Format::Srt];

    /// The format a file extension stands for, ignoring case and a leading dot.
    pub fn from_extension(ext: &str) -> Option<Format> {
        let ext = ext.strip_prefix('.').unwrap_or(ext);
        Format::from_name(ext)
    }

    /// Guesses the format from the content, for files whose extension says nothing.
    ///
    /// Plain text is the fallback because it is the only format without a marker
    /// of its own; a wrong guess then fails with a line-level error, not silently.
    pub fn sniff(content: &str) -> Format {
        let content = content.strip_prefix('\u{feff}').unwrap_or(content);
        if crate::vtt::has_header(content) {
            return Format::Vtt;
        }
        if content.trim_start().starts_with('{') {
            return Format::Json;
        }
        let mut lines = content.lines().map(str::trim).skip_while(|line| line.is_empty());
        let number = lines.next().unwrap_or("");
        let timing = lines.next().unwrap_or("");
        if !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && timing.contains("-->")
        {
            return Format::Srt;
        }
        Format::Text
    }

    /// The short name, which is also the usual file extension.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
        }
    }

    fn from_name(name: &str) -> Option<Format> {
        // "text" is accepted because people type it for the plain format.
        [("txt", Format::Text), ("text", Format::Text)]
            .into_iter()
            .chain(Format::ALL.map(|format| (format.name(), format)))
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, format)| format)
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::from_name(s.trim()).ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_ignore_case_and_a_leading_dot() {
        assert_eq!(Format::from_extension("TXT"), Some(Format::Text));
        assert_eq!(Format::from_extension("text"), Some(Format::Text));
        assert_eq!(Format::from_extension(".Json"), Some(Format::Json));
        assert_eq!(Format::from_extension("VTT"), Some(Format::Vtt));
        assert_eq!(Format::from_extension("srt"), Some(Format::Srt));
        assert_eq!(Format::from_extension("docx"), None);
        assert_eq!(Format::from_extension(""), None);
    }

    #[test]
    fn names_parse_back() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
            assert_eq!(format.to_string(), format.name());
        }
        assert_eq!("Text".parse::<Format>(), Ok(Format::Text));
        assert_eq!(
            "webm".parse::<Format>().unwrap_err().to_string(),
            "unknown transcript format \"webm\" (expected txt, json, vtt or srt)"
        );
    }

    #[test]
    fn sniffing_recognises_each_marker() {
        assert_eq!(Format::sniff("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n"), Format::Vtt);
        assert_eq!(Format::sniff("\u{feff}WEBVTT - call 12\n"), Format::Vtt);
        assert_eq!(Format::sniff("  \n {\"segments\": []}"), Format::Json);
        assert_eq!(Format::sniff("\n1\n00:00:01,000 --> 00:00:02,000\nhi\n"), Format::Srt);
        assert_eq!(Format::sniff("1\r\n00:00:01,000 --> 00:00:02,000\r\nhi\r\n"), Format::Srt);
        assert_eq!(Format::sniff("[00:00.0-00:01.0] Agent: hi\n"), Format::Text);
        assert_eq!(Format::sniff("Agent: hi\n"), Format::Text);
        assert_eq!(Format::sniff(""), Format::Text);
    }

    #[test]
    fn sniffing_needs_the_whole_marker() {
        // A header word inside a longer token, or a number without a timing line,
        // is ordinary text.
        assert_eq!(Format::sniff("WEBVTTX\n"), Format::Text);
        assert_eq!(Format::sniff("12\nAgent: twelve\n"), Format::Text);
        assert_eq!(Format::sniff("Agent: {\"a\": 1}\n"), Format::Text);
    }
}
