//! Redaction of payment card data and personal data in transcripts, before anything is stored
//! or printed: card numbers, security codes and expiry dates (near card talk), phone numbers,
//! e-mail addresses and national ids, written or spoken in the six rubric languages (en, nb, it,
//! nl, es, et). Each is replaced by a tag such as `[card number ending 0366]`; the result says
//! where (utterance and time) so that the recording can be silenced there. Pure: no I/O, and it
//! never panics, whatever the input.
//!
//! How it decides, in order:
//!
//! 1. By shape, on the text: e-mail addresses (typed, or spoken "anna dot berg at example dot
//!    com" with the six languages' words for "at" and "dot"), Italian codici fiscali, Spanish
//!    DNI/NIE numbers and US SSNs with valid check letters or ranges.
//! 2. Numbers: digits and number words ("four five three two", "oh", "double five",
//!    "forty-five", "førtifem", "vijfenveertig", "cuarenta y cinco") become runs; runs join into
//!    chains across a speaker's turns when only short interjections come between, including the
//!    agent repeating each group.
//! 3. Card numbers: any Luhn-valid stretch of 13–19 digits of a chain.
//! 4. The rest of each chain: national ids by their check digits (fødselsnummer, isikukood,
//!    BSN near an id keyword, DNI with its letter) or after an id keyword; phone numbers with `+`
//!    or `00`, after a phone keyword, or in a national shape; then, in card talk, expiry dates,
//!    security codes (3–4 digits after a security keyword or said alone) and any other run of 6 or
//!    more digits (a misheard card number must not leak 15 real digits). Prices, quantities,
//!    times, dates and numbers announced as order, account, customer or policy numbers stay.
//! 5. Written `MM/YY` in card talk is an expiry date; finally any written run of 13 or more
//!    digits left is a card number.
//!
//! Card talk is a card, security-code or expiry keyword, or a card number said, within 6 turns
//! before to 2 turns after an utterance and no more than 60 s away from it.

mod apply;
mod chain;
mod checks;
mod classify;
mod keywords;
mod lexicon;
mod numbers;
mod patterns;
mod token;

use qadesk_domain::{Role, Segment, Transcript};

pub use apply::{SPAN_MARGIN_MS, SPAN_MARGIN_SHARE};

/// What was redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    CardNumber,
    SecurityCode,
    ExpiryDate,
    PhoneNumber,
    Email,
    NationalId,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::CardNumber,
        Kind::SecurityCode,
        Kind::ExpiryDate,
        Kind::PhoneNumber,
        Kind::Email,
        Kind::NationalId,
    ];

    /// The name stored in the database and used in JSON: `card-number`, `security-code`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CardNumber => "card-number",
            Kind::SecurityCode => "security-code",
            Kind::ExpiryDate => "expiry-date",
            Kind::PhoneNumber => "phone-number",
            Kind::Email => "email",
            Kind::NationalId => "national-id",
        }
    }

    /// The kind of a stored name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The tag that replaces what was said. A card number keeps its last four digits when they
    /// are known (`[card number ending 0366]`): enough to tell two cards apart, as a receipt
    /// does, and never more.
    pub fn tag(self, last4: Option<&str>) -> String {
        match (self, last4) {
            (Kind::CardNumber, Some(last4))
                if last4.len() == 4 && last4.bytes().all(|b| b.is_ascii_digit()) =>
            {
                format!("[card number ending {last4}]")
            }
            (Kind::CardNumber, _) => "[card number]".to_string(),
            (Kind::SecurityCode, _) => "[security code]".to_string(),
            (Kind::ExpiryDate, _) => "[expiry date]".to_string(),
            (Kind::PhoneNumber, _) => "[phone number]".to_string(),
            (Kind::Email, _) => "[email]".to_string(),
            (Kind::NationalId, _) => "[national id]".to_string(),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where something was redacted: the utterance (0-based index into the segments) and, when the
/// utterance is timed, the stretch of the recording to silence. It holds nothing of what was
/// said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedactedSpan {
    pub segment: usize,
    pub kind: Kind,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
}

/// A transcript with its card and personal data replaced by tags, and where they were.
#[derive(Debug, Clone, PartialEq)]
pub struct Redacted {
    pub transcript: Transcript,
    pub spans: Vec<RedactedSpan>,
}

/// Redacts a transcript. The speakers, times and language are kept; only texts change.
pub fn redact(transcript: &Transcript) -> Redacted {
    let texts: Vec<String> = transcript.segments.iter().map(|s| s.text.clone()).collect();
    let languages = lexicon::languages(transcript.language.as_deref());
    let mut claims = Vec::new();
    let mut utterances = Vec::with_capacity(texts.len());
    for (segment, text) in texts.iter().enumerate() {
        let found = patterns::find(text);
        let blocked: Vec<(usize, usize)> = found.iter().map(|&(s, e, _)| (s, e)).collect();
        claims.extend(found.into_iter().map(|(start, end, kind)| classify::Claim {
            segment,
            start,
            end,
            kind,
            last4: None,
        }));
        utterances.push(numbers::Utterance::new(text, languages, &blocked));
    }
    let chains = chain::chains(transcript, &texts, &utterances);
    let mut classifier = classify::Classifier::new(transcript, &texts, &utterances);
    classifier.classify(&chains);
    claims.append(&mut classifier.claims);
    apply::apply(transcript, claims)
}

/// Redacts a free text on its own (a comment, an answer, an error message quoting a line): as
/// one utterance of an unknown speaker, so card talk is what the text itself says.
pub fn redact_text(text: &str) -> String {
    let transcript =
        Transcript { language: None, segments: vec![Segment::untimed(Role::Unknown, text)] };
    redact(&transcript).transcript.segments.pop().map(|s| s.text).unwrap_or_default()
}
