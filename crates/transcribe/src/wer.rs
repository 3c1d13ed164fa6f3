//! Word error rate with a transcript normaliser: how far a transcription is from a reference.
//!
//! The normaliser makes formatting differences free: case, punctuation, hyphens, numbers as
//! digits or words, and common English abbreviations ("Mr." = "mister").

/// Word error rate: (substitutions + deletions + insertions) / reference words, after
/// normalising both texts. An empty reference gives 0 for an empty hypothesis, else 1.
pub fn word_error_rate(reference: &str, hypothesis: &str) -> f64 {
    let (errors, words) = word_errors(reference, hypothesis);
    if words == 0 {
        return if errors == 0 { 0.0 } else { 1.0 };
    }
    errors as f64 / words as f64
}

/// (edit distance in words, reference word count) after normalising: sum these over many
/// files for a corpus-level rate.
pub fn word_errors(reference: &str, hypothesis: &str) -> (usize, usize) {
    let reference = normalise(reference);
    let hypothesis = normalise(hypothesis);
    (edit_distance(&reference, &hypothesis), reference.len())
}

/// Lowercase words without punctuation, numbers as digits, abbreviations spelled out.
pub fn normalise(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let lowered = text.to_lowercase();
    for raw in lowered.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        let word = raw.trim_matches('\'');
        if word.is_empty() {
            continue;
        }
        let word = match word {
            "mr" => "mister",
            "mrs" => "missus",
            "dr" => "doctor",
            "st" => "saint",
            "ok" => "okay",
            other => other,
        };
        // "don't" and "dont" are the same word to a listener.
        let word = word.replace('\'', "");
        match number_value(&word) {
            Some(n) => push_number(&mut words, n),
            None => words.push(word),
        }
    }
    words
}

fn number_value(word: &str) -> Option<u32> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] =
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    if let Some(i) = UNITS.iter().position(|u| *u == word) {
        return Some(i as u32);
    }
    if let Some(i) = TENS.iter().position(|t| *t == word) {
        return Some(20 + 10 * i as u32);
    }
    if word.len() <= 6 && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    None
}

/// Appends a number, joining "twenty" + "five" into "25".
fn push_number(words: &mut Vec<String>, n: u32) {
    if (1..10).contains(&n)
        && let Some(last) = words.last_mut()
        && let Ok(tens) = last.parse::<u32>()
        && (20..100).contains(&tens)
        && tens % 10 == 0
    {
        *last = (tens + n).to_string();
        return;
    }
    words.push(n.to_string());
}

/// Levenshtein distance over words.
fn edit_distance(a: &[String], b: &[String]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, word_a) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, word_b) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(word_a != word_b);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_differences_are_free() {
        let reference = "and mister john dashwood had then leisure to consider";
        let hypothesis = "And Mr. John Dashwood had then leisure to consider.";
        assert_eq!(word_error_rate(reference, hypothesis), 0.0);
        assert_eq!(word_error_rate("go forward ten meters", "Go forward 10 meters."), 0.0);
        assert_eq!(word_error_rate("twenty five cold-hearted", "25 cold hearted"), 0.0);
    }

    #[test]
    fn counts_substitutions_deletions_and_insertions() {
        assert_eq!(word_errors("a b c d", "a x c"), (2, 4));
        assert_eq!(word_errors("a b", "a b c d"), (2, 2));
        assert_eq!(word_error_rate("", ""), 0.0);
        assert_eq!(word_error_rate("", "words"), 1.0);
    }
}
