//! The decisions: which chains of numbers are card numbers (Luhn), security codes and expiry
//! dates (in card talk), phone numbers, national ids; and which stay (prices, times, dates,
//! order and account numbers). Produces claims, byte ranges of utterances with their kind.

use qadesk_domain::Transcript;

mod rules;

use crate::Kind;
use crate::apply::LONG_DIGITS;
use crate::chain::RunRef;
use crate::checks;
use crate::keywords::Topic;
use crate::numbers::{Run, Utterance};

/// Turns before and after an utterance in which card talk (a keyword, or a card number said)
/// makes it card talk too.
pub(crate) const CARD_TALK_TURNS_BEFORE: usize = 6;
pub(crate) const CARD_TALK_TURNS_AFTER: usize = 2;
/// …and only when no more than this apart in time (both utterances timed).
pub(crate) const CARD_TALK_MS: u64 = 60_000;
/// Turns back in which the nearest keyword says what a number is ("phone?" – "912 34 567").
const LOCAL_TURNS: usize = 2;
/// An utterance with at most this many real words besides its numbers is "only a number":
/// a bare 3- or 4-digit answer in card talk is a security code.
const BARE_WORDS: usize = 3;
/// Card lengths in the order a window of digits is tried: the common ones first.
const CARD_LENGTHS: [usize; 7] = [16, 15, 19, 13, 14, 17, 18];

/// A stretch of one utterance to replace with a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Claim {
    pub(crate) segment: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: Kind,
    /// The last four digits of a Luhn-valid card number, on the claim that holds its end.
    pub(crate) last4: Option<String>,
}

/// One item of a chain.
#[derive(Debug, Clone)]
struct Slot {
    run: RunRef,
    item: usize,
}

/// A card number found: where it was said and its digits.
#[derive(Debug, Clone)]
struct Card {
    first_segment: usize,
    last_segment: usize,
    digits: String,
}

pub(crate) struct Classifier<'a> {
    transcript: &'a Transcript,
    texts: &'a [String],
    utterances: &'a [Utterance],
    /// Card talk by keywords alone, per utterance.
    keyword_talk: Vec<bool>,
    cards: Vec<Card>,
    /// Where card numbers found so far end: (utterance, token). A card number said announces
    /// card talk for what follows, as its tag does when the text is redacted again.
    card_ends: Vec<(usize, usize)>,
    /// Runs of which a Luhn-valid card number took some items: what is left of them beside the
    /// card is part of it, or another card detail.
    card_runs: std::collections::HashSet<RunRef>,
    /// The claims of the previous round, sorted.
    previous: Vec<Claim>,
    pub(crate) claims: Vec<Claim>,
}

impl<'a> Classifier<'a> {
    pub(crate) fn new(
        transcript: &'a Transcript,
        texts: &'a [String],
        utterances: &'a [Utterance],
    ) -> Self {
        let mut classifier = Classifier {
            transcript,
            texts,
            utterances,
            keyword_talk: Vec::new(),
            cards: Vec::new(),
            card_ends: Vec::new(),
            card_runs: std::collections::HashSet::new(),
            previous: Vec::new(),
            claims: Vec::new(),
        };
        classifier.keyword_talk = (0..utterances.len())
            .map(|s| {
                classifier
                    .near(s, |j| utterances[j].topics.iter().any(|(_, topic)| topic.is_card_talk()))
            })
            .collect();
        classifier
    }

    /// True when `test` holds for an utterance within the card-talk window around `s`.
    fn near(&self, s: usize, test: impl Fn(usize) -> bool) -> bool {
        let from = s.saturating_sub(CARD_TALK_TURNS_BEFORE);
        let to =
            s.saturating_add(CARD_TALK_TURNS_AFTER).min(self.utterances.len().saturating_sub(1));
        (from..=to).any(|j| self.close(s, j, CARD_TALK_MS) && test(j))
    }

    /// True when utterances `a` and `b` are at most `limit` apart, or either has no times.
    fn close(&self, a: usize, b: usize, limit: u64) -> bool {
        let segments = &self.transcript.segments;
        let (Some(x), Some(y)) = (segments.get(a.min(b)), segments.get(a.max(b))) else {
            return true;
        };
        match (x.end_ms.or(x.start_ms), y.start_ms) {
            (Some(end), Some(start)) => start.saturating_sub(end) <= limit,
            _ => true,
        }
    }

    /// Card talk at utterance `s`: a card keyword, or a card number said, close by.
    fn card_talk(&self, s: usize) -> bool {
        self.keyword_talk.get(s).copied().unwrap_or(false)
            || self.cards.iter().any(|card| {
                let from = card.first_segment.saturating_sub(CARD_TALK_TURNS_AFTER);
                let to = card.last_segment.saturating_add(CARD_TALK_TURNS_BEFORE);
                (from..=to).contains(&s)
            })
    }

