//! Energy-based voice activity detection on 16 kHz audio: which stretches hold speech worth
//! sending to Whisper. No I/O; times are milliseconds from the start of the samples given.
//!
//! The design, in order:
//! 1. The signal is cut into frames of `frame_ms` (30 ms); each gets its energy in dBFS.
//! 2. A noise floor is estimated at every point in time as a low percentile
//!    (`noise_percentile`, 10 %) of the frame energies in the `noise_window_ms / 2` (4 s) before
//!    it and, separately, the 4 s after it; the higher of the two is the floor. Between words
//!    and phrases there are always quiet frames, so this tracks the background (line hiss, an
//!    office) and follows it when it changes, while speech itself barely moves it; taking the
//!    higher half means that where noise starts (after digital silence, say) the noise is not
//!    taken for speech. The floor is never below `min_floor_dbfs`, so that in digital silence
//!    the faintest hiss is not speech either.
//! 3. A frame is speech when its energy is `threshold_db` above the floor, and stays speech
//!    (hysteresis) while it is `threshold_db - hysteresis_db` above; frames quieter than
//!    `min_speech_dbfs` never count.
//! 4. Gaps shorter than `min_silence_ms` are bridged (pauses inside a sentence), then runs
//!    shorter than `min_speech_ms` are dropped (clicks, a door), then each span is widened by
//!    `padding_ms` on both sides, so that soft word onsets and endings are kept, and spans that
//!    now touch are merged.

/// The sample rate `speech_spans` expects.
const RATE: u64 = 16_000;
/// Energies are clamped to this many dBFS (the energy of digital silence is -infinity).
const ENERGY_FLOOR_DB: f32 = -120.0;

/// The settings of the voice activity detector; see the module documentation for how they act.
#[derive(Debug, Clone, PartialEq)]
pub struct VadConfig {
    /// Analysis frame length, in milliseconds.
    pub frame_ms: u32,
    /// How far above the noise floor a frame must be to start speech, in dB.
    pub threshold_db: f32,
    /// How much lower than `threshold_db` speech may fall before it ends, in dB.
    pub hysteresis_db: f32,
    /// Frames quieter than this (dBFS) are never speech, whatever the floor.
    pub min_speech_dbfs: f32,
    /// The noise floor is never estimated below this (dBFS).
    pub min_floor_dbfs: f32,
    /// Width of the window the noise floor is estimated over (half before, half after), in
    /// milliseconds.
    pub noise_window_ms: u32,
    /// The percentile of frame energies in that window taken as the floor, 0–100.
    pub noise_percentile: f32,
    /// Speech runs shorter than this are dropped, in milliseconds.
    pub min_speech_ms: u32,
    /// Silences shorter than this do not split speech, in milliseconds.
    pub min_silence_ms: u32,
    /// Added before and after each span, in milliseconds.
    pub padding_ms: u32,
}

impl Default for VadConfig {
    fn default() -> Self {
        VadConfig {
            frame_ms: 30,
            threshold_db: 9.0,
            hysteresis_db: 3.0,
            min_speech_dbfs: -55.0,
            min_floor_dbfs: -70.0,
            noise_window_ms: 8_000,
            noise_percentile: 10.0,
            min_speech_ms: 200,
            min_silence_ms: 300,
            padding_ms: 200,
        }
    }
}

/// A stretch of speech, in milliseconds from the start of the audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpeechSpan {
    /// Inclusive start.
    pub start_ms: u64,
    /// Exclusive end.
    pub end_ms: u64,
}

impl SpeechSpan {
    /// The length of the span.
    pub fn duration_ms(&self) -> u64 {
        self.end_ms.saturating_sub(self.start_ms)
    }
}

