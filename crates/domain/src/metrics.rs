//! Call metrics computed from segment times alone: talk share, silences, overlaps, speech rate.

use serde::{Deserialize, Serialize};

use crate::{Role, Transcript};

/// Silences at least this long count as dead air.
pub const DEAD_AIR_MS: u64 = 5_000;

/// An overlap shorter than this is timestamp jitter or a back-channel, not an interruption.
pub const INTERRUPTION_MIN_OVERLAP_MS: u64 = 300;

/// Timing facts about a call. Every field needs segment times, so a transcript without
/// times has no metrics at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallMetrics {
    pub duration_ms: u64,
    pub agent_talk_ms: u64,
    pub customer_talk_ms: u64,
    /// Share of the talk time (agent + customer) that is the agent's, 0–1.
    pub agent_talk_share: f64,
    pub customer_talk_share: f64,
    pub total_silence_ms: u64,
    pub longest_silence_ms: u64,
    pub dead_air_count: u32,
    /// Times the agent started speaking while the customer was still talking.
    pub agent_interruptions: u32,
    /// Times the customer started speaking while the agent was still talking.
    pub customer_interruptions: u32,
    pub agent_wpm: Option<f64>,
    pub customer_wpm: Option<f64>,
    pub time_to_agent_first_words_ms: Option<u64>,
    /// Silences that follow the agent asking the customer to hold ("one moment, please").
    #[serde(default)]
    pub hold_count: u32,
    #[serde(default)]
    pub hold_total_ms: u64,
    #[serde(default)]
    pub longest_hold_ms: u64,
}

impl CallMetrics {
    /// Computes the metrics, or `None` when some segment lacks times.
    pub fn from_transcript(transcript: &Transcript) -> Option<CallMetrics> {
        if !transcript.is_timed() {
            return None;
        }
        let spans: Vec<(Role, u64, u64, usize)> = transcript
            .segments
            .iter()
            .filter_map(|s| {
                let (start, end) = s.span()?;
                Some((s.speaker, start, end.max(start), s.text.split_whitespace().count()))
            })
            .collect();
        let call_start = spans.iter().map(|s| s.1).min().unwrap_or(0);
        let call_end = spans.iter().map(|s| s.2).max().unwrap_or(0);

        let talk = |role: Role| -> (u64, usize) {
            let mut intervals: Vec<(u64, u64)> =
                spans.iter().filter(|s| s.0 == role).map(|s| (s.1, s.2)).collect();
            let words = spans.iter().filter(|s| s.0 == role).map(|s| s.3).sum();
            (union_length(&mut intervals), words)
        };
        let (agent_talk_ms, agent_words) = talk(Role::Agent);
        let (customer_talk_ms, customer_words) = talk(Role::Customer);
        let talk_total = agent_talk_ms + customer_talk_ms;
        let share = |ms: u64| if talk_total == 0 { 0.0 } else { ms as f64 / talk_total as f64 };

        let holds: Vec<u64> = holds(transcript).iter().map(|s| s.ms).collect();
        let silences: Vec<u64> = silences(transcript).iter().map(|s| s.ms).collect();
        let wpm = |words: usize, ms: u64| (ms > 0).then(|| words as f64 * 60_000.0 / ms as f64);

        Some(CallMetrics {
            duration_ms: call_end - call_start,
            agent_talk_ms,
            customer_talk_ms,
            agent_talk_share: share(agent_talk_ms),
            customer_talk_share: share(customer_talk_ms),
            total_silence_ms: silences.iter().sum(),
            longest_silence_ms: silences.iter().copied().max().unwrap_or(0),
            dead_air_count: silences.iter().filter(|&&ms| ms >= DEAD_AIR_MS).count() as u32,
            agent_interruptions: interruptions(transcript, Role::Agent).len() as u32,
            customer_interruptions: interruptions(transcript, Role::Customer).len() as u32,
            agent_wpm: wpm(agent_words, agent_talk_ms),
            customer_wpm: wpm(customer_words, customer_talk_ms),
            time_to_agent_first_words_ms: spans
                .iter()
                .filter(|s| s.0 == Role::Agent)
                .map(|s| s.1 - call_start)
                .min(),
            hold_count: holds.len() as u32,
            hold_total_ms: holds.iter().sum(),
            longest_hold_ms: holds.iter().copied().max().unwrap_or(0),
        })
    }
}