    /// The topic of the nearest keyword before token `token` of utterance `s`, looking back
    /// into the previous turns.
    fn local_topic(&self, s: usize, token: usize) -> Option<Topic> {
        let last_before = |j: usize, limit: usize| -> Option<(usize, Topic)> {
            let keyword = self.utterances[j].topics.iter().rev().find(|(at, _)| *at < limit);
            let card = self
                .card_ends
                .iter()
                .filter(|&&(seg, at)| seg == j && at < limit)
                .map(|&(_, at)| (at, Topic::Card))
                .max_by_key(|&(at, _)| at);
            match (keyword.copied(), card) {
                (Some(k), Some(c)) => Some(if c.0 > k.0 { c } else { k }),
                (k, c) => k.or(c),
            }
        };
        if let Some((_, topic)) = last_before(s, token) {
            return Some(topic);
        }
        (s.saturating_sub(LOCAL_TURNS)..s)
            .rev()
            .filter(|&j| self.close(j, s, CARD_TALK_MS))
            .find_map(|j| last_before(j, usize::MAX).map(|(_, topic)| topic))
    }

    fn run(&self, r: RunRef) -> &Run {
        &self.utterances[r.segment].runs[r.run]
    }

    fn slot_digits(&self, slot: &Slot) -> &str {
        &self.run(slot.run).items[slot.item].digits
    }

    fn slot_strong(&self, slot: &Slot) -> bool {
        self.run(slot.run).items[slot.item].strong
    }

    /// Classifies every chain of runs, then the written `MM/YY` dates.
    pub(crate) fn classify(&mut self, chains: &[Vec<RunRef>]) {
        let flat: Vec<Vec<Slot>> = chains
            .iter()
            .map(|chain| {
                chain
                    .iter()
                    .flat_map(|&run| {
                        (0..self.run(run).items.len()).map(move |item| Slot { run, item })
                    })
                    .collect()
            })
            .collect();
        // A card number found makes card talk of its neighbours (and may show that a window
        // of another chain is a card too), and a claim leaves fewer words around a bare code,
        // as their tags will when the text is redacted again: classify again, knowing what
        // the previous round found, until nothing new turns up.
        let mut known_cards = 0;
        for _ in 0..6 {
            self.claims.clear();
            let mut taken: Vec<Vec<bool>> =
                flat.iter().map(|slots| vec![false; slots.len()]).collect();
            for (slots, taken) in flat.iter().zip(taken.iter_mut()) {
                self.find_cards(slots, taken);
            }
            for (slots, taken) in flat.iter().zip(&taken) {
                for (slot, taken) in slots.iter().zip(taken) {
                    if *taken {
                        self.card_runs.insert(slot.run);
                    }
                }
            }
            for (slots, taken) in flat.iter().zip(&taken) {
                let mut k = 0;
                while k < slots.len() {
                    if taken[k] {
                        k += 1;
                        continue;
                    }
                    let end = (k..slots.len()).find(|&j| taken[j]).unwrap_or(slots.len());
                    self.classify_piece(&slots[k..end], true);
                    k = end;
                }
            }
            for (s, u) in self.utterances.iter().enumerate() {
                for date in &u.slash_dates {
                    if self.card_talk(s) {
                        self.claims.push(Claim {
                            segment: s,
                            start: u.tokens[date.first].start,
                            end: u.tokens[date.last].end,
                            kind: Kind::ExpiryDate,
                            last4: None,
                        });
                    }
                }
            }
            self.long_digits();
            let mut claims = self.claims.clone();
            claims.sort_by_key(|c| (c.segment, c.start, c.end));
            if self.cards.len() == known_cards && claims == self.previous {
                break;
            }
            known_cards = self.cards.len();
            self.previous = claims;
        }
    }

