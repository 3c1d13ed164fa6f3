//! The rules for what is left of a chain after the card numbers: national ids, phone numbers,
//! and in card talk expiry dates, security codes and the rest of a card number; prices,
//! times and numbers announced as something else stay.

use super::{
    BARE_WORDS, CARD_TALK_MS, CARD_TALK_TURNS_AFTER, CARD_TALK_TURNS_BEFORE, Classifier,
    LOCAL_TURNS, RunRef, Slot,
};
use crate::Kind;
use crate::checks;
use crate::keywords::Topic;

impl Classifier<'_> {
    /// What a piece of a chain is, with the extra tokens its claim covers (a month name before,
    /// a DNI letter after); `None` leaves it as said.
    pub(super) fn decide(&self, slots: &[Slot]) -> Option<(Kind, Option<usize>, Option<usize>)> {
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
        // Seven to twelve digits said one by one: how people give a phone number (an order or
        // account number announced as such stayed above).
        let one_by_one = slots.iter().all(|s| {
            let item = &self.run(s.run).items[s.item];
            !item.written && item.digits.chars().all(|c| item.digits.starts_with(c))
        });
        if one_by_one && (7..=12).contains(&n) {
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
/// Norwegian mobiles (4… or 9…, eight digits in groups of 3-2-3 or 2-2-2-2), Estonian mobiles
/// (5…, seven or eight digits in groups of 3-4 or 4-4).
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
        || (n == 8 && starts(&['5']) && grouped(&[&[4, 4]]))
        || (n == 7 && starts(&['5']) && grouped(&[&[3, 4]]))
}
