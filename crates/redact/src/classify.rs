//! The decisions: which chains of numbers are card numbers (Luhn), security codes and expiry
//! dates (in card talk), phone numbers, national ids; and which stay (prices, times, dates,
//! order and account numbers). Produces claims, byte ranges of utterances with their kind.

use qadesk_domain::Transcript;

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

    /// What a piece of a chain is, with the extra tokens its claim covers (a month name before,
    /// a DNI letter after); `None` leaves it as said.
    fn decide(&self, slots: &[Slot]) -> Option<(Kind, Option<usize>, Option<usize>)> {
        let first = slots.first()?;
        let last = slots.last()?;
        let digits: String = slots.iter().map(|s| self.slot_digits(s)).collect();
        let n = digits.len();
        let first_run = self.run(first.run);
        let last_run = self.run(last.run);
        let starts_run = first.item == 0;
        let ends_run = last.item + 1 == last_run.items.len();
        let one_run = slots.iter().all(|s| s.run == first.run);
        let written = one_run && slots.iter().all(|s| self.run(s.run).items[s.item].written);
        let groups: Vec<usize> = slots.iter().map(|s| self.slot_digits(s).len()).collect();
        let gaps: Vec<&str> = if one_run {
            first_run.gaps[first.item..last.item].iter().map(|g| g.trim()).collect()
        } else {
            Vec::new()
        };
        // A unit after a run that also held a card number is no longer beside what is left.
        let unit_here = |r: RunRef| !self.card_runs.contains(&r);
        let quantity = (starts_run && first_run.quantity && unit_here(first.run))
            || (ends_run && last_run.quantity && unit_here(last.run));
        if quantity {
            return None;
        }
        let segment = first.run.segment;
        let first_token = first_run.items[first.item].first;
        let local = self.local_topic(segment, first_token);
        let bare = slots.iter().all(|s| self.words_left(s.run.segment) <= BARE_WORDS);

        if written && n >= 13 {
            return Some((Kind::CardNumber, None, None));
        }
        if n == 11 && (checks::fodselsnummer(&digits) || checks::isikukood(&digits)) {
            return Some((Kind::NationalId, None, None));
        }
        let bsn_shape = written && groups == [4, 2, 2] && gaps.iter().all(|g| *g == ".");
        if n == 9 && checks::bsn(&digits) && (local == Some(Topic::Id) || bsn_shape) {
            return Some((Kind::NationalId, None, None));
        }
        if n == 8
            && ends_run
            && let Some((letter, token)) = last_run.letter_after
            && checks::dni(&digits, letter)
        {
            return Some((Kind::NationalId, None, Some(token)));
        }
        if local == Some(Topic::Id) && n >= 6 {
            return Some((Kind::NationalId, None, None));
        }
        let plus = starts_run && first_run.plus;
        if (plus && (7..=15).contains(&n)) || (digits.starts_with("00") && (11..=15).contains(&n)) {
            return Some((Kind::PhoneNumber, None, None));
        }
        if local == Some(Topic::Phone) && (6..=15).contains(&n) {
            return Some((Kind::PhoneNumber, None, None));
        }
        if local == Some(Topic::Other) {
            return None;
        }
        let talk = slots.iter().any(|s| self.card_talk(s.run.segment));
        if talk {
            if self.echo(&digits, segment) {
                return Some((Kind::CardNumber, None, None));
            }
            let dated = first_run.month_day.is_some_and(|day| !self.token_claimed(segment, day));
            if starts_run
                && !dated
                && let Some((_, month_token)) = first_run.month
                && checks::plausible_year(&digits)
            {
                return Some((Kind::ExpiryDate, Some(month_token), None));
            }
            if checks::expiry(&digits) && local != Some(Topic::Security) {
                return Some((Kind::ExpiryDate, None, None));
            }
            if n == 3
                && local == Some(Topic::Expiry)
                && !self.asked_for_security(segment, first_token)
                && !digits.starts_with('0')
                && checks::plausible_year(&digits[1..])
            {
                return Some((Kind::ExpiryDate, None, None));
            }
            if (n == 3 || n == 4) && (local == Some(Topic::Security) || bare) {
                return Some((Kind::SecurityCode, None, None));
            }
            if n >= 6 {
                return Some((Kind::CardNumber, None, None));
            }
            return None;
        }
        let paren = first_run.paren;
        if phone_shape(&digits, written.then_some(groups.as_slice()), paren) {
            return Some((Kind::PhoneNumber, None, None));
        }
        None
    }

    /// True when token `token` of utterance `s` is inside a claim so far.
    fn token_claimed(&self, s: usize, token: usize) -> bool {
        let Some(t) = self.utterances[s].tokens.get(token) else { return false };
        self.claims
            .iter()
            .chain(&self.previous)
            .any(|c| c.segment == s && c.start <= t.start && t.end <= c.end)
    }

    /// True when a security code was asked for just before token `token` of utterance `s`
    /// ("the three digits on the back, and the expiry date?"): three digits are then the code.
    fn asked_for_security(&self, s: usize, token: usize) -> bool {
        let here =
            self.utterances[s].topics.iter().any(|&(at, t)| at < token && t == Topic::Security);
        here || (s.saturating_sub(LOCAL_TURNS)..s).any(|j| {
            self.close(j, s, CARD_TALK_MS)
                && self.utterances[j].topics.iter().any(|&(_, t)| t == Topic::Security)
        })
    }

    /// The real words of utterance `s` that no claim so far covers.
    fn words_left(&self, s: usize) -> usize {
        let u = &self.utterances[s];
        let claimed = |start: usize, end: usize| {
            self.claims
                .iter()
                .chain(&self.previous)
                .any(|c| c.segment == s && c.start <= start && end <= c.end)
        };
        u.tokens.iter().zip(&u.real).filter(|(t, real)| **real && !claimed(t.start, t.end)).count()
    }

    /// True when `digits` repeat part of a card number said near utterance `s`: the agent
    /// reading back a group, "the card ending 0366".
    fn echo(&self, digits: &str, s: usize) -> bool {
        let n = digits.len();
        self.cards.iter().any(|card| {
            let reach = if n >= 3 { CARD_TALK_TURNS_BEFORE } else { CARD_TALK_TURNS_AFTER };
            let from = card.first_segment.saturating_sub(reach);
            let to = card.last_segment.saturating_add(reach);
            n >= 2 && (from..=to).contains(&s) && card.digits.contains(digits)
        })
    }
}

