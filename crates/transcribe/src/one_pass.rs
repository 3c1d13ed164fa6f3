//! Reading a window that whisper.cpp decoded in one pass (its single-segment mode): segments
//! cut at the timestamp tokens, each text token timed from Whisper's timestamp guess at that
//! step, and how far into the audio the pass is known to reach.
//!
//! Why one pass: whisper.cpp's own loop encodes a window again from its last timestamp
//! whenever that timestamp falls short of the audio's end, and the encoder costs the same
//! for that remainder as for the whole window. In one pass nothing is encoded twice; a
//! remainder that really holds undecoded speech is left for the caller to decode on its own,
//! with a context cut to its length ([`Pass::decoded_to_ms`]).

use crate::transcription::{RawSegment, TokenPiece, group_words};

/// One token of a pass, in decoding order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PassToken {
    /// A timestamp token: a time in the audio of the pass, in ms.
    Time(u64),
    /// A text token: its bytes (a token may end inside a UTF-8 character), its probability,
    /// and the time Whisper's timestamp guess gave at this step when that guess was confident.
    Text { bytes: Vec<u8>, prob: f32, guessed_ms: Option<u64> },
}

/// What a pass decoded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pass {
    pub segments: Vec<RawSegment>,
    /// Up to where the audio is decoded. The end of the audio when the pass ended in text:
    /// Whisper ran out of room, not out of speech. Otherwise its last timestamp; whisper.cpp's
    /// own loop would decode again from there. 0 when the pass decoded nothing.
    pub decoded_to_ms: u64,
}

/// Reads the segments of one pass over `audio_ms` of audio. `no_speech_prob` is Whisper's
/// for the window; word times are filled when `words` is set.
pub(crate) fn read_pass(
    tokens: &[PassToken],
    audio_ms: u64,
    no_speech_prob: f32,
    words: bool,
) -> Pass {
    let mut segments = Vec::new();
    let mut open: Vec<(&[u8], f32, Option<u64>)> = Vec::new();
    let mut start_ms = 0;
    let mut last_time = None;
    let mut close = |open: &mut Vec<(&[u8], f32, Option<u64>)>, start_ms: u64, end_ms: u64| {
        if open.is_empty() {
            return;
        }
        let end_ms = end_ms.max(start_ms);
        let times = time_tokens(start_ms, end_ms, open);
        let pieces: Vec<TokenPiece> = open
            .iter()
            .zip(times)
            .map(|(&(bytes, prob, _), (start_ms, end_ms))| TokenPiece {
                bytes: bytes.to_vec(),
                start_ms,
                end_ms,
                prob,
            })
            .collect();
        let bytes: Vec<u8> = pieces.iter().flat_map(|p| p.bytes.iter().copied()).collect();
        segments.push(RawSegment {
            start_ms,
            end_ms,
            text: String::from_utf8_lossy(&bytes).trim().to_owned(),
            no_speech_prob,
            avg_token_prob: pieces.iter().map(|p| p.prob).sum::<f32>() / pieces.len() as f32,
            words: if words { group_words(&pieces) } else { Vec::new() },
        });
        open.clear();
    };
    for token in tokens {
        match token {
            // A timestamp ends the open segment; of two in a row, the second starts the next.
            PassToken::Time(t) => {
                close(&mut open, start_ms, *t);
                start_ms = *t;
                last_time = Some(*t);
            }
            PassToken::Text { bytes, prob, guessed_ms } => open.push((bytes, *prob, *guessed_ms)),
        }
    }
    let decoded_to_ms = if open.is_empty() { last_time.unwrap_or(0) } else { audio_ms };
    close(&mut open, start_ms, audio_ms);
    Pass { segments, decoded_to_ms }
}

/// Start and end of each token of a segment from `start_ms` to `end_ms`. A confident guess
/// that moves forward within the segment fixes where its token starts; tokens between fixed
/// points share the time in proportion to how long they take to say.
fn time_tokens(
    start_ms: u64,
    end_ms: u64,
    tokens: &[(&[u8], f32, Option<u64>)],
) -> Vec<(u64, u64)> {
    let n = tokens.len();
    let mut fixed: Vec<Option<u64>> = vec![None; n + 1];
    fixed[0] = Some(start_ms);
    fixed[n] = Some(end_ms);
    let mut latest = start_ms;
    for (j, &(_, _, guess)) in tokens.iter().enumerate().skip(1) {
        if let Some(t) = guess.filter(|&t| t > latest && t < end_ms) {
            fixed[j] = Some(t);
            latest = t;
        }
    }
    let mut bounds = vec![start_ms; n + 1];
    let mut from = 0;
    while from < n {
        let to = (from + 1..=n).find(|&j| fixed[j].is_some()).unwrap_or(n);
        let (t0, t1) = (fixed[from].unwrap_or(start_ms), fixed[to].unwrap_or(end_ms));
        let lengths: Vec<f64> = tokens[from..to].iter().map(|t| spoken_length(t.0)).collect();
        let total: f64 = lengths.iter().sum();
        bounds[from] = t0;
        let mut said = 0.0;
        for (k, length) in lengths.iter().enumerate().take(to - from - 1) {
            said += length;
            let share =
                if total > 0.0 { said / total } else { (k + 1) as f64 / (to - from) as f64 };
            bounds[from + k + 1] = t0 + ((t1 - t0) as f64 * share).round() as u64;
        }
        bounds[to] = t1;
        from = to;
    }
    bounds.windows(2).map(|w| (w[0], w[1].max(w[0]))).collect()
}

