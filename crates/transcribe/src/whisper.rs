//! Speech-to-text with whisper.cpp through `whisper-rs`: loading a model once and decoding
//! 16 kHz mono samples into segments. It does no audio handling and never prints.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperSegment,
    WhisperState,
};

use crate::error::TranscribeError;
use crate::ggml::verify_ggml;
use crate::one_pass::{self, Pass, Specials, TokenFacts};
use crate::transcription::{
    DecodeOptions, FULL_CONTEXT, RawSegment, SAMPLES_PER_MS, TokenPiece, Transcription,
    audio_context, token_budget,
};

/// Greedy decoding keeps whisper.cpp's default of five candidates for its temperature
/// fallback; at temperature 0 only one is decoded.
const GREEDY_BEST_OF: i32 = 5;
/// Beam widths above this cost much time for no measurable gain on call audio.
const MAX_BEAM: u32 = 16;
/// A remainder this long after a pass's last timestamp is decoded in a pass of its own: the
/// decoder ended early, and speech after it would be lost. Shorter remainders are the end of
/// voice activity's padding. Measured (tiny.en, eight calls outside the benchmark's set):
/// without such passes a sentence was lost (WER 13.0 %); with them, 11.5 % against 12.0 % for
/// whisper.cpp's own loop, in less time. One remainder was decoded in 25 windows.
const UNDECODED_TAIL_MS: u64 = 1_000;
/// Passes over one piece of audio at most: each remainder costs an encoding of its own.
const MAX_PASSES: usize = 3;

/// A loaded Whisper model. It is `Send + Sync`: threads may share one and transcribe at the
/// same time, each call using its own decoding state.
#[derive(Debug)]
pub struct Whisper {
    ctx: WhisperContext,
    multilingual: bool,
    path: PathBuf,
    /// Wall time spent inside whisper.cpp, summed over all calls (and threads).
    busy_ns: AtomicU64,
}

/// Sends whisper.cpp's and ggml's log lines to whisper-rs's hooks, which drop them unless a
/// logging backend feature is enabled: a library must not write to the terminal.
fn quiet_native_logs() {
    whisper_rs::install_logging_hooks();
}

/// How long 16 kHz samples last, in whole ms.
fn samples_ms(samples: &[f32]) -> u64 {
    (samples.len() / SAMPLES_PER_MS) as u64
}

/// The Whisper code of the language whisper.cpp detected, if it names one.
fn detected_language(state: &WhisperState) -> Option<&'static str> {
    whisper_rs::get_lang_str(state.full_lang_id_from_state())
}

/// The language reported for a call: the one asked for, else the one detected.
fn language_decoded(whisper_code: Option<&str>) -> String {
    reported_language(whisper_code.unwrap_or("unknown")).to_owned()
}

/// Centiseconds (whisper.cpp's unit) to milliseconds; negative means unknown and becomes 0.
fn cs_to_ms(cs: i64) -> u64 {
    u64::try_from(cs).unwrap_or(0).saturating_mul(10)
}

impl Whisper {
    /// Loads a whisper.cpp ggml model. The file is checked first (magic, header, tensor table),
    /// so that a wrong or truncated file gives a message rather than a failure inside C++.
    pub fn load(path: &Path) -> Result<Whisper, TranscribeError> {
        quiet_native_logs();
        let info = verify_ggml(path)?;
        let mut params = WhisperContextParameters::default();
        params.use_gpu(false).flash_attn(false);
        let ctx = WhisperContext::new_with_params(path, params).map_err(|e| {
            TranscribeError::Load { path: path.to_path_buf(), reason: e.to_string() }
        })?;
        Ok(Whisper {
            ctx,
            multilingual: info.header.multilingual(),
            path: path.to_path_buf(),
            busy_ns: AtomicU64::new(0),
        })
    }

    /// Whether the model knows languages other than English.
    pub fn is_multilingual(&self) -> bool {
        self.multilingual
    }

    /// Wall time spent inside whisper.cpp since the model was loaded, summed over threads:
    /// what callers subtract to see their own overhead.
    pub fn busy_time(&self) -> Duration {
        Duration::from_nanos(self.busy_ns.load(Ordering::Relaxed))
    }

