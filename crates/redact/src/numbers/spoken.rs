//! Numbers as people say them: digits, number words of the six languages, "double five",
//! tens with their units, hundreds and thousands; each becomes an item with its digits.

use super::{Atom, Item};
use crate::lexicon::NumberWord;
use crate::token::Token;

/// Walks the atoms, turning numbers into items. Spoken numbers follow how people say them:
/// "forty five" is 45, "twenty twenty-seven" is 2027, "nineteen ninety" 1990, "four five" 45,
/// "double five" 55, "forty-five hundred" 4500.
pub(super) fn items(text: &str, tokens: &[Token], atoms: &[Atom]) -> Vec<Item> {
    let parser = Parser { atoms };
    let mut items = Vec::new();
    let mut i = 0;
    while i < atoms.len() {
        match atoms[i] {
            Atom::Num => {
                items.push(Item {
                    digits: tokens[i].text(text).to_string(),
                    first: i,
                    last: i,
                    strong: true,
                    written: true,
                });
                i += 1;
            }
            Atom::Number(NumberWord::Repeat(times), _) => {
                let next = parser.next(i);
                let digit = next.and_then(|j| match atoms[j] {
                    Atom::Number(NumberWord::Digit(d), _) => Some(char::from(b'0' + d)),
                    Atom::Num if tokens[j].end - tokens[j].start == 1 => {
                        tokens[j].text(text).chars().next()
                    }
                    _ => None,
                });
                match (next, digit) {
                    (Some(j), Some(d)) => {
                        items.push(Item {
                            digits: std::iter::repeat_n(d, usize::from(times)).collect(),
                            first: i,
                            last: j,
                            strong: true,
                            written: false,
                        });
                        i = j + 1;
                    }
                    _ => i += 1,
                }
            }
            Atom::Number(..) => match parser.cardinal(i) {
                Some((value, last, strong)) => {
                    items.push(Item {
                        digits: value.to_string(),
                        first: i,
                        last,
                        strong,
                        written: false,
                    });
                    i = last + 1;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    items
}

struct Parser<'a> {
    atoms: &'a [Atom],
}

impl Parser<'_> {
    /// The next word or number after atom `i` when only joinable separators lie between.
    fn next(&self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        while let Some(atom) = self.atoms.get(j) {
            match atom {
                Atom::Sep { joinable: true } => j += 1,
                Atom::Sep { joinable: false } => return None,
                _ => return Some(j),
            }
        }
        None
    }

    fn number(&self, i: Option<usize>) -> Option<(NumberWord, bool)> {
        match self.atoms.get(i?)? {
            Atom::Number(n, weak) => Some((*n, *weak)),
            _ => None,
        }
    }

    fn joiner(&self, i: Option<usize>) -> bool {
        i.and_then(|i| self.atoms.get(i)) == Some(&Atom::Joiner)
    }

    /// A number below 100: a digit, a teen, a tens word with its unit ("forty five",
    /// "cuarenta y cinco"), a unit with its tens ("fem og førti"), or one word ("førtifem").
    fn small(&self, i: usize) -> Option<(u32, usize, bool)> {
        let (number, weak) = self.number(Some(i))?;
        match number {
            NumberWord::Digit(d) => {
                let joiner = self.next(i);
                if d > 0
                    && self.joiner(joiner)
                    && let Some(t) = joiner.and_then(|j| self.next(j))
                    && let Some((NumberWord::Tens(tens), _)) = self.number(Some(t))
                {
                    return Some((u32::from(tens) + u32::from(d), t, true));
                }
                Some((u32::from(d), i, !weak))
            }
            NumberWord::Teen(t) => Some((u32::from(t), i, !weak)),
            NumberWord::Tens(tens) => {
                let after = self.next(i);
                if let Some((NumberWord::Digit(d), _)) = self.number(after)
                    && d > 0
                {
                    return Some((u32::from(tens) + u32::from(d), after.unwrap_or(i), true));
                }
                if self.joiner(after)
                    && let Some(u) = after.and_then(|j| self.next(j))
                    && let Some((NumberWord::Digit(d), _)) = self.number(Some(u))
                    && d > 0
                {
                    return Some((u32::from(tens) + u32::from(d), u, true));
                }
                Some((u32::from(tens), i, !weak))
            }
            NumberWord::Whole(v) if v < 100 => Some((v, i, !weak)),
            _ => None,
        }
    }

    /// What follows a hundred or a thousand: "and five", "twenty-seven".
    fn tail(&self, last: usize) -> Option<(u32, usize)> {
        let mut at = self.next(last)?;
        if self.joiner(Some(at)) {
            at = self.next(at)?;
        }
        self.small(at).map(|(v, l, _)| (v, l))
    }

    /// A number below a thousand: "forty-five", "five hundred and twelve", "forty-five
    /// hundred" (4500, as some say it), "hundred".
    fn below_thousand(&self, i: usize) -> Option<(u64, usize, bool)> {
        let (first, _) = self.number(Some(i))?;
        let (mut value, mut last, mut strong) = match first {
            NumberWord::Hundred => (100, i, false),
            _ => self.small(i).map(|(v, l, s)| (u64::from(v), l, s))?,
        };
        if first != NumberWord::Hundred
            && (1..100).contains(&value)
            && let Some(h) = self.next(last)
            && let Some((NumberWord::Hundred, _)) = self.number(Some(h))
        {
            value *= 100;
            last = h;
            strong = true;
        }
        if value >= 100
            && value % 100 == 0
            && let Some((rest, l)) = self.tail(last)
        {
            value += u64::from(rest);
            last = l;
            strong = true;
        }
        Some((value, last, strong))
    }

    /// A whole number starting at atom `i`: its value, its last atom, and whether it is
    /// unmistakably a number.
    fn cardinal(&self, i: usize) -> Option<(u64, usize, bool)> {
        let (first, weak) = self.number(Some(i))?;
        let (mut value, mut last, mut strong) = match first {
            NumberWord::Whole(v) if v >= 100 => return Some((u64::from(v), i, !weak)),
            NumberWord::Thousand => (1, i, false),
            _ => self.below_thousand(i)?,
        };
        let thousand = if first == NumberWord::Thousand {
            Some(i)
        } else if (1..1000).contains(&value) {
            self.next(last)
                .filter(|&t| matches!(self.number(Some(t)), Some((NumberWord::Thousand, _))))
        } else {
            None
        };
        if let Some(t) = thousand {
            value *= 1000;
            strong = strong || t != i;
            last = t;
            let mut rest_at = self.next(last);
            if self.joiner(rest_at) {
                rest_at = rest_at.and_then(|j| self.next(j));
            }
            if let Some((rest, l, _)) = rest_at.and_then(|a| self.below_thousand(a)) {
                value += rest;
                last = l;
                strong = true;
            }
        }
        Some((value, last, strong))
    }
}