/// The speech in 16 kHz mono samples: sorted, non-overlapping spans, padded and merged, within
/// `0..=duration` of the samples.
pub fn speech_spans(samples_16k: &[f32], config: &VadConfig) -> Vec<SpeechSpan> {
    let total_ms = samples_16k.len() as u64 * 1000 / RATE;
    let frame_ms = u64::from(config.frame_ms.max(1));
    let frame_len = (frame_ms * RATE / 1000).max(1) as usize;
    let energies: Vec<f32> = samples_16k.chunks(frame_len).map(energy_db).collect();
    if energies.is_empty() {
        return Vec::new();
    }
    let floors = noise_floor(&energies, config, frame_ms);

    // Frame decisions with hysteresis, as runs of frame indices.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (index, (&energy, &floor)) in energies.iter().zip(&floors).enumerate() {
        let above = energy - floor;
        let loud_enough = energy >= config.min_speech_dbfs;
        let speech = match start {
            None => loud_enough && above >= config.threshold_db,
            Some(_) => loud_enough && above >= config.threshold_db - config.hysteresis_db,
        };
        match (speech, start) {
            (true, None) => start = Some(index),
            (false, Some(from)) => {
                runs.push((from, index));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        runs.push((from, energies.len()));
    }

    let to_ms = |frame: usize| (frame as u64 * frame_ms).min(total_ms);
    let mut spans: Vec<SpeechSpan> = runs
        .into_iter()
        .map(|(from, to)| SpeechSpan { start_ms: to_ms(from), end_ms: to_ms(to) })
        .collect();
    spans = merge_within(spans, u64::from(config.min_silence_ms));
    spans.retain(|span| span.duration_ms() >= u64::from(config.min_speech_ms));
    let padding = u64::from(config.padding_ms);
    let padded = spans
        .into_iter()
        .map(|span| SpeechSpan {
            start_ms: span.start_ms.saturating_sub(padding),
            end_ms: (span.end_ms + padding).min(total_ms),
        })
        .collect();
    merge_within(padded, 0)
}

/// The share of `total_ms` covered by `spans` (0 when `total_ms` is 0), between 0 and 1.
pub fn speech_share(spans: &[SpeechSpan], total_ms: u64) -> f64 {
    if total_ms == 0 {
        return 0.0;
    }
    let covered: u64 =
        spans.iter().map(|span| span.end_ms.min(total_ms).saturating_sub(span.start_ms)).sum();
    (covered as f64 / total_ms as f64).min(1.0)
}

/// Mean power of a frame in dBFS (a full-scale sine is -3 dBFS).
fn energy_db(frame: &[f32]) -> f32 {
    let power =
        frame.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / frame.len() as f64;
    if power > 0.0 && power.is_finite() {
        ((10.0 * power.log10()) as f32).max(ENERGY_FLOOR_DB)
    } else {
        ENERGY_FLOOR_DB
    }
}

/// The noise floor at every frame: a low percentile of the energies before it and after it,
/// whichever is higher.
///
/// Taking the higher of the two halves makes a change of background safe: where line noise
/// starts after digital silence, the half after the change already sees the noise, so the noise
/// is not mistaken for speech. The percentile is computed every `STEP` frames (a partial sort of
/// a few hundred values) and held in between, which keeps a two-hour file to a fraction of a
/// second.
fn noise_floor(energies: &[f32], config: &VadConfig, frame_ms: u64) -> Vec<f32> {
    const STEP: usize = 8;
    let half = (u64::from(config.noise_window_ms) / frame_ms / 2).max(1) as usize;
    // A half-window cut short by the start or end of the file says little on its own.
    let enough = (half / 4).max(1);
    let quantile = f64::from(config.noise_percentile.clamp(0.0, 100.0)) / 100.0;
    let mut window: Vec<f32> = Vec::with_capacity(half + 1);
    let mut percentile = |frames: &[f32]| {
        window.clear();
        window.extend(frames.iter().map(|&e| e.max(config.min_floor_dbfs)));
        let rank = ((window.len() - 1) as f64 * quantile).round() as usize;
        *window.select_nth_unstable_by(rank, f32::total_cmp).1
    };
    let mut floors = Vec::with_capacity(energies.len());
    for block_start in (0..energies.len()).step_by(STEP) {
        let centre = (block_start + STEP / 2).min(energies.len() - 1);
        let before = &energies[centre.saturating_sub(half)..=centre];
        let after = &energies[centre..(centre + half + 1).min(energies.len())];
        let floor = match (before.len() >= enough, after.len() >= enough) {
            (true, true) => percentile(before).max(percentile(after)),
            (true, false) => percentile(before),
            (false, true) => percentile(after),
            (false, false) => percentile(if before.len() > after.len() { before } else { after }),
        };
        let block_end = (block_start + STEP).min(energies.len());
        floors.extend(std::iter::repeat_n(floor, block_end - block_start));
    }
    floors
}

/// Merges sorted spans separated by less than `gap_ms` (touching ones always).
fn merge_within(spans: Vec<SpeechSpan>, gap_ms: u64) -> Vec<SpeechSpan> {
    let mut merged: Vec<SpeechSpan> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start_ms < last.end_ms + gap_ms || span.start_ms <= last.end_ms => {
                last.end_ms = last.end_ms.max(span.end_ms);
            }
            _ => merged.push(span),
        }
    }
    merged
}