    /// The file the model was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Transcribes 16 kHz mono samples. Returns the language decoded and the segments, with
    /// times relative to the first sample.
    ///
    /// Audio as long as a whole window (or [`DecodeOptions::full_context`]) goes to one
    /// whisper.cpp call, which walks it in 30 s windows. Shorter audio is encoded with a
    /// context cut to its length and decoded in one pass ([`crate::one_pass`]); a remainder
    /// the pass did not reach gets a pass of its own.
    pub fn transcribe(
        &self,
        samples_16k_mono: &[f32],
        options: &DecodeOptions,
    ) -> Result<Transcription, TranscribeError> {
        if samples_16k_mono.is_empty() {
            return Err(TranscribeError::EmptyAudio);
        }
        if i32::try_from(samples_16k_mono.len()).is_err() {
            return Err(TranscribeError::AudioTooLong { samples: samples_16k_mono.len() });
        }
        let mut language = resolve_language(self.multilingual, options.language.as_deref())?;
        let audio_ms = samples_ms(samples_16k_mono);
        if audio_context(audio_ms, options.full_context) == FULL_CONTEXT {
            let mut params = self.params(options, language, FULL_CONTEXT);
            params.set_token_timestamps(options.word_timestamps);
            let state = self.run(params, samples_16k_mono)?;
            return Ok(Transcription {
                language: language_decoded(language.or_else(|| detected_language(&state))),
                segments: self.collect_segments(&state, options.word_timestamps),
                cut_off: false,
            });
        }

        let mut segments = Vec::new();
        let mut cut_off = false;
        let mut offset_ms = 0;
        for _ in 0..MAX_PASSES {
            let rest = &samples_16k_mono[offset_ms as usize * SAMPLES_PER_MS..];
            let rest_ms = samples_ms(rest);
            let mut params = self.params(options, language, audio_context(rest_ms, false));
            params.set_single_segment(true);
            // A cut context decodes once, within a budget: when it runs away, raising the
            // temperature (whisper.cpp's fallback) only repeated the loop five more times,
            // so the caller retries such a window with the whole context instead.
            params.set_max_tokens(i32::try_from(token_budget(rest_ms)).unwrap_or(i32::MAX));
            params.set_temperature_inc(0.0);
            // Word times come from the pass's own timestamps (`one_pass`), not from
            // whisper.cpp's token times, which assume a segment ends at a timestamp.
            let state = self.run(params, rest)?;
            // A remainder is decoded in the language the first pass found.
            language = language.or_else(|| detected_language(&state));
            let pass = self.read_pass(&state, rest_ms, options.word_timestamps);
            segments.extend(pass.segments.into_iter().map(|s| s.shifted(offset_ms)));
            cut_off = pass.cut_off;
            let undecoded = rest_ms.saturating_sub(pass.decoded_to_ms);
            if cut_off || pass.decoded_to_ms == 0 || undecoded < UNDECODED_TAIL_MS {
                break;
            }
            offset_ms += pass.decoded_to_ms;
        }
        Ok(Transcription { language: language_decoded(language), segments, cut_off })
    }