/// The shapes of national phone numbers that need no "phone" nearby: a trunk 0 (NL, UK, IT
/// landlines), Italian mobiles (3…, ten digits), Spanish mobiles (6… or 7…, nine digits) and
/// landlines (9… in phone groups), US numbers (3-3-4, or with brackets or a leading 1),
/// Norwegian mobiles (4… or 9…, eight digits in groups of 3-2-3 or 2-2-2-2).
fn phone_shape(digits: &str, groups: Option<&[usize]>, paren: bool) -> bool {
    let n = digits.len();
    let starts = |prefixes: &[char]| digits.starts_with(prefixes);
    let grouped = |shapes: &[&[usize]]| groups.is_some_and(|g| shapes.contains(&g));
    ((n == 10 || n == 11) && starts(&['0']))
        || (n == 10 && starts(&['3']))
        || (n == 9 && starts(&['6', '7']))
        || (n == 9 && starts(&['9']) && grouped(&[&[3, 2, 2, 2], &[3, 3, 3], &[9]]))
        || (n == 10 && (paren || grouped(&[&[3, 3, 4]])))
        || (n == 11 && starts(&['1']) && grouped(&[&[1, 3, 3, 4]]))
        || (n == 8 && starts(&['4', '9']) && grouped(&[&[3, 2, 3], &[2, 2, 2, 2]]))
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
