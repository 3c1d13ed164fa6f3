//! The numbers in one utterance, written or spoken: tokens become items ("4532", "forty-five",
//! "double five"), neighbouring items become runs, and each run learns what surrounds it (a
//! currency, a time word, a month, a `+`). Also the topics its words announce. No decisions.

use crate::keywords::{self, Topic};
use crate::lexicon::{self, Languages, NumberWord};
use crate::token::{Token, TokenKind, tokenize};

mod shapes;
mod spoken;

/// One number as said: its digits and the tokens it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) digits: String,
    /// Token indexes, inclusive.
    pub(crate) first: usize,
    pub(crate) last: usize,
    /// False for a word that is a number only in some readings ("to", "en", "one").
    pub(crate) strong: bool,
    /// Written in digits.
    pub(crate) written: bool,
}

/// Items said one after the other, with nothing but separators, hesitations or "and" between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) items: Vec<Item>,
    /// The text between consecutive items.
    pub(crate) gaps: Vec<String>,
    /// A `+` or the word "plus" right before it.
    pub(crate) plus: bool,
    /// A currency or a unit right before or after it: a price or a quantity.
    pub(crate) quantity: bool,
    /// A month name right before it ("September 2027"): the month and its token.
    pub(crate) month: Option<(u8, usize)>,
    /// The token of a day number before that month ("12 March 2026"): then it is a date,
    /// unless that number turns out to be part of something else.
    pub(crate) month_day: Option<usize>,
    /// A single letter right after it ("12345678 Z"): the letter and its token.
    pub(crate) letter_after: Option<(char, usize)>,
    /// A `(` inside or right before it.
    pub(crate) paren: bool,
    /// Words other than acknowledgements before and after it in the utterance.
    pub(crate) words_before: usize,
    pub(crate) words_after: usize,
}

impl Run {
    #[cfg(test)]
    pub(crate) fn digits(&self) -> String {
        self.items.iter().map(|i| i.digits.as_str()).collect()
    }

    pub(crate) fn first_token(&self) -> usize {
        self.items.first().map_or(0, |i| i.first)
    }

    pub(crate) fn last_token(&self) -> usize {
        self.items.last().map_or(0, |i| i.last)
    }

    /// The digit count of each item: the grouping of a written number.
    #[cfg(test)]
    pub(crate) fn groups(&self) -> Vec<usize> {
        self.items.iter().map(|i| i.digits.len()).collect()
    }
}

/// A written month and year such as `09/27`: a card's expiry date when said in card talk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SlashDate {
    pub(crate) first: usize,
    pub(crate) last: usize,
}

/// One utterance taken apart.
#[derive(Debug, Clone, Default)]
pub(crate) struct Utterance {
    pub(crate) tokens: Vec<Token>,
    pub(crate) runs: Vec<Run>,
    pub(crate) slash_dates: Vec<SlashDate>,
    /// Topics announced, with the token where the phrase starts.
    pub(crate) topics: Vec<(usize, Topic)>,
    /// Words that are neither numbers nor acknowledgements nor hesitations.
    pub(crate) real_words: usize,
    /// Per token: such a word.
    pub(crate) real: Vec<bool>,
    /// Tokens that belong to no number: inside an e-mail address already found, a time, a
    /// date, or glued to letters ("N300", "14th").
    pub(crate) blocked: Vec<bool>,
}

/// What a token is for number finding.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Atom {
    Num,
    Number(NumberWord, bool),
    Joiner,
    Filler,
    Word,
    Sep { joinable: bool },
    Blocked,
    Tag,
}

/// Separators that may sit between the groups of one number: spaces, `-`, `.`, `,`, brackets
/// and `+` (phone numbers), a few characters at most.
fn joinable(sep: &str) -> bool {
    sep.chars().count() <= 4 && sep.chars().all(|c| c.is_whitespace() || "-.,()+–—_".contains(c))
}

