//! Readers and writers never panic, whatever they are given.

use proptest::prelude::*;
use qadesk_transcript::{Format, Role, Segment, SpeakerMap, Transcript, read, write};

const SAMPLES: [(&str, Format); 4] = [
    (include_str!("data/valid/loose.txt"), Format::Text),
    (include_str!("data/valid/call.json"), Format::Json),
    (include_str!("data/valid/call.vtt"), Format::Vtt),
    (include_str!("data/valid/call.srt"), Format::Srt),
];

/// Reads `content` in every format; only panics matter here, so results are
/// checked for the one invariant every error keeps: a column implies a line.
fn read_everywhere(content: &str) -> Result<(), TestCaseError> {
    let speakers = SpeakerMap::parse("Anna=agent,Caller=customer").expect("valid map");
    for format in Format::ALL {
        if let Err(error) = read(content, format, &speakers) {
            prop_assert!(error.column.is_none() || error.line.is_some(), "{format}: {error:?}");
            prop_assert!(!error.message.is_empty(), "{format}: empty message");
        }
    }
    let _ = Format::sniff(content);
    Ok(())
}

/// One edit of a character list: insert, delete or replace at a position
/// given as a fraction of the length, so edits land anywhere in any input.
#[derive(Debug, Clone)]
enum Edit {
    Insert(f64, char),
    Delete(f64),
    Replace(f64, char),
}

/// Characters that mean something to some format, so mutations hit the parsers'
/// decisions rather than just the text of an utterance.
fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            '[', ']', '-', '\u{2013}', ':', '.', ',', '<', '>', '&', ';', '{', '}', '"', '\\',
            '\n', '\r', ' ', '\t', '0', '9', 'v', '\u{feff}', '\0', 'é',
        ]),
        any::<char>(),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0.0..1.0, interesting_char()).prop_map(|(at, ch)| Edit::Insert(at, ch)),
        (0.0..1.0f64).prop_map(Edit::Delete),
        (0.0..1.0, interesting_char()).prop_map(|(at, ch)| Edit::Replace(at, ch)),
    ]
}

fn apply(content: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = content.chars().collect();
    for edit in edits {
        let index = |at: f64, len: usize| ((at * len as f64) as usize).min(len);
        match *edit {
            Edit::Insert(at, ch) => chars.insert(index(at, chars.len()), ch),
            Edit::Delete(at) if !chars.is_empty() => {
                chars.remove(index(at, chars.len() - 1));
            }
            Edit::Replace(at, ch) if !chars.is_empty() => {
                let at = index(at, chars.len() - 1);
                chars[at] = ch;
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #[test]
    fn arbitrary_strings_do_not_panic(content in any::<String>()) {
        read_everywhere(&content)?;
    }

    #[test]
    fn syntax_soup_does_not_panic(
        content in "(WEBVTT|NOTE|[0-9]{1,3}|-->|\\[|\\]|[0-9:.,]{1,12}|<v[. ]?|<|>|&[a-z#0-9]{0,6};?|\\{\\\\|Agent|:| |\n|\r\n|\u{2013}|é){0,60}",
    ) {
        read_everywhere(&content)?;
    }

    #[test]
    fn mutated_samples_do_not_panic(
        sample in 0..SAMPLES.len(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        read_everywhere(&apply(SAMPLES[sample].0, &edits))?;
    }

    #[test]
    fn writers_do_not_panic(
        segments in prop::collection::vec(
            (
                prop_oneof![Just(Role::Agent), Just(Role::Customer), Just(Role::Unknown)],
                prop::option::of(any::<u64>()),
                prop::option::of(any::<u64>()),
                any::<String>(),
            )
                .prop_map(|(speaker, start_ms, end_ms, text)| Segment::new(speaker, start_ms, end_ms, text)),
            0..6,
        ),
    ) {
        let transcript = Transcript { language: None, segments };
        for format in Format::ALL {
            let _ = write(&transcript, format);
        }
    }
}

#[test]
fn mutations_change_the_input() {
    // Guards the harness itself: if `apply` did nothing, the property above
    // would only ever read the untouched samples.
    let edits = [Edit::Insert(0.0, 'x'), Edit::Delete(1.0), Edit::Replace(0.5, '#')];
    assert_eq!(apply("abcde", &edits), "xa#cd");
    assert_eq!(apply("", &[Edit::Delete(0.3), Edit::Replace(0.3, 'y')]), "");
}

#[test]
fn valid_samples_read_in_their_own_format() {
    // The mutation test starts from these, so they must be valid to begin with.
    let speakers = SpeakerMap::parse("Anna=agent,Caller=customer").expect("valid map");
    for (content, format) in SAMPLES {
        assert!(read(content, format, &speakers).is_ok(), "{format}");
    }
}