/// Total length covered by possibly overlapping intervals.
fn union_length(intervals: &mut [(u64, u64)]) -> u64 {
    intervals.sort_unstable();
    let mut total = 0;
    let mut current: Option<(u64, u64)> = None;
    for &(start, end) in intervals.iter() {
        current = match current {
            Some((s, e)) if start <= e => Some((s, e.max(end))),
            Some((s, e)) => {
                total += e - s;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    total + current.map_or(0, |(s, e)| e - s)
}

/// A gap in which nobody speaks, and the utterance that ends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Silence {
    pub ms: u64,
    /// 0-based index of the segment that breaks the silence.
    pub next_turn: usize,
    /// 0-based index of the utterance that ended last before the silence.
    pub previous_turn: usize,
}

/// Gaps in which nobody speaks, between the first and the last word of a timed transcript.
pub fn silences(transcript: &Transcript) -> Vec<Silence> {
    let mut spans: Vec<(u64, u64, usize)> = transcript
        .segments
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.span().map(|(a, b)| (a, b.max(a), i)))
        .collect();
    spans.sort_unstable();
    let Some(&(first_start, _, first_turn)) = spans.first() else { return Vec::new() };
    let mut gaps = Vec::new();
    let mut covered_until = first_start;
    let mut last_to_end = first_turn;
    for (start, end, turn) in spans {
        if start > covered_until {
            gaps.push(Silence {
                ms: start - covered_until,
                next_turn: turn,
                previous_turn: last_to_end,
            });
        }
        if end >= covered_until {
            covered_until = end;
            last_to_end = turn;
        }
    }
    gaps
}

/// A silence counts as a hold when it lasts at least this long after a hold request; shorter
/// pauses are the customer thinking, not the agent away.
pub const HOLD_MIN_MS: u64 = 3_000;

/// How agents ask a caller to hold, lowercase, in the languages of the shipped rubrics.
/// Matched as substrings of the agent's utterance just before the silence.
pub const HOLD_PHRASES: &[&str] = &[
    // en
    "please hold",
    "hold on",
    "hold the line",
    "one moment",
    "just a moment",
    "bear with me",
    // nb
    "et øyeblikk",
    "vent litt",
    "et lite øyeblikk",
    // it
    "un attimo",
    "un momento", // also es
    "resti in linea",
    // nl
    "een moment",
    "momentje",
    "even geduld",
    "blijft u aan de lijn",
    // es
    "no cuelgue",
    "espere un",
    // et
    "üks hetk",
    "hetkeks",
    "palun oodake",
    "jääge liinile",
];

/// Silences of at least [`HOLD_MIN_MS`] right after an agent utterance that asks to hold.
pub fn holds(transcript: &Transcript) -> Vec<Silence> {
    silences(transcript)
        .into_iter()
        .filter(|gap| gap.ms >= HOLD_MIN_MS)
        .filter(|gap| {
            let asked = &transcript.segments[gap.previous_turn];
            asked.speaker == Role::Agent && asks_to_hold(&asked.text)
        })
        .collect()
}

fn asks_to_hold(text: &str) -> bool {
    let lower = text.to_lowercase();
    HOLD_PHRASES.iter().any(|phrase| lower.contains(phrase))
}

/// The 0-based segments in which `who` started speaking while the other side still had at
/// least [`INTERRUPTION_MIN_OVERLAP_MS`] of their utterance to go.
pub fn interruptions(transcript: &Transcript, who: Role) -> Vec<usize> {
    let segments = &transcript.segments;
    segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.speaker == who)
        .filter_map(|(i, s)| {
            let start = s.start_ms?;
            segments
                .iter()
                .any(|o| {
                    o.speaker != who
                        && o.speaker != Role::Unknown
                        && o.start_ms.is_some_and(|os| os < start)
                        && o.end_ms.is_some_and(|oe| oe >= start + INTERRUPTION_MIN_OVERLAP_MS)
                })
                .then_some(i)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segment;

    fn call(segments: Vec<Segment>) -> Transcript {
        Transcript { language: None, segments }
    }

    #[test]
    fn metrics_of_a_call_with_a_pause_and_an_interruption() {
        let t = call(vec![
            Segment::timed(Role::Agent, 1_000, 4_000, "good morning how can I help"),
            Segment::timed(
                Role::Customer,
                4_500,
                10_000,
                "my internet is down since yesterday evening",
            ),
            Segment::timed(Role::Agent, 8_000, 12_000, "let me check that for you"),
            Segment::timed(Role::Agent, 18_000, 20_000, "thanks for waiting"),
        ]);
        let m = CallMetrics::from_transcript(&t).expect("timed");
        assert_eq!(m.duration_ms, 19_000);
        assert_eq!(m.agent_talk_ms, 3_000 + 4_000 + 2_000);
        assert_eq!(m.customer_talk_ms, 5_500);
        assert_eq!(m.total_silence_ms, 500 + 6_000);
        assert_eq!(m.longest_silence_ms, 6_000);
        assert_eq!(m.dead_air_count, 1);
        assert_eq!(m.agent_interruptions, 1);
        assert_eq!(m.customer_interruptions, 0);
        assert_eq!(m.time_to_agent_first_words_ms, Some(0));
        assert!((m.agent_talk_share - 9_000.0 / 14_500.0).abs() < 1e-9);
        // 6 + 6 + 3 agent words over 9 s of agent talk.
        assert!((m.agent_wpm.expect("agent spoke") - 100.0).abs() < 1e-9);
    }

    #[test]
    fn short_overlap_is_not_an_interruption() {
        let t = call(vec![
            Segment::timed(Role::Customer, 0, 3_000, "so that is the problem"),
            Segment::timed(Role::Agent, 2_800, 5_000, "I see"),
        ]);
        let m = CallMetrics::from_transcript(&t).expect("timed");
        assert_eq!(m.agent_interruptions, 0);
    }

    #[test]
    fn a_silence_after_a_hold_request_is_a_hold_and_other_silences_are_not() {
        let t = call(vec![
            Segment::timed(Role::Customer, 0, 2_000, "can you check my bill"),
            Segment::timed(Role::Agent, 2_000, 4_000, "Sure, one moment please."),
            Segment::timed(Role::Agent, 34_000, 36_000, "Thanks for holding."),
            Segment::timed(Role::Customer, 46_000, 47_000, "Hmm. Un momento."),
            Segment::timed(Role::Agent, 47_000, 49_000, "Et øyeblikk, så sjekker jeg."),
            Segment::timed(Role::Agent, 50_000, 51_000, "Der."),
        ]);
        let m = CallMetrics::from_transcript(&t).expect("timed");
        // The 10 s silence before the customer's words follows no hold request; the customer's
        // own "un momento" is not a hold; the 1 s pause after the Norwegian request is too short.
        assert_eq!((m.hold_count, m.hold_total_ms, m.longest_hold_ms), (1, 30_000, 30_000));
        assert_eq!(m.dead_air_count, 2);
    }

    #[test]
    fn untimed_transcript_has_no_metrics() {
        let t = call(vec![Segment::untimed(Role::Agent, "hello")]);
        assert_eq!(CallMetrics::from_transcript(&t), None);
    }
}
