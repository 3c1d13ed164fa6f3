//! Reading a window that whisper.cpp decoded in one pass (its single-segment mode): segments
//! cut at the timestamp tokens, each text token timed from Whisper's timestamp guess at that
//! step, how far into the audio the pass reached, and whether it was cut off.
//!
//! Why one pass: after a window whose text ends on two timestamps, or is cut off, whisper.cpp
//! encodes the audio again from the last timestamp, and the encoder costs as much for that
//! remainder as for the whole window. In one pass nothing is encoded twice. A remainder that
//! may hold undecoded speech is left to the caller ([`Pass::decoded_to_ms`]), to decode on its
//! own with a context cut to its length.

use crate::transcription::{RawSegment, TokenPiece};

/// One token of a pass, in decoding order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PassToken {
    /// A timestamp token: a time in the audio of the pass, in ms.
    Time(u64),
    /// A text token: its bytes (a token may end inside a UTF-8 character), its probability,
    /// and the time Whisper's timestamp guess gave at this step when that guess was confident.
    Text { bytes: Vec<u8>, prob: f32, guessed_ms: Option<u64> },
    /// The end of the text: Whisper found nothing more to say.
    End,
}

/// What whisper.cpp tells of one decoded token, as far as a pass needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TokenFacts {
    pub id: i32,
    /// The most likely timestamp token at this step, and its probability alone and that of
    /// all timestamp tokens together.
    pub guess_id: i32,
    pub guess_prob: f32,
    pub guess_prob_sum: f32,
    pub prob: f32,
}

/// A timestamp guess counts when its probability, and that of all timestamps together, pass
/// this (whisper.cpp's own default for its token times).
const GUESS_THRESHOLD: f32 = 0.01;
/// Timestamp tokens step by 20 ms.
const TIME_STEP_MS: u64 = 20;

/// The model's special token ids that tell a pass's tokens apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Specials {
    /// End of text; ids below it are text.
    pub end_of_text: i32,
    /// `<|0.00|>`, the first timestamp token; the ones above it count 20 ms steps.
    pub first_time: i32,
}

impl Specials {
    /// The time of timestamp token `id` in a window that starts at `window_ms`; `None` if `id`
    /// is not a timestamp.
    pub fn time(&self, id: i32, window_ms: u64) -> Option<u64> {
        let steps = u64::try_from(id.checked_sub(self.first_time)?).ok()?;
        Some(window_ms + steps * TIME_STEP_MS)
    }

    /// The pass token for `facts`, with times counted from `window_ms` (where whisper.cpp's
    /// window started); `None` for special tokens other than timestamps and the end of text.
    pub fn token(&self, facts: TokenFacts, bytes: Vec<u8>, window_ms: u64) -> Option<PassToken> {
        if let Some(ms) = self.time(facts.id, window_ms) {
            return Some(PassToken::Time(ms));
        }
        if facts.id == self.end_of_text {
            return Some(PassToken::End);
        }
        if facts.id > self.end_of_text {
            return None;
        }
        let confident =
            facts.guess_prob > GUESS_THRESHOLD && facts.guess_prob_sum > GUESS_THRESHOLD;
        let guessed_ms = self.time(facts.guess_id, window_ms).filter(|_| confident);
        Some(PassToken::Text { bytes, prob: facts.prob, guessed_ms })
    }
}

/// What a pass decoded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pass {
    pub segments: Vec<RawSegment>,
    /// Up to where the audio is decoded: its end when the text ran on to the end of text or
    /// the end of the audio, else the last timestamp (0 when the pass decoded nothing).
    pub decoded_to_ms: u64,
    /// Whether the pass stopped in the middle of text: it reached its token budget, which a
    /// decode does when it repeats a phrase on and on.
    pub cut_off: bool,
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
        let times = if words {
            time_tokens(start_ms, end_ms, open)
        } else {
            vec![(start_ms, end_ms); open.len()]
        };
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
        segments.push(RawSegment::from_tokens(start_ms, end_ms, &pieces, no_speech_prob, words));
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
            PassToken::End => break,
        }
    }
    let cut_off = matches!(tokens.last(), Some(PassToken::Text { .. }));
    let decoded_to_ms = if open.is_empty() { last_time.unwrap_or(0) } else { audio_ms };
    close(&mut open, start_ms, audio_ms);
    Pass { segments, decoded_to_ms, cut_off }
}

