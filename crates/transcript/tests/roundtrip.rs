//! Writing a transcript and reading it back gives the same transcript, in every format.

use proptest::prelude::*;
use qadesk_transcript::{Format, Role, Segment, SpeakerMap, Transcript, Word, read, write};

fn round_trip(transcript: &Transcript, format: Format) -> Transcript {
    let written = write(transcript, format).unwrap_or_else(|error| panic!("{format}: {error}"));
    read(&written, format, &SpeakerMap::default())
        .unwrap_or_else(|error| panic!("{format}: {error}\n{written}"))
}

fn contract_sample() -> Transcript {
    let content = include_str!("data/valid/contract.txt");
    read(content, Format::Text, &SpeakerMap::default()).expect("contract sample reads")
}

#[test]
fn the_contract_sample_survives_every_format() {
    let transcript = contract_sample();
    for format in Format::ALL {
        assert_eq!(round_trip(&transcript, format), transcript, "{format}");
    }
}

#[test]
fn the_contract_sample_is_written_back_byte_for_byte() {
    // The contract file uses the writer's own spelling, so nothing may change.
    let content = include_str!("data/valid/contract.txt");
    assert_eq!(write(&contract_sample(), Format::Text).unwrap(), content);
}

#[test]
fn a_byte_order_mark_and_crlf_endings_change_nothing() {
    // Windows editors save files this way; every format must read them alike.
    let transcript = contract_sample();
    for format in Format::ALL {
        let written = write(&transcript, format).unwrap();
        let windows = format!("\u{feff}{}", written.replace('\n', "\r\n"));
        let reread = read(&windows, format, &SpeakerMap::default())
            .unwrap_or_else(|error| panic!("{format}: {error}"));
        assert_eq!(reread, transcript, "{format}");
        assert_eq!(Format::sniff(&windows), format);
    }
}

#[test]
fn json_keeps_what_other_formats_drop() {
    let transcript = Transcript {
        language: Some("et".to_owned()),
        segments: vec![
            Segment::timed(Role::Agent, 1, 1, ""),
            Segment { start_ms: Some(5), ..Segment::untimed(Role::Unknown, "  two\nlines  ") },
            Segment::untimed(Role::Customer, "\"quoted\" \u{0} <v x>"),
        ],
    };
    assert_eq!(round_trip(&transcript, Format::Json), transcript);
    assert_eq!(round_trip(&Transcript::default(), Format::Json), Transcript::default());
}

fn word() -> impl Strategy<Value = Word> {
    (0..u64::MAX / 2, 0..10_000u64, ".{0,12}", prop::option::of(0.0f32..=1.0)).prop_map(
        |(start_ms, length, text, confidence)| Word {
            start_ms,
            end_ms: start_ms + length,
            text,
            confidence,
        },
    )
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![Just(Role::Agent), Just(Role::Customer), Just(Role::Unknown)]
}

/// Text a line-based format can hold: one line, trimmed, not empty, free of
/// control characters and of `forbidden` (markup a format would interpret).
fn line_text(forbidden: &'static [char]) -> impl Strategy<Value = String> {
    "\\PC{1,30}".prop_filter_map("no text left", move |text| {
        let text = text.replace(forbidden, "");
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    })
}

/// A start time and a duration, both in steps of `step` milliseconds, below 100 hours.
fn span(step: u64) -> impl Strategy<Value = (u64, u64)> {
    (0..360_000_000 / step, 0..600_000 / step)
        .prop_map(move |(start, length)| (start * step, (start + length) * step))
}

fn transcript(
    segment: impl Strategy<Value = Segment>,
    max_segments: usize,
) -> impl Strategy<Value = Transcript> {
    prop::collection::vec(segment, 1..max_segments)
        .prop_map(|segments| Transcript { language: None, segments })
}

proptest! {
    #[test]
    fn text_round_trips_at_tenths(t in transcript(
        (role(), prop::option::of(span(100)), line_text(&[])).prop_map(|(speaker, span, text)| {
            let (start_ms, end_ms) = span.unzip();
            Segment::new(speaker, start_ms, end_ms, text)
        }),
        12,
    )) {
        prop_assert_eq!(round_trip(&t, Format::Text), t);
    }

    #[test]
    fn vtt_round_trips(t in transcript(
        (role(), span(1), line_text(&[]))
            .prop_map(|(speaker, (start, end), text)| Segment::timed(speaker, start, end, text)),
        12,
    )) {
        prop_assert_eq!(round_trip(&t, Format::Vtt), t);
    }

    #[test]
    fn srt_round_trips(t in transcript(
        (role(), span(1), line_text(&['<', '{']))
            .prop_map(|(speaker, (start, end), text)| Segment::timed(speaker, start, end, text)),
        12,
    )) {
        prop_assert_eq!(round_trip(&t, Format::Srt), t);
    }

    #[test]
    fn json_round_trips_anything_valid(
        language in prop::option::of(".{0,5}"),
        segments in prop::collection::vec(
            (
                (role(), prop::option::of(0..u64::MAX / 2), 0..u64::MAX / 2, any::<bool>(), ".{0,30}"),
                prop::option::of(0.0f32..=1.0),
                prop::collection::vec(word(), 0..4),
            )
                .prop_map(|((speaker, start_ms, length, has_end, text), confidence, words)| Segment {
                    confidence,
                    words,
                    ..Segment::new(speaker, start_ms, has_end.then(|| start_ms.unwrap_or(0) + length), text)
                }),
            0..8,
        ),
    ) {
        let t = Transcript { language, segments };
        prop_assert_eq!(round_trip(&t, Format::Json), t);
    }
}