impl Utterance {
    /// Takes `text` apart; `blocked_bytes` are ranges already claimed (e-mail addresses, ids
    /// found by shape), whose tokens are no numbers.
    pub(crate) fn new(
        text: &str,
        languages: Languages,
        blocked_bytes: &[(usize, usize)],
    ) -> Utterance {
        let tokens = tokenize(text);
        let mut blocked: Vec<bool> = tokens
            .iter()
            .map(|t| blocked_bytes.iter().any(|&(s, e)| t.start < e && s < t.end))
            .collect();
        let folded: Vec<String> = tokens
            .iter()
            .map(|t| match t.kind {
                TokenKind::Word | TokenKind::Num => lexicon::fold(t.text(text)),
                _ => String::new(),
            })
            .collect();
        let slash_dates = shapes::block_shapes(text, &tokens, &folded, &mut blocked);
        let topics = topics(&tokens, &folded);
        // "three digits on the back": the number names the code, it is not part of one.
        for &(i, topic) in &topics {
            let number = tokens[i].kind == TokenKind::Num
                || lexicon::number_word(&folded[i], lexicon::ALL_LANGUAGES).is_some();
            if topic == Topic::Security && number {
                blocked[i] = true;
            }
        }
        let atoms: Vec<Atom> = (0..tokens.len())
            .map(|i| atom(text, &tokens, &folded, &blocked, i, languages))
            .collect();
        let items = spoken::items(text, &tokens, &atoms);
        let runs = runs(text, &tokens, &folded, &atoms, items);
        let in_run =
            |i: usize| runs.iter().any(|r| (r.first_token()..=r.last_token()).contains(&i));
        let real: Vec<bool> = (0..tokens.len())
            .map(|i| atoms[i] == Atom::Word && !in_run(i) && !lexicon::acknowledgement(&folded[i]))
            .collect();
        let real_words = real.iter().filter(|r| **r).count();
        Utterance { tokens, runs, slash_dates, topics, real_words, real, blocked }
    }

    /// True when a tag of an earlier redaction, or something no number spans (an address, a
    /// date, a time, a code), is among the tokens of `range`.
    pub(crate) fn interrupted(&self, range: std::ops::Range<usize>) -> bool {
        let (from, to) = (range.start.min(self.tokens.len()), range.end.min(self.tokens.len()));
        (from..to).any(|i| self.blocked[i] || matches!(self.tokens[i].kind, TokenKind::Tag(_)))
    }

    /// The real words (not acknowledgements, numbers or hesitations) between two tokens,
    /// exclusive; `None` when something stands between them that no number can span: a tag,
    /// a time or date, a glued code, a keyword announcing another number, or "or".
    pub(crate) fn words_between(&self, text: &str, from: usize, to: usize) -> Option<usize> {
        if self.topics.iter().any(|&(at, _)| at > from && at < to) {
            return None;
        }
        let mut words = 0;
        for i in from.saturating_add(1)..to.min(self.tokens.len()) {
            let token = self.tokens[i];
            if self.blocked[i] || matches!(token.kind, TokenKind::Tag(_)) {
                return None;
            }
            if token.kind == TokenKind::Word {
                let folded = lexicon::fold(token.text(text));
                if lexicon::OR_WORDS.contains(&folded.as_str()) {
                    return None;
                }
                if !lexicon::acknowledgement(&folded) && !lexicon::listed(lexicon::FILLERS, &folded)
                {
                    words += 1;
                }
            }
        }
        Some(words)
    }
}

fn atom(
    text: &str,
    tokens: &[Token],
    folded: &[String],
    blocked: &[bool],
    i: usize,
    languages: Languages,
) -> Atom {
    if blocked[i] {
        return Atom::Blocked;
    }
    let token = tokens[i];
    match token.kind {
        TokenKind::Num => Atom::Num,
        TokenKind::Tag(_) => Atom::Tag,
        TokenKind::Sep => Atom::Sep { joinable: joinable(token.text(text)) },
        TokenKind::Word => {
            let glued = |j: Option<usize>| {
                j.and_then(|j| tokens.get(j)).is_some_and(|n| n.kind == TokenKind::Num)
            };
            if glued(i.checked_sub(1)) || glued(Some(i + 1)) {
                return Atom::Blocked;
            }
            let word = folded[i].as_str();
            if let Some((number, weak)) = lexicon::number_word(word, languages) {
                Atom::Number(number, weak)
            } else if lexicon::JOINERS.contains(&word) {
                Atom::Joiner
            } else if lexicon::FILLERS.contains(&word) {
                Atom::Filler
            } else {
                Atom::Word
            }
        }
    }
}