    /// Written runs of 13 or more digits that no rule claimed (glued to letters, or mixed with
    /// spoken digits): card numbers, whatever their checksum.
    fn long_digits(&mut self) {
        for (s, text) in self.texts.iter().enumerate() {
            let covered: Vec<(usize, usize)> =
                self.claims.iter().filter(|c| c.segment == s).map(|c| (c.start, c.end)).collect();
            for m in LONG_DIGITS.find_iter(text) {
                let mut fragments = vec![(m.start(), m.end())];
                for &(a, b) in &covered {
                    fragments = fragments
                        .into_iter()
                        .flat_map(|(x, y)| {
                            if b <= x || y <= a {
                                vec![(x, y)]
                            } else {
                                [(x, a.max(x)), (b.min(y), y)]
                                    .into_iter()
                                    .filter(|(p, q)| p < q)
                                    .collect()
                            }
                        })
                        .collect();
                }
                for (x, y) in fragments {
                    let Some(f) = text.get(x..y).and_then(|part| LONG_DIGITS.find(part)) else {
                        continue;
                    };
                    let (start, end) = (x + f.start(), x + f.end());
                    let digits: String = f.as_str().chars().filter(char::is_ascii_digit).collect();
                    self.claims.push(Claim {
                        segment: s,
                        start,
                        end,
                        kind: Kind::CardNumber,
                        last4: None,
                    });
                    let u = &self.utterances[s];
                    for (r, run) in u.runs.iter().enumerate() {
                        let (a, b) =
                            (u.tokens[run.first_token()].start, u.tokens[run.last_token()].end);
                        if a < end && start < b {
                            self.card_runs.insert(RunRef { segment: s, run: r });
                        }
                    }
                    if !self.cards.iter().any(|c| c.first_segment == s && c.digits == digits) {
                        self.cards.push(Card { first_segment: s, last_segment: s, digits });
                    }
                    let token =
                        self.utterances[s].tokens.iter().position(|t| t.end >= end).unwrap_or(0);
                    if !self.card_ends.contains(&(s, token)) {
                        self.card_ends.push((s, token));
                    }
                }
            }
        }
    }

    /// Luhn-valid windows of 13–19 digits over a chain's items. Windows that begin and end
    /// where runs do are tried first (a card number is said as whole groups), then any; each
    /// first over all items, then over the unmistakable ones alone (so that a stray "to" or
    /// "en" does not hide a card).
    fn find_cards(&mut self, slots: &[Slot], taken: &mut [bool]) {
        for aligned in [true, false] {
            for strong_only in [false, true] {
                self.find_cards_pass(slots, taken, aligned, strong_only);
            }
        }
    }

    fn find_cards_pass(
        &mut self,
        slots: &[Slot],
        taken: &mut [bool],
        aligned: bool,
        strong_only: bool,
    ) {
        let positions: Vec<usize> =
            (0..slots.len()).filter(|&k| !strong_only || self.slot_strong(&slots[k])).collect();
        let starts: Vec<bool> = slots.iter().map(|s| s.item == 0).collect();
        let ends: Vec<bool> =
            slots.iter().map(|s| s.item + 1 == self.run(s.run).items.len()).collect();
        let mut p = 0;
        while p < positions.len() {
            if taken[positions[p]] || (aligned && !starts[positions[p]]) {
                p += 1;
                continue;
            }
            let mut digits = String::new();
            let mut best: Option<(usize, usize, String)> = None;
            for (q, &position) in positions.iter().enumerate().skip(p) {
                if taken[position] {
                    break;
                }
                digits.push_str(self.slot_digits(&slots[position]));
                if digits.len() > 19 {
                    break;
                }
                let Some(rank) = CARD_LENGTHS.iter().position(|&l| l == digits.len()) else {
                    continue;
                };
                if aligned && !ends[position] {
                    continue;
                }
                let window = &slots[positions[p]..=position];
                if checks::luhn(&digits)
                    && self.card_like(window, &digits)
                    && best.as_ref().is_none_or(|(r, ..)| rank < *r)
                {
                    best = Some((rank, q, digits.clone()));
                }
            }
            match best {
                Some((_, q, digits)) => {
                    let (from, to) = (positions[p], positions[q]);
                    taken[from..=to].iter_mut().for_each(|t| *t = true);
                    self.claim_card(&slots[from..=to], &digits, aligned);
                    p = q + 1;
                }
                None => p += 1,
            }
        }
    }

    /// A Luhn-valid window is a card when it was written as one number, when it is card talk,
    /// or when it starts like a card (2–6: Mastercard, Amex, Visa, Discover and the others).
    fn card_like(&self, window: &[Slot], digits: &str) -> bool {
        let one_written_run =
            window.iter().all(|s| s.run == window[0].run && self.run(s.run).items[s.item].written);
        one_written_run
            || window.iter().any(|s| self.card_talk(s.run.segment))
            || digits.starts_with(['2', '3', '4', '5', '6'])
    }

    /// Claims a Luhn-valid window; its tag keeps the last four digits when the window is
    /// whole groups as said (then they are the card's last four, not a guess).
    fn claim_card(&mut self, window: &[Slot], digits: &str, aligned: bool) {
        let first_segment = window.first().map_or(0, |s| s.run.segment);
        let last_segment = window.last().map_or(0, |s| s.run.segment);
        let known = self.cards.iter().any(|c| {
            c.first_segment == first_segment && c.last_segment == last_segment && c.digits == digits
        });
        if !known {
            self.cards.push(Card { first_segment, last_segment, digits: digits.to_string() });
        }
        let last4 =
            digits.get(digits.len().saturating_sub(4)..).filter(|_| aligned).map(str::to_string);
        self.claim_slots(window, Kind::CardNumber, last4, None, None);
    }

