//! A transcript made ready for scoring: language chosen, times known or estimated, every
//! utterance normalised and matched against the rubric's phrases once.

use qadesk_domain::{CallMetrics, Role, Segment, Transcript};

use crate::language;
use crate::matcher::{Hit, LanguagePack};
use crate::model::Rubric;

/// Untimed transcripts get times as if spoken at 150 words a minute.
pub const ESTIMATED_MS_PER_WORD: u64 = 400;

/// What kind of question a sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    Open,
    Closed,
}

pub struct Prepared<'a> {
    pub segments: &'a [Segment],
    pub language: String,
    pub pack: Option<&'a LanguagePack>,
    /// (start, end) in ms per segment, real or estimated.
    pub times: Vec<(u64, u64)>,
    pub estimated_times: bool,
    pub call_start: u64,
    pub call_end: u64,
    pub hits: Vec<Vec<Hit>>,
    pub questions: Vec<Vec<QuestionKind>>,
    pub metrics: Option<CallMetrics>,
    pub transcript: &'a Transcript,
}

impl<'a> Prepared<'a> {
    pub fn new(
        rubric: &'a Rubric,
        transcript: &'a Transcript,
        language: Option<&str>,
    ) -> Prepared<'a> {
        let language = match language.or(transcript.language.as_deref()) {
            Some(lang) => lang.to_ascii_lowercase(),
            None => detect_language(&rubric.languages, transcript),
        };
        let pack = rubric.packs.get(&language);
        let segments = transcript.segments.as_slice();
        // A visit has answers and no transcript: nothing to estimate.
        let estimated_times = !transcript.segments.is_empty() && !transcript.is_timed();
        let times = if estimated_times {
            estimate_times(segments)
        } else {
            segments.iter().map(|s| s.span().unwrap_or_default()).collect()
        };
        let call_start = times.iter().map(|t| t.0).min().unwrap_or(0);
        let call_end = times.iter().map(|t| t.1).max().unwrap_or(0);

        let starters = rubric.question_starters.get(&language);
        let mut hits = Vec::with_capacity(segments.len());
        let mut questions = Vec::with_capacity(segments.len());
        let mut scratch = String::new();
        for segment in segments {
            let mut segment_hits = Vec::new();
            if let Some(pack) = pack {
                pack.hits(&segment.text, &mut scratch, &mut segment_hits);
            }
            hits.push(segment_hits);
            questions.push(match (pack, starters) {
                (Some(pack), Some((open, closed))) => {
                    question_sentences(pack, &segment.text, open, closed, &mut scratch)
                }
                _ => Vec::new(),
            });
        }
        let metrics =
            if rubric.needs_metrics { CallMetrics::from_transcript(transcript) } else { None };
        Prepared {
            segments,
            language,
            pack,
            times,
            estimated_times,
            call_start,
            call_end,
            hits,
            questions,
            metrics,
            transcript,
        }
    }

    pub fn speaker(&self, turn: usize) -> Role {
        self.segments[turn].speaker
    }
}

/// The rubric language whose frequent words occur most; the first listed on a tie.
fn detect_language(languages: &[String], transcript: &Transcript) -> String {
    let mut counts = vec![0usize; languages.len()];
    let normalizer = crate::normalize::Normalizer::new("");
    let lists: Vec<&[&str]> = languages.iter().map(|l| language::frequent_words(l)).collect();
    for segment in transcript.segments.iter().take(80) {
        normalizer.for_each_word(&segment.text, usize::MAX, |word| {
            for (count, list) in counts.iter_mut().zip(&lists) {
                if list.contains(&word) {
                    *count += 1;
                }
            }
        });
    }
    let best =
        counts.iter().enumerate().fold(0, |best, (i, &n)| if n > counts[best] { i } else { best });
    languages.get(best).cloned().unwrap_or_else(|| "en".to_string())
}

fn estimate_times(segments: &[Segment]) -> Vec<(u64, u64)> {
    let mut clock = 0;
    segments
        .iter()
        .map(|s| {
            let words = s.text.split_whitespace().count().max(1) as u64;
            let start = clock;
            clock += words * ESTIMATED_MS_PER_WORD;
            (start, clock)
        })
        .collect()
}

/// The questions in an utterance: sentences that end in `?` (or open with `¿`), or, in
/// unpunctuated text, sentences that open with a question starter. Starters are normalised
/// phrases wrapped in spaces (" could you tell me "), matched against the sentence's first words.
fn question_sentences(
    pack: &LanguagePack,
    text: &str,
    open: &[String],
    closed: &[String],
    head: &mut String,
) -> Vec<QuestionKind> {
    let punctuated = text.contains(['?', '¿']);
    let mut kinds = Vec::new();
    for sentence in split_sentences(text) {
        head.clear();
        head.push(' ');
        pack.normalizer.for_each_word(sentence, 6, |w| {
            head.push_str(w);
            head.push(' ');
        });
        if head.len() == 1 {
            continue;
        }
        let marked = sentence.trim_end().ends_with('?') || sentence.contains('¿');
        let opens_with =
            |starters: &[String]| starters.iter().any(|s| head.starts_with(s.as_str()));
        let is_question = if punctuated { marked } else { opens_with(open) || opens_with(closed) };
        if is_question {
            let open_near_start = open.iter().any(|s| head.contains(s.as_str()));
            kinds.push(if open_near_start { QuestionKind::Open } else { QuestionKind::Closed });
        }
    }
    kinds
}

fn split_sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['.', '?', '!']).filter(|s| !s.trim().is_empty())
}