/// Roughly how long a token takes to say, pauses included: one per letter, three per digit
/// (a digit is said as a word), two for the pause at a comma and three at the end of a
/// sentence, nothing for spaces. (The weights whisper.cpp gives its own token times.)
fn spoken_length(bytes: &[u8]) -> f64 {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| match c {
            c if c.is_numeric() => 3.0,
            ',' | ';' | ':' => 2.0,
            '.' | '!' | '?' => 3.0,
            c if c.is_whitespace() => 0.0,
            _ => 1.0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str, guessed_ms: Option<u64>) -> PassToken {
        PassToken::Text { bytes: s.as_bytes().to_vec(), prob: 0.5, guessed_ms }
    }

    #[test]
    fn timestamps_cut_segments_and_text_after_the_last_one_reaches_the_end() {
        let tokens = [
            PassToken::Time(0),
            text(" Ask", None),
            text(" not.", None),
            PassToken::Time(1_200),
            PassToken::Time(1_400),
            text(" Ask", None),
            text(" what", None),
        ];
        let pass = read_pass(&tokens, 3_000, 0.1, false);
        let spans: Vec<(u64, u64, &str)> =
            pass.segments.iter().map(|s| (s.start_ms, s.end_ms, s.text.as_str())).collect();
        assert_eq!(spans, [(0, 1_200, "Ask not."), (1_400, 3_000, "Ask what")]);
        assert_eq!(pass.decoded_to_ms, 3_000);
        assert!(pass.segments.iter().all(|s| s.words.is_empty() && s.no_speech_prob == 0.1));
    }

    #[test]
    fn a_pass_that_ends_on_a_timestamp_is_decoded_up_to_it() {
        let tokens = [PassToken::Time(0), text(" Hello.", None), PassToken::Time(2_000)];
        let pass = read_pass(&tokens, 9_000, 0.0, false);
        assert_eq!(pass.decoded_to_ms, 2_000);
        assert_eq!(pass.segments.len(), 1);
        assert_eq!(read_pass(&[], 9_000, 0.0, false).decoded_to_ms, 0);
    }

    #[test]
    fn word_times_follow_confident_guesses_and_share_the_rest_by_length() {
        let tokens = [
            PassToken::Time(1_000),
            text(" And", None),
            text(" so", None),
            // A guess before the last fixed time or past the segment is ignored.
            text(" my", Some(500)),
            text(" fellow", Some(2_000)),
            text(" Americans", Some(9_000)),
            PassToken::Time(3_000),
        ];
        let pass = read_pass(&tokens, 5_000, 0.0, true);
        let words: Vec<(&str, u64, u64)> = pass.segments[0]
            .words
            .iter()
            .map(|w| (w.text.as_str(), w.start_ms, w.end_ms))
            .collect();
        // "And so my" (7 letters) share 1000–2000 ms; "fellow Americans" (15) 2000–3000 ms.
        assert_eq!(
            words,
            [
                ("And", 1_000, 1_429),
                ("so", 1_429, 1_714),
                ("my", 1_714, 2_000),
                ("fellow", 2_000, 2_400),
                ("Americans", 2_400, 3_000)
            ]
        );
    }

    #[test]
    fn digits_and_pauses_at_punctuation_take_longer_than_letters() {
        assert_eq!(spoken_length(b" 45"), 6.0);
        assert_eq!(spoken_length(b" five"), 4.0);
        assert_eq!(
            (spoken_length(b","), spoken_length(b"."), spoken_length(b" ")),
            (2.0, 3.0, 0.0)
        );
        let times =
            time_tokens(0, 800, &[(b" 4", 1.0, None), (b".", 1.0, None), (b" go", 1.0, None)]);
        assert_eq!(times, [(0, 300), (300, 600), (600, 800)]);
        // Nothing to say at all still gives every token a place, in order.
        let times = time_tokens(0, 100, &[(b" ", 1.0, None), (b" ", 1.0, None)]);
        assert_eq!(times, [(0, 50), (50, 100)]);
    }
}
