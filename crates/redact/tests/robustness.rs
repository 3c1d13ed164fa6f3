//! Properties over generated transcripts: redaction never panics, never lets a Luhn-valid
//! 13–19 digit run through, keeps times and speakers, and a second pass keeps every tag.

use proptest::prelude::*;
use qadesk_domain::{Role, Segment, Transcript};
use qadesk_redact::{redact, redact_text};

/// Words and pieces that steer the redactor's decisions: number words of the six languages,
/// keywords, separators, tags, odd characters.
const PIECES: &[&str] = &[
    "4532",
    "0151",
    "1283",
    "0366",
    "09/27",
    "10:30",
    "+47",
    "(415)",
    "555-0132",
    "737",
    "00",
    "four",
    "five",
    "oh",
    "double",
    "twenty",
    "forty-five",
    "hundred",
    "thousand",
    "to",
    "en",
    "fire",
    "fem",
    "førtifem",
    "null",
    "sei",
    "otto",
    "vijfenveertig",
    "cuarenta",
    "y",
    "cinco",
    "neli",
    "kakskümmend",
    "card",
    "kortnummer",
    "tarjeta",
    "carta",
    "kaart",
    "cvv",
    "expiry",
    "phone",
    "telefon",
    "order",
    "account",
    "dot",
    "at",
    "punktum",
    "alfakrøll",
    "arroba",
    "com",
    "no",
    "[card number ending 0366]",
    "[email]",
    "[",
    "]",
    ".",
    ",",
    "-",
    " ",
    "  ",
    "\n",
    "€",
    "£",
    "%",
    "kr",
    "September",
    "settembre",
    "uh",
    "yes",
    "ok",
    "Z",
    "ø",
    "ß",
    "🙂",
    "\u{301}",
    "١٢٣",
    "１２",
    "x",
    "ID",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => "[0-9]{1,20}",
            1 => ".{0,6}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.join(" "))
}

fn segment() -> impl Strategy<Value = Segment> {
    (
        prop::sample::select(vec![Role::Agent, Role::Customer, Role::Unknown]),
        prop::option::of(any::<u64>()),
        prop::option::of(any::<u64>()),
        text(),
    )
        .prop_map(|(speaker, start_ms, end_ms, text)| {
            let mut segment = Segment::untimed(speaker, text);
            segment.start_ms = start_ms;
            segment.end_ms = end_ms;
            segment
        })
}

fn transcript() -> impl Strategy<Value = Transcript> {
    (
        prop::option::of(prop::sample::select(vec![
            "en", "nb", "no", "it", "nl", "es", "et", "de",
        ])),
        prop::collection::vec(segment(), 0..12),
    )
        .prop_map(|(language, segments)| Transcript {
            language: language.map(str::to_string),
            segments,
        })
}

