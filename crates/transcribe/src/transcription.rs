//! Plain types of a speech-to-text call: the decoding options and what Whisper returned.
//! Always compiled, so that code which post-processes segments builds without whisper.cpp.

/// How to decode. The default is greedy, auto language, no word times, all threads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    /// A Whisper language code (`en`, `it`, …, and `nb` for Whisper's Norwegian `no`); `None`
    /// or `"auto"` detects it. English-only models always use `en`; asking them for another
    /// language is an error.
    pub language: Option<String>,
    /// Beam search with this many beams; `None` decodes greedily (the fast default).
    pub beam_size: Option<u32>,
    /// Whether to fill [`RawSegment::words`]: from whisper.cpp's token times for a whole
    /// window, from the timestamp guesses of a one-pass decode for a cut context.
    pub word_timestamps: bool,
    /// Threads for whisper.cpp; 0 means as many as the machine has.
    pub threads: u32,
    /// Encode every input as a whole 30 s window, as whisper.cpp does out of the box. Off (the
    /// default), audio shorter than that is encoded with a context cut to its length plus
    /// [`CONTEXT_MARGIN_MS`]: the encoder's cost grows with the context, not with the audio,
    /// so a 10 s piece of speech would otherwise cost as much as 30 s.
    pub full_context: bool,
}

/// Room left after the audio when the context is cut. Measured on the benchmark's calls with
/// tiny.en: without room Whisper finds no end for its last segment and loops (WER 40 %);
/// 1 s and 2 s kept WER within a point of the full window, 3 s was slower for no gain.
pub const CONTEXT_MARGIN_MS: u64 = 2_000;

/// Samples per millisecond of 16 kHz audio, the rate Whisper takes.
#[cfg(feature = "whisper")]
pub(crate) const SAMPLES_PER_MS: usize = 16;

/// Encoder frames per millisecond of audio: Whisper's 1500 frames cover 30 s.
const FRAMES_PER_MS: f64 = 1_500.0 / 30_000.0;
/// The context of a whole window, whisper.cpp's default.
pub const FULL_CONTEXT: u32 = 1_500;

/// The encoder context for `audio_ms` of audio: its length plus the margin, in frames, or
/// the full window when that is asked for or the audio is as long as one.
pub fn audio_context(audio_ms: u64, full_context: bool) -> u32 {
    if full_context {
        return FULL_CONTEXT;
    }
    let frames = ((audio_ms + CONTEXT_MARGIN_MS) as f64 * FRAMES_PER_MS).ceil();
    (frames as u32).min(FULL_CONTEXT)
}

/// Decoding steps allowed per second of audio when the context is cut, on top of
/// [`TOKEN_ALLOWANCE`]. Fast speech is about 5 words (7 tokens) a second; the rest is room
/// for timestamp tokens.
#[cfg(any(test, feature = "whisper"))]
pub const TOKENS_PER_SECOND: u64 = 10;
/// Decoding steps every cut-context window may take, whatever its length.
#[cfg(any(test, feature = "whisper"))]
pub const TOKEN_ALLOWANCE: u64 = 24;

/// The most decoding steps a window of `audio_ms` of speech can need. A decode that reaches it
/// has run away (a phrase repeated until the window's end), and stopping it there costs a few
/// steps instead of whisper.cpp's 220 per attempt.
#[cfg(any(test, feature = "whisper"))]
pub fn token_budget(audio_ms: u64) -> u32 {
    let budget = TOKEN_ALLOWANCE + TOKENS_PER_SECOND * audio_ms.div_ceil(1000);
    u32::try_from(budget).unwrap_or(u32::MAX)
}

/// One segment as Whisper produced it, times relative to the start of the samples given.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSegment {
    pub start_ms: u64,
    pub end_ms: u64,
    /// The text with whisper.cpp's leading space removed.
    pub text: String,
    /// Whisper's probability that the window held no speech.
    pub no_speech_prob: f32,
    /// Mean probability of the segment's text tokens (special tokens excluded); 0 if none.
    pub avg_token_prob: f32,
    /// Filled only when [`DecodeOptions::word_timestamps`] is set.
    pub words: Vec<RawWord>,
}

#[cfg(any(test, feature = "whisper"))]
impl RawSegment {
    /// A segment from its text tokens: the text is their bytes joined (a token may end inside
    /// a UTF-8 character) without the leading space, the confidence their mean probability,
    /// and the words (when `words` is set) grouped from them.
    pub(crate) fn from_tokens(
        start_ms: u64,
        end_ms: u64,
        tokens: &[TokenPiece],
        no_speech_prob: f32,
        words: bool,
    ) -> RawSegment {
        let bytes: Vec<u8> = tokens.iter().flat_map(|t| t.bytes.iter().copied()).collect();
        RawSegment {
            start_ms,
            end_ms,
            text: String::from_utf8_lossy(&bytes).trim().to_owned(),
            no_speech_prob,
            avg_token_prob: mean_prob(tokens),
            words: if words { group_words(tokens) } else { Vec::new() },
        }
    }

    /// The same segment `ms` later: for a segment decoded from audio that starts `ms` in.
    pub(crate) fn shifted(mut self, ms: u64) -> RawSegment {
        self.start_ms += ms;
        self.end_ms += ms;
        for word in &mut self.words {
            word.start_ms += ms;
            word.end_ms += ms;
        }
        self
    }
}

