//! Joining runs that belong to one dictated number: within an utterance when few words stand
//! between them ("4532 0151, sorry, 1283 0366"), and across a speaker's turns when only short
//! interjections of the other side come between ("4532 …" – "yes" – "0151 …", or the agent
//! repeating each group). A keyword announcing another number ("and the expiry?", "my phone
//! number is") ends a chain.

use qadesk_domain::{Segment, Transcript};

use crate::keywords::Topic;
use crate::numbers::Utterance;

/// Real words (not acknowledgements or numbers) that may stand between two runs of one
/// utterance and still join them.
const MAX_WORDS_INSIDE: usize = 2;
/// Real words a run may have after it (or before it) in its utterance and still continue in
/// the speaker's next turn.
const MAX_WORDS_AT_EDGE: usize = 3;
/// Real words an interjection of the other side may have.
const MAX_INTERJECTION_WORDS: usize = 8;
/// Turns from one group to the next of the same speaker.
const MAX_TURNS_APART: usize = 6;
/// Silence from one group's utterance to the next, when both are timed.
const MAX_GAP_MS: u64 = 20_000;

/// A run, by utterance and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RunRef {
    pub(crate) segment: usize,
    pub(crate) run: usize,
}

/// The runs of every utterance joined into chains, in spoken order; every run is in exactly
/// one chain.
pub(crate) fn chains(
    transcript: &Transcript,
    texts: &[String],
    utterances: &[Utterance],
) -> Vec<Vec<RunRef>> {
    let mut next: std::collections::HashMap<RunRef, RunRef> = std::collections::HashMap::new();
    let mut has_previous: std::collections::HashSet<RunRef> = std::collections::HashSet::new();
    let mut link = |from: RunRef, to: RunRef| {
        next.insert(from, to);
        has_previous.insert(to);
    };
    for (s, u) in utterances.iter().enumerate() {
        let text = &texts[s];
        for r in 1..u.runs.len() {
            let words = u.words_between(text, u.runs[r - 1].last_token(), u.runs[r].first_token());
            // A `+` or a month starts a number of its own.
            let fresh = u.runs[r].plus || u.runs[r].month.is_some();
            if !fresh && words.is_some_and(|w| w <= MAX_WORDS_INSIDE) {
                link(RunRef { segment: s, run: r - 1 }, RunRef { segment: s, run: r });
            }
        }
        let Some(last) = u.runs.last() else { continue };
        if last.words_after > MAX_WORDS_AT_EDGE {
            continue;
        }
        // A keyword, a tag or a date after the number ends it.
        let announced_after = u.topics.iter().any(|&(at, _)| at > last.last_token());
        if announced_after || u.interrupted(last.last_token() + 1..u.tokens.len()) {
            continue;
        }
        if let Some(t) = continuation(transcript, utterances, s)
            && let Some(first) = utterances[t].runs.first()
            && first.words_before <= MAX_WORDS_AT_EDGE
            && !first.plus
            && !utterances[t].topics.iter().any(|&(at, _)| at < first.first_token())
            && !utterances[t].interrupted(0..first.first_token())
        {
            link(RunRef { segment: s, run: u.runs.len() - 1 }, RunRef { segment: t, run: 0 });
        }
    }
    let mut chains = Vec::new();
    for (s, u) in utterances.iter().enumerate() {
        for r in 0..u.runs.len() {
            let start = RunRef { segment: s, run: r };
            if has_previous.contains(&start) {
                continue;
            }
            let mut chain = vec![start];
            let mut at = start;
            while let Some(&following) = next.get(&at) {
                chain.push(following);
                at = following;
            }
            chains.push(chain);
        }
    }
    chains
}

/// The speaker's next utterance after `s`, when only short interjections of others lie
/// between and the pause is short.
fn continuation(transcript: &Transcript, utterances: &[Utterance], s: usize) -> Option<usize> {
    let segments = &transcript.segments;
    let speaker = segments.get(s)?.speaker;
    let last = s.saturating_add(MAX_TURNS_APART).min(segments.len().saturating_sub(1));
    for t in s + 1..=last {
        if segments[t].speaker == speaker {
            return close_in_time(&segments[s], &segments[t]).then_some(t);
        }
        // A question about something else ("and the expiry?") starts another number.
        let other_topic = utterances[t].topics.iter().any(|&(_, topic)| topic != Topic::Card);
        if utterances[t].real_words > MAX_INTERJECTION_WORDS || other_topic {
            return None;
        }
    }
    None
}

fn close_in_time(a: &Segment, b: &Segment) -> bool {
    match (a.end_ms.or(a.start_ms), b.start_ms) {
        (Some(end), Some(start)) => start.saturating_sub(end) <= MAX_GAP_MS,
        _ => true,
    }
}
