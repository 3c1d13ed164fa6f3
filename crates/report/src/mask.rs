//! Masking customer details in quotes before they reach a sheet: e-mail addresses, phone,
//! account and order numbers (any run of three or more digits, with its letter prefix), and
//! street addresses of the common English and Norwegian shapes. Best effort by design: it
//! removes what has a recognisable shape, and names cannot be recognised reliably, so sheets
//! stay private documents whatever this catches.

use std::sync::LazyLock;

use regex::Regex;

/// What replaces a masked detail: language-neutral, so it reads the same on every sheet.
pub const MASK: &str = "•••";

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+").expect("valid e-mail pattern"));

/// Digit runs with the separators phone and account numbers use (`+47 912 34 567`,
/// `4471-0923`, `(020) 7946 0018`), and an order code's letter prefix (`W-20417`, `BIO 40718`).
/// At least three digits, so "2 days" and "10:30" stay readable.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b\p{Lu}{1,4}[- ]?)?\+?\(?\d(?:[\d\s().-]*\d)?").expect("valid number pattern")
});

static STREET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b\d{1,4}[A-Za-z]?,?\s+(?:\p{Lu}\p{L}*\s+){1,3}",
        r"(?:Lane|Street|St|Road|Rd|Avenue|Ave|Close|Drive|Way|Place|Court|Gardens|Crescent)\b",
        r"|\b\p{Lu}\p{L}*(?:gata|gate|veien|vei|vegen|veg|allé|plass)\s+\d{1,4}\s?[A-Za-z]?\b",
    ))
    .expect("valid street pattern")
});

/// The text with customer details replaced by [`MASK`].
pub fn mask(text: &str) -> String {
    let text = EMAIL.replace_all(text, format!("{MASK}@{MASK}").as_str());
    let text = STREET.replace_all(&text, MASK);
    NUMBER
        .replace_all(&text, |caps: &regex::Captures<'_>| {
            let found = &caps[0];
            let digits = found.chars().filter(char::is_ascii_digit).count();
            if digits >= 3 {
                // Keep a separator the match swallowed at its end ("567." → "•••.").
                MASK.to_string()
            } else {
                found.to_string()
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_details_are_masked_and_ordinary_words_kept() {
        let cases = [
            ("It's 4471 0923. Sorry", "It's •••. Sorry"),
            (
                "the order is W-20417 and it's going to 12 Mill Lane.",
                "the order is ••• and it's going to •••.",
            ),
            ("Sí, es BIO 40718.", "Sí, es •••."),
            ("write to anna.berg@example.com today", "write to •••@••• today"),
            ("call me on +47 912 34 567 please", "call me on ••• please"),
            ("I bor i Storgata 12 B nå", "I bor i ••• nå"),
            ("in 2 days at 10:30", "in 2 days at 10:30"),
            ("Good morning, Anna speaking.", "Good morning, Anna speaking."),
        ];
        for (input, expected) in cases {
            assert_eq!(mask(input), expected, "{input}");
        }
    }
}
