//! Reads every sample under `tests/data` and snapshots the transcript or the error message.
//!
//! A sample's extension names its format; `valid/` samples must read and
//! `invalid/` ones must fail, so a snapshot cannot silently flip between the two.

use std::fs;
use std::path::Path;

use qadesk_transcript::{Format, SpeakerMap, read};

/// The map every sample is read with; samples that use other labels test the
/// unknown-label error.
fn speakers() -> SpeakerMap {
    SpeakerMap::parse("Anna=agent,Caller=customer").expect("valid speaker map")
}

/// Every sample in `tests/data/<kind>`, sorted, with its format and content.
fn samples(kind: &str) -> Vec<(String, Format, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(kind);
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).expect("utf-8 name").to_owned();
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let format = Format::from_extension(extension)
                .unwrap_or_else(|| panic!("{name}: not a transcript extension"));
            // Binary samples are not UTF-8; the lossy view is what a caller that
            // tolerates bad bytes would pass in.
            let bytes = fs::read(&path).unwrap_or_else(|error| panic!("{name}: {error}"));
            (name, format, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

#[test]
fn valid_samples_read() {
    let samples = samples("valid");
    assert_eq!(samples.len(), 6, "a valid sample was added or lost");
    for (name, format, content) in samples {
        let transcript =
            read(&content, format, &speakers()).unwrap_or_else(|error| panic!("{name}: {error}"));
        insta::assert_json_snapshot!(format!("valid-{name}"), transcript);
    }
}

#[test]
fn valid_samples_are_sniffed_as_their_extension() {
    for (name, format, content) in samples("valid") {
        assert_eq!(Format::sniff(&content), format, "{name}");
    }
}

#[test]
fn invalid_samples_fail_with_a_located_message() {
    let samples = samples("invalid");
    assert_eq!(samples.len(), 26, "an invalid sample was added or lost");
    for (name, format, content) in samples {
        let error = match read(&content, format, &speakers()) {
            Ok(transcript) => panic!("{name}: read unexpectedly: {transcript:?}"),
            Err(error) => error,
        };
        insta::assert_snapshot!(format!("invalid-{name}"), error.to_string());
    }
}

#[test]
fn binary_input_fails_in_every_format() {
    let (_, _, content) = samples("invalid")
        .into_iter()
        .find(|(name, _, _)| name == "garbage.txt")
        .expect("garbage.txt sample");
    let report: String = Format::ALL
        .into_iter()
        .map(|format| match read(&content, format, &speakers()) {
            Ok(transcript) => format!("{format}: read unexpectedly: {transcript:?}\n"),
            Err(error) => format!("{format}: {error}\n"),
        })
        .collect();
    insta::assert_snapshot!(report);
}
