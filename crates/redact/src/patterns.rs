//! Personal data found by its written shape, before numbers are looked at: e-mail addresses
//! (typed, or spoken as "anna dot berg at example dot com" in the six languages), Italian
//! codici fiscali, Spanish DNI and NIE numbers with their letter, US SSNs written AAA-GG-SSSS.

use std::sync::LazyLock;

use regex::Regex;

use crate::{Kind, checks};

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)+").expect("valid e-mail pattern")
});

/// "at", "dot" and the joining characters as people say them in the six languages, with the
/// spaces around them; or typed, without spaces ("anna.berg at example.com"), so that a
/// sentence ending in "at work. No" is no address.
const AT: &str =
    r"(?:\s+(?:at|alfakr[øo]ll|kr[øo]llalfa|chiocciola|apenstaartje|arroba|ät)\s+|\s*@\s*)";
const DOT: &str = r"(?:\s+(?:dot|punktum|punkt|prikk|punto|punt)\s+|\.)";
const JOIN: &str = r"(?:\s+(?:underscore|dash|hyphen|understrek|bindestrek|trattino|streepje|gui[oó]n(?:\s+bajo)?|alakriips|sidekriips)\s+|[-_])";
const TLD: &str = r"(?:com|org|net|edu|gov|info|biz|io|co|no|it|nl|es|ee|uk|de|se|dk|fi|fr|eu|us|ca|ch|be|pl|pt|ie)";

static SPOKEN_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    let label = r"[\p{L}\d]+";
    let local = format!(r"{label}(?:(?:{DOT}|{JOIN}){label}){{0,4}}");
    let domain = format!(r"{label}(?:(?:{DOT}|-){label}){{0,3}}?{DOT}{TLD}");
    Regex::new(&format!(r"(?i)\b{local}{AT}{domain}\b")).expect("valid spoken e-mail pattern")
});

static CODICE_FISCALE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b[a-z]{6}[0-9lmnpqrstuv]{2}[abcdehlmprst][0-9lmnpqrstuv]{2}[a-z][0-9lmnpqrstuv]{3}[a-z]\b",
    )
    .expect("valid codice fiscale pattern")
});

static DNI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:([xyz])[\s.-]?)?(\d{7,8})[\s-]?([a-z])\b").expect("valid dni pattern")
});

static SSN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{3})-(\d{2})-(\d{4})\b").expect("valid ssn pattern"));

/// Byte ranges of personal data found by shape in one utterance, with their kind.
pub(crate) fn find(text: &str) -> Vec<(usize, usize, Kind)> {
    let mut found: Vec<(usize, usize, Kind)> = Vec::new();
    for m in EMAIL.find_iter(text) {
        found.push((m.start(), m.end(), Kind::Email));
    }
    for m in SPOKEN_EMAIL.find_iter(text) {
        found.push((m.start(), m.end(), Kind::Email));
    }
    for m in CODICE_FISCALE.find_iter(text) {
        if checks::codice_fiscale(m.as_str()) {
            found.push((m.start(), m.end(), Kind::NationalId));
        }
    }
    for c in DNI.captures_iter(text) {
        let (Some(all), Some(digits), Some(letter)) = (c.get(0), c.get(2), c.get(3)) else {
            continue;
        };
        let prefix = c.get(1).map_or("", |m| m.as_str());
        let number = format!("{prefix}{}", digits.as_str());
        let letter = letter.as_str().chars().next().unwrap_or(' ');
        if checks::dni(&number, letter) {
            found.push((all.start(), all.end(), Kind::NationalId));
        }
    }
    for c in SSN.captures_iter(text) {
        let (Some(all), Some(a), Some(g), Some(s)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        if checks::ssn(a.as_str(), g.as_str(), s.as_str()) {
            found.push((all.start(), all.end(), Kind::NationalId));
        }
    }
    found.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    // The spoken pattern also matches typed addresses: keep one of each overlap.
    let mut kept: Vec<(usize, usize, Kind)> = Vec::new();
    for m in found {
        match kept.last_mut() {
            Some(last) if m.0 < last.1 => last.1 = last.1.max(m.1),
            _ => kept.push(m),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, Kind)> {
        find(text).into_iter().map(|(s, e, k)| (&text[s..e], k)).collect()
    }

    #[test]
    fn emails_typed_and_spoken() {
        assert_eq!(
            found("write to anna.berg@example.com."),
            [("anna.berg@example.com", Kind::Email)]
        );
        assert_eq!(
            found("it's anna dot berg at example dot com thanks"),
            [("anna dot berg at example dot com", Kind::Email)]
        );
        assert_eq!(
            found("er ola punktum nordmann alfakrøll firma punktum no"),
            [("ola punktum nordmann alfakrøll firma punktum no", Kind::Email)]
        );
        assert_eq!(
            found("mario punto rossi chiocciola posta punto it"),
            [("mario punto rossi chiocciola posta punto it", Kind::Email)]
        );
        assert_eq!(
            found("es lucia guion bajo gomez arroba correo punto es"),
            [("lucia guion bajo gomez arroba correo punto es", Kind::Email)]
        );
        assert!(found("I'll be at home at five").is_empty());
        assert!(found("look at the website dot").is_empty());
        assert!(found("I'm at work. No problem").is_empty());
    }

    #[test]
    fn ids_by_shape() {
        assert_eq!(found("CF RSSMRA85T10A562S"), [("RSSMRA85T10A562S", Kind::NationalId)]);
        assert_eq!(found("DNI 12345678Z."), [("12345678Z", Kind::NationalId)]);
        assert_eq!(found("NIE X-1234567-L"), [("X-1234567-L", Kind::NationalId)]);
        assert_eq!(found("SSN 123-45-6789"), [("123-45-6789", Kind::NationalId)]);
        assert!(found("12345678A and 000-12-3456").is_empty());
    }
}