/// A Luhn-valid number of `len` digits starting with `prefix` and continuing with `body`.
fn luhn_number(prefix: u8, body: &[u8], len: usize) -> String {
    let mut digits: Vec<u32> = std::iter::once(u32::from(prefix % 10))
        .chain(body.iter().map(|b| u32::from(b % 10)))
        .take(len - 1)
        .collect();
    while digits.len() < len - 1 {
        digits.push(7);
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits.into_iter().map(|d| char::from(b'0' + d as u8)).collect()
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Every maximal run of ASCII digits joined by at most one space, dot or dash, as digits only.
fn digit_runs(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            current.push(char::from(b));
        } else if matches!(b, b' ' | b'.' | b'-')
            && !current.is_empty()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            // A single separator inside a run.
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
        i += 1;
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// A card number written in one of the ways people and transcribers write it.
fn formatted(number: &str, style: u8) -> String {
    let groups: Vec<String> =
        number.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    match style % 5 {
        0 => number.to_string(),
        1 => groups.join(" "),
        2 => groups.join("-"),
        3 => groups.join("."),
        _ => number.chars().map(|c| c.to_string()).collect::<Vec<_>>().join(" "),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_keeps_the_shape(t in transcript()) {
        let out = redact(&t);
        prop_assert_eq!(out.transcript.segments.len(), t.segments.len());
        prop_assert_eq!(&out.transcript.language, &t.language);
        for (before, after) in t.segments.iter().zip(&out.transcript.segments) {
            prop_assert_eq!(before.speaker, after.speaker);
            prop_assert_eq!((before.start_ms, before.end_ms), (after.start_ms, after.end_ms));
        }
        for span in &out.spans {
            prop_assert!(span.segment < t.segments.len());
            let segment = &t.segments[span.segment];
            match segment.span() {
                Some((a, b)) => {
                    let (s, e) = (span.start_ms.unwrap_or(0), span.end_ms.unwrap_or(0));
                    prop_assert!(a.min(b) <= s && s <= e && e <= a.max(b), "{:?} in {:?}", span, segment);
                }
                None => prop_assert_eq!((span.start_ms, span.end_ms), (None, None)),
            }
        }
    }

    #[test]
    fn no_luhn_valid_run_of_13_to_19_digits_survives(t in transcript()) {
        for segment in redact(&t).transcript.segments {
            for run in digit_runs(&segment.text) {
                prop_assert!(
                    !((13..=19).contains(&run.len()) && luhn(&run)),
                    "{} left in {:?}", run, segment.text
                );
            }
        }
    }

    #[test]
    fn card_numbers_in_any_context_are_redacted(
        before in text(),
        after in text(),
        prefix in 2u8..7,
        body in prop::collection::vec(any::<u8>(), 18),
        len in 13usize..=19,
        style in any::<u8>(),
    ) {
        let number = luhn_number(prefix, &body, len);
        let said = format!("{before} {} {after}", formatted(&number, style));
        let out = redact_text(&said);
        // No five digits in a row of the number stay (any five include one before its last
        // four), unless the words around it hold them too.
        let around: Vec<String> = digit_runs(&format!("{before} {after}"));
        for window in number.as_bytes().windows(5) {
            let needle = std::str::from_utf8(window).unwrap_or("");
            let left = digit_runs(&out).into_iter().any(|run| run.contains(needle));
            let innocent = around.iter().any(|run| run.contains(needle));
            prop_assert!(!left || innocent, "{} of {} left in {:?}", needle, number, out);
        }
        for run in digit_runs(&out) {
            prop_assert!(!((13..=19).contains(&run.len()) && luhn(&run)), "{} left in {:?}", run, out);
        }
    }

    #[test]
    fn redacting_again_keeps_every_tag(t in transcript()) {
        // On realistic calls a second pass changes nothing (tests/languages.rs); on arbitrary
        // text it may find more, as words it took away no longer separate numbers, but it
        // never undoes or changes what the first pass did.
        let once = redact(&t).transcript;
        let twice = redact(&once).transcript;
        for (a, b) in once.segments.iter().zip(&twice.segments) {
            let first = tags(&a.text);
            let second = tags(&b.text);
            let mut rest = second.iter();
            for tag in &first {
                prop_assert!(rest.any(|t| t == tag), "{} lost: {:?} → {:?}", tag, a.text, b.text);
            }
        }
    }
}

/// The tags in a text, in order.
fn tags(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('[') {
        let after = &rest[start..];
        let known = [
            "[card number]",
            "[security code]",
            "[expiry date]",
            "[phone number]",
            "[email]",
            "[national id]",
        ];
        let len = known.iter().find(|k| after.starts_with(**k)).map(|k| k.len()).or_else(|| {
            let tail = after.strip_prefix("[card number ending ")?;
            (tail.len() >= 5
                && tail.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                && tail.as_bytes()[4] == b']')
                .then_some("[card number ending ".len() + 5)
        });
        match len {
            Some(len) => {
                found.push(after[..len].to_string());
                rest = &after[len..];
            }
            None => rest = &after[1..],
        }
    }
    found
}