/// One word: the tokens from one that starts with a space up to the next such token.
#[derive(Debug, Clone, PartialEq)]
pub struct RawWord {
    pub start_ms: u64,
    pub end_ms: u64,
    /// The word without its leading space; punctuation stays attached.
    pub text: String,
    /// Mean probability of the word's tokens.
    pub prob: f32,
}

/// The result of [`Whisper::transcribe`](crate::Whisper): the language used and the segments.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcription {
    /// The language decoded: the one asked for, the detected one for `auto`, `en` for
    /// English-only models. Whisper's Norwegian (`no`) is reported as `nb`, the code qadesk
    /// rubrics use.
    pub language: String,
    pub segments: Vec<RawSegment>,
    /// Whether a one-pass decode (a cut context) stopped at its token budget in the middle of
    /// text: the sign of a decode that ran away, repeating a phrase.
    pub cut_off: bool,
}

/// A token of a decoded segment, as the word grouping needs it.
#[cfg(any(test, feature = "whisper"))]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TokenPiece {
    pub bytes: Vec<u8>,
    pub start_ms: u64,
    pub end_ms: u64,
    pub prob: f32,
}

/// The mean probability of some tokens; 0 for none.
#[cfg(any(test, feature = "whisper"))]
pub(crate) fn mean_prob<'a>(tokens: impl IntoIterator<Item = &'a TokenPiece>) -> f32 {
    let (sum, count) = tokens.into_iter().fold((0.0, 0), |(sum, n), t| (sum + t.prob, n + 1));
    if count == 0 { 0.0 } else { sum / count as f32 }
}

/// Groups text tokens into words: a token whose text starts with a space opens a new word.
/// Bytes are joined before decoding, since a token may end in the middle of a UTF-8 character.
#[cfg(any(test, feature = "whisper"))]
pub(crate) fn group_words(tokens: &[TokenPiece]) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut current: Vec<&TokenPiece> = Vec::new();
    let flush = |current: &mut Vec<&TokenPiece>, words: &mut Vec<RawWord>| {
        let (Some(first), Some(last)) = (current.first(), current.last()) else { return };
        let bytes: Vec<u8> = current.iter().flat_map(|t| t.bytes.iter().copied()).collect();
        let text = String::from_utf8_lossy(&bytes).trim().to_owned();
        if !text.is_empty() {
            words.push(RawWord {
                start_ms: first.start_ms,
                end_ms: last.end_ms.max(first.start_ms),
                text,
                prob: mean_prob(current.iter().copied()),
            });
        }
        current.clear();
    };
    for token in tokens {
        if token.bytes.first() == Some(&b' ') {
            flush(&mut current, &mut words);
        }
        current.push(token);
    }
    flush(&mut current, &mut words);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_budget_grows_with_the_audio() {
        assert_eq!(token_budget(0), 24);
        assert_eq!(token_budget(1_400), 44);
        assert_eq!(token_budget(28_000), 304);
    }

    fn piece(text: &[u8], start_ms: u64, end_ms: u64, prob: f32) -> TokenPiece {
        TokenPiece { bytes: text.to_vec(), start_ms, end_ms, prob }
    }

    #[test]
    fn the_context_follows_the_audio_up_to_a_whole_window() {
        assert_eq!(audio_context(10_000, false), 600);
        assert_eq!(audio_context(0, false), 100);
        assert_eq!(audio_context(27_999, false), 1_500);
        assert_eq!(audio_context(28_000, false), 1_500);
        assert_eq!(audio_context(600_000, false), FULL_CONTEXT);
        assert_eq!(audio_context(10_000, true), FULL_CONTEXT);
    }

    #[test]
    fn groups_tokens_into_words_at_leading_spaces() {
        let tokens = [
            piece(b" And", 0, 300, 0.9),
            piece(b" so", 300, 500, 0.8),
            piece(b" my", 500, 700, 1.0),
            piece(b" fel", 700, 900, 0.5),
            piece(b"low", 900, 1000, 0.7),
            piece(b",", 1000, 1010, 0.3),
        ];
        let words = group_words(&tokens);
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["And", "so", "my", "fellow,"]);
        let last = &words[3];
        assert_eq!((last.start_ms, last.end_ms), (700, 1010));
        assert!((last.prob - 0.5).abs() < 1e-6);
    }

    #[test]
    fn a_shifted_segment_moves_its_words_too() {
        let word = RawWord { start_ms: 100, end_ms: 300, text: "Hi".into(), prob: 0.9 };
        let segment = RawSegment {
            start_ms: 0,
            end_ms: 400,
            text: "Hi".into(),
            no_speech_prob: 0.0,
            avg_token_prob: 0.9,
            words: vec![word],
        };
        let later = segment.shifted(5_000);
        assert_eq!((later.start_ms, later.end_ms), (5_000, 5_400));
        assert_eq!((later.words[0].start_ms, later.words[0].end_ms), (5_100, 5_300));
    }

    #[test]
    fn joins_utf8_split_across_tokens() {
        // "på" split inside the two bytes of 'å'.
        let tokens = [piece(b" p\xC3", 0, 10, 1.0), piece(b"\xA5", 10, 20, 1.0)];
        let words = group_words(&tokens);
        assert_eq!(words.len(), 1);
        assert_eq!(words[0].text, "på");
        assert!(group_words(&[]).is_empty());
        assert!(group_words(&[piece(b" ", 0, 1, 1.0)]).is_empty());
    }
}