/// Groups items into runs: items with only joinable separators, hesitations and "and" between.
fn runs(
    text: &str,
    tokens: &[Token],
    folded: &[String],
    atoms: &[Atom],
    items: Vec<Item>,
) -> Vec<Run> {
    let mut groups: Vec<Vec<Item>> = Vec::new();
    for item in items {
        let joins = groups.last().and_then(|g| g.last()).is_some_and(|previous: &Item| {
            let between = &atoms[previous.last + 1..item.first];
            let soft = between.iter().filter(|a| matches!(a, Atom::Filler | Atom::Joiner)).count();
            soft <= 2
                && between.iter().all(|a| {
                    matches!(a, Atom::Sep { joinable: true } | Atom::Filler | Atom::Joiner)
                })
        });
        match groups.last_mut() {
            Some(group) if joins => group.push(item),
            _ => groups.push(vec![item]),
        }
    }
    let word = |i: usize| -> Option<&str> {
        tokens.get(i).filter(|t| t.kind == TokenKind::Word).map(|_| folded[i].as_str())
    };
    let sep = |i: usize| -> Option<&str> {
        tokens.get(i).filter(|t| t.kind == TokenKind::Sep).map(|t| t.text(text))
    };
    let real = |i: &usize| atoms[*i] == Atom::Word && !lexicon::acknowledgement(&folded[*i]);
    groups
        .into_iter()
        // Weak words count beside an unmistakable number, or three in a row ("otto due uno").
        .filter(|items| items.len() >= 3 || items.iter().any(|i| i.strong))
        .map(|items| {
            let first = items.first().map_or(0, |i| i.first);
            let last = items.last().map_or(0, |i| i.last);
            let gaps: Vec<String> = items
                .windows(2)
                .map(|w| {
                    let start = tokens[w[0].last].end;
                    let end = tokens[w[1].first].start;
                    text.get(start..end).unwrap_or("").to_string()
                })
                .collect();
            let before_sep = first.checked_sub(1).and_then(sep).unwrap_or("");
            let after_sep = sep(last + 1).unwrap_or("");
            let spaced = |s: &str| s.trim().is_empty();
            let word_before =
                first.checked_sub(2).filter(|_| spaced(before_sep) && first >= 1).and_then(word);
            let word_after = if spaced(after_sep) { word(last + 2) } else { None };
            let plus = before_sep.trim_end().ends_with('+')
                || word_before.is_some_and(|w| lexicon::PLUS_WORDS.contains(&w));
            let quantity = before_sep.contains(['€', '$', '£', '¥'])
                || after_sep.trim_start().starts_with(['%', '€', '$', '£'])
                || word_before.is_some_and(|w| lexicon::CURRENCY_BEFORE.contains(&w))
                || word_after.is_some_and(|w| lexicon::listed(lexicon::UNITS, w));
            let paren = before_sep.contains('(') || gaps.iter().any(|g| g.contains('('));
            let (month, month_day) = match month_before(first, tokens, folded, &sep, &word) {
                Some((m, at, day)) => (Some((m, at)), day),
                None => (None, None),
            };
            let letter_after = letter_after(last, tokens, text, folded, &sep);
            Run {
                gaps,
                plus,
                quantity,
                month,
                month_day,
                letter_after,
                paren,
                words_before: (0..first).filter(real).count(),
                words_after: (last + 1..tokens.len()).filter(real).count(),
                items,
            }
        })
        .collect()
}

/// A month name before a run ("September 2027", "settembre del 2027"): the month, its token,
/// and the token of a day number before the month, if any ("12 March 2026").
fn month_before<'a>(
    first: usize,
    tokens: &[Token],
    folded: &[String],
    sep: &dyn Fn(usize) -> Option<&'a str>,
    word: &dyn Fn(usize) -> Option<&'a str>,
) -> Option<(u8, usize, Option<usize>)> {
    let spaced = |i: usize| sep(i).is_some_and(|s| s.trim().is_empty() || s.trim() == ",");
    let mut at = first.checked_sub(2).filter(|&i| spaced(i + 1))?;
    if word(at).is_some_and(|w| lexicon::MONTH_YEAR_LINKS.contains(&w)) {
        at = at.checked_sub(2).filter(|&i| spaced(i + 1))?;
    }
    let month = lexicon::month(word(at)?)?;
    let day_before = at.checked_sub(2).filter(|&d| {
        let day = match tokens[d].kind {
            TokenKind::Num => {
                folded[d].len() <= 2
                    && folded[d].parse::<u32>().is_ok_and(|v| (1..=31).contains(&v))
            }
            TokenKind::Word => matches!(
                lexicon::number_word(&folded[d], lexicon::ALL_LANGUAGES),
                Some((
                    NumberWord::Digit(1..=9) | NumberWord::Teen(_) | NumberWord::Tens(20 | 30),
                    _
                )) | Some((NumberWord::Whole(21..=31), _))
            ),
            _ => false,
        };
        day && sep(d + 1).is_some_and(|s| s.trim().is_empty() || s.trim() == ".")
    });
    Some((month, at, day_before))
}

