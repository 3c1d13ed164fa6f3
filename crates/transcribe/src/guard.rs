//! Guards against Whisper's known inventions: text over silence or music, phantom sign-offs,
//! and repetition loops.

use crate::RawSegment;

/// Above this no-speech probability, with low token confidence, a segment is taken as invented.
const NO_SPEECH_PROB: f32 = 0.6;
const LOW_TOKEN_PROB: f32 = 0.5;

/// Sign-offs Whisper emits over silence or music, learned from subtitled videos. Real callers
/// say "thank you" too, so these are only dropped when Whisper itself doubts there was speech.
const PHANTOMS: &[&str] = &[
    "thank you",
    "thanks for watching",
    "thank you for watching",
    "please subscribe",
    "subtitles by",
    "you",
    "bye",
];

/// The cleaned text of a segment, or `None` when the segment should be dropped.
/// `previous` is the text kept just before on the same channel.
pub fn clean(segment: &RawSegment, previous: Option<&str>) -> Option<String> {
    let text = collapse_repeats(segment.text.trim());
    let words = plain_words(&text);
    if words.is_empty() {
        return None;
    }
    if segment.no_speech_prob > NO_SPEECH_PROB && segment.avg_token_prob < LOW_TOKEN_PROB {
        return None;
    }
    let joined = words.join(" ");
    if segment.no_speech_prob > 0.3 && PHANTOMS.contains(&joined.as_str()) {
        return None;
    }
    if previous.is_some_and(|p| plain_words(p).join(" ") == joined) {
        return None;
    }
    Some(text)
}

/// Whether `text` holds any word, not only punctuation or notes such as "[BLANK_AUDIO]".
pub fn has_words(text: &str) -> bool {
    !plain_words(text).is_empty()
}

/// Words without punctuation, lowercase; bracketed notes such as "[BLANK_AUDIO]" or "(music)"
/// are not words.
fn plain_words(text: &str) -> Vec<String> {
    // An unbalanced bracket is punctuation, not the start of a note: "(Monday to Friday" is words.
    let balanced = text.matches(['[', '(']).count() == text.matches([']', ')']).count();
    if !balanced {
        return text
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
    }
    let mut without_notes = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut between_marks = false;
    for c in text.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            '*' | '♪' => between_marks = !between_marks,
            _ if depth == 0 && !between_marks => without_notes.push(c),
            _ => {}
        }
    }
    without_notes
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Collapses a phrase repeated three or more times in a row ("no no no no", "I'm sorry. I'm
/// sorry. I'm sorry.") to two occurrences, which keeps real emphasis but stops loops.
fn collapse_repeats(text: &str) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let key = |t: &str| t.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let mut out: Vec<&str> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let mut skipped = false;
        for n in 1..=8.min((tokens.len() - i) / 3) {
            let unit: Vec<String> = tokens[i..i + n].iter().map(|t| key(t)).collect();
            let mut repeats = 1;
            while i + (repeats + 1) * n <= tokens.len()
                && tokens[i + repeats * n..i + (repeats + 1) * n]
                    .iter()
                    .map(|t| key(t))
                    .eq(unit.iter().cloned())
            {
                repeats += 1;
            }
            if repeats >= 3 {
                out.extend_from_slice(&tokens[i..i + 2 * n]);
                i += repeats * n;
                skipped = true;
                break;
            }
        }
        if !skipped {
            out.push(tokens[i]);
            i += 1;
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(text: &str, no_speech_prob: f32, avg_token_prob: f32) -> RawSegment {
        RawSegment {
            start_ms: 0,
            end_ms: 1_000,
            text: text.into(),
            no_speech_prob,
            avg_token_prob,
            words: Vec::new(),
        }
    }

    #[test]
    fn drops_notes_phantoms_and_doubtful_segments() {
        assert_eq!(clean(&segment(" [BLANK_AUDIO]", 0.1, 0.9), None), None);
        assert_eq!(clean(&segment("(music) ♪ la la ♪", 0.1, 0.9), None), None);
        assert_eq!(
            clean(&segment("(Monday to Friday", 0.1, 0.9), None).as_deref(),
            Some("(Monday to Friday")
        );
        assert_eq!(clean(&segment(" Thank you.", 0.5, 0.9), None), None);
        assert_eq!(clean(&segment(" Thank you.", 0.05, 0.9), None).as_deref(), Some("Thank you."));
        assert_eq!(clean(&segment("Our offices are open.", 0.8, 0.3), None), None);
        assert_eq!(
            clean(&segment("Our offices are open.", 0.8, 0.8), None).as_deref(),
            Some("Our offices are open.")
        );
        assert_eq!(clean(&segment("Hello there.", 0.0, 0.9), Some("hello there")), None);
    }

    #[test]
    fn collapses_repetition_loops() {
        assert_eq!(collapse_repeats("no no no no no way"), "no no way");
        assert_eq!(
            collapse_repeats("I'm sorry. I'm sorry. I'm sorry. I'm sorry."),
            "I'm sorry. I'm sorry."
        );
        assert_eq!(collapse_repeats("very very good"), "very very good");
    }
}