/// Start and end of each token of a segment from `start_ms` to `end_ms`. The first token starts
/// the segment; a later one's confident guess that moves forward within the segment fixes
/// where it starts; tokens between fixed points share the time in proportion to how long they
/// take to say.
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
/// (a digit is said as a word), two for the pause at a comma, colon or semicolon and three at
/// the end of a sentence, nothing for spaces. Close to the weights whisper.cpp uses for its own
/// token times, but counted in characters rather than bytes.
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
        let mut tokens = vec![
            PassToken::Time(0),
            text(" Ask", None),
            text(" not.", None),
            PassToken::Time(1_200),
            PassToken::Time(1_400),
            text(" Ask", None),
            text(" what", None),
            PassToken::End,
        ];
        let pass = read_pass(&tokens, 3_000, 0.1, false);
        let spans: Vec<(u64, u64, &str)> =
            pass.segments.iter().map(|s| (s.start_ms, s.end_ms, s.text.as_str())).collect();
        assert_eq!(spans, [(0, 1_200, "Ask not."), (1_400, 3_000, "Ask what")]);
        assert_eq!(pass.decoded_to_ms, 3_000);
        assert!(!pass.cut_off);
        assert!(pass.segments.iter().all(|s| s.words.is_empty() && s.no_speech_prob == 0.1));

        // Without the end of text, the pass stopped at its budget in the middle of the text.
        tokens.pop();
        let cut = read_pass(&tokens, 3_000, 0.1, false);
        assert!(cut.cut_off);
        assert_eq!(cut.segments, pass.segments);
    }

    #[test]
    fn a_pass_that_ends_on_a_timestamp_is_decoded_up_to_it() {
        for ending in [vec![], vec![PassToken::End], vec![PassToken::Time(2_000), PassToken::End]] {
            let mut tokens =
                vec![PassToken::Time(0), text(" Hello.", None), PassToken::Time(2_000)];
            tokens.extend(ending);
            let pass = read_pass(&tokens, 9_000, 0.0, false);
            assert_eq!(pass.decoded_to_ms, 2_000);
            assert_eq!(pass.segments.len(), 1);
            assert!(!pass.cut_off);
        }
        let nothing = read_pass(&[PassToken::End], 9_000, 0.0, false);
        assert_eq!((nothing.decoded_to_ms, nothing.segments.len(), nothing.cut_off), (0, 0, false));
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

    const SPECIALS: Specials = Specials { end_of_text: 50_256, first_time: 50_363 };

    fn facts(id: i32, guess_id: i32, guess_prob: f32) -> TokenFacts {
        TokenFacts { id, guess_id, guess_prob, guess_prob_sum: guess_prob, prob: 0.7 }
    }

    #[test]
    fn whisper_tokens_become_times_text_and_the_end_counted_from_their_window() {
        let token = |f, window_ms| SPECIALS.token(f, b" so".to_vec(), window_ms);
        assert_eq!(token(facts(50_363, 50_363, 1.0), 4_000), Some(PassToken::Time(4_000)));
        assert_eq!(token(facts(50_413, 50_413, 1.0), 4_000), Some(PassToken::Time(5_000)));
        assert_eq!(token(facts(50_256, 50_363, 1.0), 0), Some(PassToken::End));
        // Start of transcript, language, no-timestamps: not part of the text.
        assert_eq!(token(facts(50_257, 50_363, 1.0), 0), None);
        assert_eq!(token(facts(50_362, 50_363, 1.0), 0), None);
        let so = |guessed_ms| PassToken::Text { bytes: b" so".to_vec(), prob: 0.7, guessed_ms };
        assert_eq!(token(facts(370, 50_388, 0.5), 1_000), Some(so(Some(1_500))));
        assert_eq!(token(facts(370, 50_388, 0.005), 1_000), Some(so(None)), "not confident");
        assert_eq!(token(facts(370, 42, 0.5), 1_000), Some(so(None)), "not a timestamp");
        assert_eq!(SPECIALS.time(50_365, 100), Some(140));
        assert_eq!(SPECIALS.time(50_362, 100), None);
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