    /// Remembers a card number found outside the Luhn windows (misheard, or an echo), for
    /// card talk and echoes around it.
    fn note_card(&mut self, slots: &[Slot]) {
        let digits: String = slots.iter().map(|s| self.slot_digits(s)).collect();
        let first_segment = slots.first().map_or(0, |s| s.run.segment);
        let last_segment = slots.last().map_or(0, |s| s.run.segment);
        let known = self.cards.iter().any(|c| {
            c.first_segment == first_segment && c.last_segment == last_segment && c.digits == digits
        });
        if !known {
            self.cards.push(Card { first_segment, last_segment, digits });
        }
    }

    /// Claims the bytes of `slots`, one claim per utterance, from `from_token` (a month before
    /// an expiry year) to `to_token` (a DNI's letter) when given.
    fn claim_slots(
        &mut self,
        slots: &[Slot],
        kind: Kind,
        last4: Option<String>,
        from_token: Option<usize>,
        to_token: Option<usize>,
    ) {
        let mut k = 0;
        while k < slots.len() {
            let segment = slots[k].run.segment;
            let end =
                (k..slots.len()).find(|&j| slots[j].run.segment != segment).unwrap_or(slots.len());
            let u = &self.utterances[segment];
            let first = &slots[k];
            let last = &slots[end - 1];
            let mut start_token = self.run(first.run).items[first.item].first;
            let mut end_token = self.run(last.run).items[last.item].last;
            if k == 0
                && let Some(t) = from_token
            {
                start_token = start_token.min(t);
            }
            if end == slots.len()
                && let Some(t) = to_token
            {
                end_token = end_token.max(t);
            }
            let (Some(a), Some(b)) = (u.tokens.get(start_token), u.tokens.get(end_token)) else {
                k = end;
                continue;
            };
            let mut start = a.start;
            if kind == Kind::PhoneNumber && k == 0 {
                // "+47 …" and "(415) …": the sign and the bracket belong to the number.
                let before = self.texts[segment].get(..start).unwrap_or("");
                let sign = before.len() - before.trim_end_matches(['+', '(']).len();
                start -= sign;
            }
            if kind == Kind::CardNumber && !self.card_ends.contains(&(segment, end_token)) {
                self.card_ends.push((segment, end_token));
            }
            self.claims.push(Claim {
                segment,
                start,
                end: b.end,
                kind,
                last4: if end == slots.len() { last4.clone() } else { None },
            });
            k = end;
        }
    }

    /// Classifies the items of a chain that no card took; when the whole says nothing, each
    /// run's part on its own.
    fn classify_piece(&mut self, slots: &[Slot], split: bool) {
        if slots.is_empty() || self.try_claim(slots) || !split {
            return;
        }
        // Each run on its own; then what is left between the runs claimed, together.
        let mut parts: Vec<(usize, usize)> = Vec::new();
        let mut k = 0;
        while k < slots.len() {
            let run = slots[k].run;
            let end = (k..slots.len()).find(|&j| slots[j].run != run).unwrap_or(slots.len());
            parts.push((k, end));
            k = end;
        }
        if parts.len() < 2 {
            return;
        }
        let claimed: Vec<bool> = parts.iter().map(|&(a, b)| self.try_claim(&slots[a..b])).collect();
        let mut p = 0;
        while p < parts.len() {
            if claimed[p] {
                p += 1;
                continue;
            }
            let q = (p..parts.len()).find(|&j| claimed[j]).unwrap_or(parts.len());
            if q - p >= 2 && q - p < parts.len() {
                self.classify_piece(&slots[parts[p].0..parts[q - 1].1], true);
            }
            p = q;
        }
    }

    /// Claims `slots` when they are something; true if they were.
    fn try_claim(&mut self, slots: &[Slot]) -> bool {
        if let Some((kind, from, to)) = self.decide(slots) {
            if kind == Kind::CardNumber {
                self.note_card(slots);
            }
            self.claim_slots(slots, kind, None, from, to);
            return true;
        }
        // Digits said in one breath with a card number: the rest of it, misheard or split.
        if slots.iter().any(|s| self.card_runs.contains(&s.run))
            && slots.iter().any(|s| self.card_talk(s.run.segment))
        {
            self.note_card(slots);
            self.claim_slots(slots, Kind::CardNumber, None, None, None);
            return true;
        }
        false
    }
}

/// Kinds in the order they win when two claims overlap.
pub(crate) fn priority(kind: Kind) -> u8 {
    match kind {
        Kind::CardNumber => 0,
        Kind::NationalId => 1,
        Kind::SecurityCode => 2,
        Kind::ExpiryDate => 3,
        Kind::PhoneNumber => 4,
        Kind::Email => 5,
    }
}
