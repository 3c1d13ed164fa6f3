//! Turning claims into the redacted transcript: overlapping claims merged, each replaced by its
//! tag, the time each was said estimated within its utterance, and a last check that no long
//! written digit run is left.

use std::sync::LazyLock;

use qadesk_domain::{Segment, Transcript};
use regex::Regex;

use crate::classify::{Claim, priority};
use crate::token::{TokenKind, tokenize};
use crate::{Kind, Redacted, RedactedSpan};

/// The least a span reaches beyond the estimated words, before and after, within the utterance.
pub const SPAN_MARGIN_MS: u64 = 500;
/// …or this share of the utterance's length, if more: the estimate is rough in long turns.
pub const SPAN_MARGIN_SHARE: f64 = 0.15;

/// Thirteen or more digits written together, with single spaces, dots or dashes between.
pub(crate) static LONG_DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d(?:[ .\-]?\d){12,}").expect("valid digit run pattern"));

pub(crate) fn apply(transcript: &Transcript, claims: Vec<Claim>) -> Redacted {
    let mut by_segment: Vec<Vec<Claim>> = vec![Vec::new(); transcript.segments.len()];
    for claim in claims {
        if let Some(list) = by_segment.get_mut(claim.segment) {
            list.push(claim);
        }
    }
    let mut spans = Vec::new();
    let mut segments = Vec::with_capacity(transcript.segments.len());
    for (index, (segment, claims)) in transcript.segments.iter().zip(by_segment).enumerate() {
        let claims = merge(claims);
        let text = &segment.text;
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for claim in &claims {
            out.push_str(text.get(at..claim.start).unwrap_or(""));
            out.push_str(&claim.kind.tag(claim.last4.as_deref()));
            at = claim.end;
            let (start_ms, end_ms) = span_times(segment, text, claim.start, claim.end);
            spans.push(RedactedSpan { segment: index, kind: claim.kind, start_ms, end_ms });
        }
        out.push_str(text.get(at..).unwrap_or(""));
        // Whatever the rules above missed, a long written digit run never leaves.
        if LONG_DIGITS.is_match(&out) {
            out = LONG_DIGITS.replace_all(&out, Kind::CardNumber.tag(None).as_str()).into_owned();
            spans.push(RedactedSpan {
                segment: index,
                kind: Kind::CardNumber,
                start_ms: segment.span().map(|(s, e)| s.min(e)),
                end_ms: segment.span().map(|(s, e)| s.max(e)),
            });
        }
        // Word times hold the words as said: a segment that lost any keeps none of them.
        let words = if out == segment.text { segment.words.clone() } else { Vec::new() };
        segments.push(Segment { text: out, words, ..segment.clone() });
    }
    spans.sort_by_key(|s| (s.segment, s.start_ms));
    Redacted { transcript: Transcript { language: transcript.language.clone(), segments }, spans }
}

/// Sorts the claims of one utterance and merges the overlapping ones; the merged claim has
/// the kind that wins (a card number over anything) and keeps a card's last four digits when
/// the card ends it.
fn merge(mut claims: Vec<Claim>) -> Vec<Claim> {
    claims.retain(|c| c.start < c.end);
    claims.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut merged: Vec<Claim> = Vec::new();
    for claim in claims {
        match merged.last_mut() {
            Some(current) if claim.start < current.end => {
                if claim.end >= current.end {
                    current.last4 = claim.last4.clone().or_else(|| {
                        (claim.end == current.end).then(|| current.last4.clone()).flatten()
                    });
                    current.end = claim.end;
                }
                if priority(claim.kind) < priority(current.kind) {
                    current.kind = claim.kind;
                }
                if current.kind != Kind::CardNumber {
                    current.last4 = None;
                }
            }
            _ => merged.push(claim),
        }
    }
    merged
}

/// When the bytes `start..end` of an utterance were said: the utterance's time shared out
/// by spoken weight (a digit counts as a word, punctuation as a short pause), widened by
/// [`SPAN_MARGIN_MS`] or [`SPAN_MARGIN_SHARE`] on each side, within the utterance.
fn span_times(
    segment: &Segment,
    text: &str,
    start: usize,
    end: usize,
) -> (Option<u64>, Option<u64>) {
    let Some((a, b)) = segment.span() else { return (None, None) };
    let (from, to) = (a.min(b), a.max(b));
    let duration = to - from;
    let weight = |kind: TokenKind, piece: &str| -> f64 {
        match kind {
            TokenKind::Num => piece.len() as f64,
            TokenKind::Word => 1.0 + piece.chars().count() as f64 / 8.0,
            TokenKind::Tag(_) => 1.0,
            TokenKind::Sep if piece.contains(['.', ',', ';', '?', '!']) => 0.3,
            TokenKind::Sep => 0.0,
        }
    };
    let (mut before, mut inside, mut total) = (0.0, 0.0, 0.0);
    for token in tokenize(text) {
        let w = weight(token.kind, token.text(text));
        total += w;
        if token.end <= start {
            before += w;
        } else if token.start < end {
            inside += w;
        }
    }
    if total <= 0.0 {
        return (Some(from), Some(to));
    }
    let at = |share: f64| from + (duration as f64 * share.clamp(0.0, 1.0)) as u64;
    let margin = SPAN_MARGIN_MS.max((duration as f64 * SPAN_MARGIN_SHARE) as u64);
    let said_from = at(before / total);
    let said_to = at((before + inside) / total);
    (Some(said_from.saturating_sub(margin).max(from)), Some(said_to.saturating_add(margin).min(to)))
}