    /// whisper.cpp's parameters for one call: greedy or beam search, the language, quiet.
    fn params(
        &self,
        options: &DecodeOptions,
        language: Option<&'static str>,
        context: u32,
    ) -> FullParams<'static, 'static> {
        let strategy = match options.beam_size {
            Some(width) => SamplingStrategy::BeamSearch {
                beam_size: width.clamp(1, MAX_BEAM) as i32,
                patience: -1.0,
            },
            None => SamplingStrategy::Greedy { best_of: GREEDY_BEST_OF },
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(thread_count(options.threads));
        params.set_language(Some(language.unwrap_or("auto")));
        params.set_translate(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params.set_print_special(false);
        // `audio_context` caps at the whole window, so the cast cannot truncate.
        params.set_audio_ctx(context as i32);
        params
    }

    /// One whisper.cpp call on its own decoding state, its time added to [`Whisper::busy_time`].
    fn run(&self, params: FullParams, samples: &[f32]) -> Result<WhisperState, TranscribeError> {
        let started = Instant::now();
        let mut state = self.ctx.create_state().map_err(|e| TranscribeError::Inference {
            reason: format!("cannot create a decoding state: {e}"),
        })?;
        state
            .full(params, samples)
            .map_err(|e| TranscribeError::Inference { reason: e.to_string() })?;
        let spent = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.busy_ns.fetch_add(spent, Ordering::Relaxed);
        Ok(state)
    }

    /// The segments of a one-pass decode, read from its tokens.
    fn read_pass(&self, state: &WhisperState, audio_ms: u64, words: bool) -> Pass {
        let specials =
            Specials { end_of_text: self.ctx.token_eot(), first_time: self.ctx.token_beg() };
        let facts = |data: whisper_rs::WhisperTokenData| TokenFacts {
            id: data.id,
            guess_id: data.tid,
            guess_prob: data.pt,
            guess_prob_sum: data.ptsum,
            prob: data.p,
        };
        let mut pass = Pass { segments: Vec::new(), decoded_to_ms: 0, cut_off: false };
        let mut windows = 0;
        for segment in state.as_iter() {
            windows += 1;
            // whisper.cpp starts a segment at its window's start plus the first token's guess.
            let first = segment.get_token(0).map(|t| t.token_data().tid);
            let guess_ms = first.and_then(|id| specials.time(id, 0)).unwrap_or(0);
            let window_ms = cs_to_ms(segment.start_timestamp()).saturating_sub(guess_ms);
            let tokens: Vec<_> = (0..segment.n_tokens())
                .filter_map(|i| segment.get_token(i))
                .filter_map(|token| {
                    let bytes = token.to_bytes().map(<[u8]>::to_vec).unwrap_or_default();
                    specials.token(facts(token.token_data()), bytes, window_ms)
                })
                .collect();
            let read =
                one_pass::read_pass(&tokens, audio_ms, segment.no_speech_probability(), words);
            pass.segments.extend(read.segments);
            pass.decoded_to_ms = read.decoded_to_ms;
            pass.cut_off = read.cut_off;
        }
        // A pass is one window, unless the decoder stopped at its step limit and whisper.cpp
        // went on from the last timestamp: cut off as well.
        pass.cut_off |= windows > 1;
        pass
    }

    fn collect_segments(&self, state: &WhisperState, words: bool) -> Vec<RawSegment> {
        state.as_iter().map(|segment| self.segment(&segment, words)).collect()
    }

    fn segment(&self, segment: &WhisperSegment<'_>, words: bool) -> RawSegment {
        let start_ms = cs_to_ms(segment.start_timestamp());
        let end_ms = cs_to_ms(segment.end_timestamp()).max(start_ms);
        // Special tokens (timestamps, language, end of text) all sit at or above `eot`.
        let eot = self.ctx.token_eot();
        let mut pieces = Vec::new();
        for i in 0..segment.n_tokens() {
            let Some(token) = segment.get_token(i) else { continue };
            if token.token_id() >= eot {
                continue;
            }
            let data = token.token_data();
            let bytes = token.to_bytes().map(<[u8]>::to_vec).unwrap_or_default();
            let (t0, t1) = if words {
                (cs_to_ms(data.t0).max(start_ms), cs_to_ms(data.t1).min(end_ms))
            } else {
                (start_ms, end_ms)
            };
            pieces.push(TokenPiece { bytes, start_ms: t0, end_ms: t1.max(t0), prob: data.p });
        }
        RawSegment::from_tokens(start_ms, end_ms, &pieces, segment.no_speech_probability(), words)
    }
}

fn thread_count(requested: u32) -> i32 {
    let n = if requested == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        requested as usize
    };
    i32::try_from(n.clamp(1, 64)).unwrap_or(1)
}

/// qadesk names Norwegian Bokmål `nb` (as rubrics do); Whisper has one Norwegian, `no`.
const QADESK_TO_WHISPER: [(&str, &str); 1] = [("nb", "no")];

/// The code qadesk reports for a Whisper language code.
fn reported_language(whisper_code: &str) -> &str {
    QADESK_TO_WHISPER
        .iter()
        .find(|(_, whisper)| *whisper == whisper_code)
        .map_or(whisper_code, |(qadesk, _)| qadesk)
}

/// The Whisper language to force, or `None` to detect it. English-only models always decode
/// English.
fn resolve_language(
    multilingual: bool,
    requested: Option<&str>,
) -> Result<Option<&'static str>, TranscribeError> {
    let requested = requested.map(str::trim).filter(|l| !l.is_empty() && *l != "auto");
    let Some(code) = requested else {
        return Ok(if multilingual { None } else { Some("en") });
    };
    let unknown = || TranscribeError::UnknownLanguage { language: code.to_owned() };
    // whisper-rs panics on a nul byte inside a language string; refuse it here.
    if code.contains('\0') {
        return Err(unknown());
    }
    let lower = code.to_ascii_lowercase();
    let lower = QADESK_TO_WHISPER
        .iter()
        .find(|(qadesk, _)| *qadesk == lower)
        .map_or(lower.as_str(), |(_, whisper)| whisper);
    let id = whisper_rs::get_lang_id(lower).ok_or_else(unknown)?;
    let short = whisper_rs::get_lang_str(id).ok_or_else(unknown)?;
    if !multilingual && short != "en" {
        return Err(TranscribeError::EnglishOnlyModel { language: code.to_owned() });
    }
    Ok(Some(short))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn whisper_can_be_shared_between_threads() {
        assert_send_sync::<Whisper>();
    }