/// A single letter after a run, as a Spanish DNI ends: "12345678 Z", "12345678-Z",
/// "12345678, letra Z".
fn letter_after<'a>(
    last: usize,
    tokens: &[Token],
    text: &str,
    folded: &[String],
    sep: &dyn Fn(usize) -> Option<&'a str>,
) -> Option<(char, usize)> {
    let short = |i: usize| sep(i).is_some_and(|s| matches!(s.trim(), "" | "-" | ","));
    let single = |i: usize| {
        let token = tokens.get(i).filter(|t| t.kind == TokenKind::Word)?;
        let mut chars = token.text(text).chars();
        let letter = chars.next().filter(char::is_ascii_alphabetic)?;
        chars.next().is_none().then_some(letter.to_ascii_uppercase())
    };
    if !short(last + 1) {
        return None;
    }
    if let Some(letter) = single(last + 2) {
        return Some((letter, last + 2));
    }
    let named = folded.get(last + 2).is_some_and(|w| w == "letra" || w == "letter");
    (named && short(last + 3)).then(|| single(last + 4).map(|l| (l, last + 4))).flatten()
}

/// The topics announced by the words (and digits) of an utterance, with their token.
fn topics(tokens: &[Token], folded: &[String]) -> Vec<(usize, Topic)> {
    let indexes: Vec<usize> = (0..tokens.len())
        .filter(|&i| matches!(tokens[i].kind, TokenKind::Word | TokenKind::Num))
        .collect();
    let words: Vec<&str> = indexes.iter().map(|&i| folded[i].as_str()).collect();
    let mut found: Vec<(usize, Topic)> =
        keywords::find(&words).into_iter().map(|(w, topic)| (indexes[w], topic)).collect();
    for (i, token) in tokens.iter().enumerate() {
        if token.kind == TokenKind::Tag(crate::Kind::CardNumber) {
            found.push((i, Topic::Card));
        }
    }
    found.sort_by_key(|&(i, _)| i);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::ALL_LANGUAGES;

    fn run_digits(text: &str) -> Vec<String> {
        Utterance::new(text, ALL_LANGUAGES, &[]).runs.iter().map(Run::digits).collect()
    }

    #[test]
    fn spoken_and_written_numbers_become_runs() {
        assert_eq!(run_digits("it's 4532 0151 1283 0366 thanks"), ["4532015112830366"]);
        assert_eq!(run_digits("four five three two, oh one five one"), ["45320151"]);
        assert_eq!(run_digits("forty-five thirty-two, double five"), ["453255"]);
        assert_eq!(run_digits("twenty twenty-seven"), ["2027"]);
        assert_eq!(run_digits("fem og førti, tre to"), ["4532"]);
        assert_eq!(run_digits("cuarenta y cinco treinta y dos"), ["4532"]);
        assert_eq!(run_digits("vijfenveertig tweeëndertig"), ["4532"]);
        assert_eq!(run_digits("quarantacinque trentadue"), ["4532"]);
        assert_eq!(run_digits("nelikümmend viis kolmkümmend kaks"), ["4532"]);
        assert_eq!(run_digits("two thousand and twenty seven"), ["2027"]);
        assert_eq!(run_digits("forty-five hundred"), ["4500"]);
        assert_eq!(run_digits("4532 uh 0151"), ["45320151"]);
        // Weak words alone are not numbers.
        assert!(run_digits("I want to go").is_empty());
        assert!(run_digits("one moment please").is_empty());
    }

    #[test]
    fn times_dates_and_codes_are_no_numbers() {
        assert!(run_digits("at 10:30 on 12/03/2024").is_empty());
        assert!(run_digits("the N300 router, on the 14th").is_empty());
        assert!(run_digits("kl. 10.30").is_empty());
        let u = Utterance::new("expires 09/27", ALL_LANGUAGES, &[]);
        assert_eq!(u.slash_dates.len(), 1);
        assert!(u.runs.is_empty());
    }

    #[test]
    fn surroundings_of_a_run() {
        let u = Utterance::new("it costs €45 or 120 kroner", ALL_LANGUAGES, &[]);
        assert!(u.runs.iter().all(|r| r.quantity));
        let u = Utterance::new("call +47 912 34 567", ALL_LANGUAGES, &[]);
        assert!(u.runs[0].plus);
        assert_eq!(u.runs[0].groups(), [2, 3, 2, 3]);
        let u = Utterance::new("September 2027", ALL_LANGUAGES, &[]);
        assert_eq!(u.runs[0].month.map(|m| m.0), Some(9));
        let u = Utterance::new("on 12 March 2026", ALL_LANGUAGES, &[]);
        assert!(u.runs.iter().all(|r| r.month.is_none() || r.month_day.is_some()));
        let u = Utterance::new("es 12345678 Z", ALL_LANGUAGES, &[]);
        assert_eq!(u.runs[0].letter_after.map(|l| l.0), Some('Z'));
    }
}