    #[test]
    fn languages_resolve_to_whisper_codes() {
        assert_eq!(resolve_language(true, None).ok(), Some(None));
        assert_eq!(resolve_language(true, Some("auto")).ok(), Some(None));
        assert_eq!(resolve_language(false, None).ok(), Some(Some("en")));
        assert_eq!(resolve_language(false, Some("auto")).ok(), Some(Some("en")));
        assert_eq!(resolve_language(true, Some("nb")).ok(), Some(Some("no")));
        assert_eq!(resolve_language(true, Some("no")).ok(), Some(Some("no")));
        assert_eq!(reported_language("no"), "nb");
        assert_eq!(reported_language("nl"), "nl");
        assert_eq!(resolve_language(true, Some("ET")).ok(), Some(Some("et")));
        assert_eq!(resolve_language(true, Some("norwegian")).ok(), Some(Some("no")));
        assert_eq!(resolve_language(false, Some("en")).ok(), Some(Some("en")));
    }

    #[test]
    fn bad_languages_are_errors() {
        let err = resolve_language(true, Some("xx")).expect_err("unknown");
        assert!(matches!(err, TranscribeError::UnknownLanguage { .. }), "{err:?}");
        let err = resolve_language(true, Some("e\0n")).expect_err("nul");
        assert!(matches!(err, TranscribeError::UnknownLanguage { .. }), "{err:?}");
        let err = resolve_language(false, Some("it")).expect_err("english-only");
        assert_eq!(
            err.to_string(),
            "the model is english-only and cannot transcribe language \"it\"; use a multilingual model such as base"
        );
    }

    #[test]
    fn times_convert_from_centiseconds() {
        assert_eq!(cs_to_ms(123), 1230);
        assert_eq!(cs_to_ms(-1), 0);
        assert_eq!(thread_count(2), 2);
        assert!(thread_count(0) >= 1);
    }

    #[test]
    fn loading_a_missing_or_bogus_file_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("nope.bin");
        let err = Whisper::load(&missing).expect_err("missing");
        assert!(err.to_string().starts_with(&format!("{}: cannot open", missing.display())));
        let bogus = dir.path().join("bogus.bin");
        std::fs::write(&bogus, b"lmgg but too short").expect("write");
        let err = Whisper::load(&bogus).expect_err("bogus");
        assert!(err.to_string().contains("not a whisper.cpp ggml model"), "{err}");
    }
}
