//! Number shapes that are no part of a number: times (`10:30`, "kl. 10.30"), dates
//! (`12/03/2024`, `2024-03-15`), codes glued to letters (`N300`, `14th`); and `MM/YY`, an
//! expiry date when said in card talk.

use super::SlashDate;
use crate::lexicon;
use crate::token::{Token, TokenKind};

/// Marks tokens of times (`10:30`, "at 10.30"), dates (`12/03/2024`, `2024-03-15`) and codes
/// glued to letters (`N300`, `14th`) as blocked, and returns the `MM/YY` shapes.
pub(super) fn block_shapes(
    text: &str,
    tokens: &[Token],
    folded: &[String],
    blocked: &mut [bool],
) -> Vec<SlashDate> {
    let num = |i: usize| tokens.get(i).is_some_and(|t| t.kind == TokenKind::Num);
    let sep = |i: usize| tokens.get(i).filter(|t| t.kind == TokenKind::Sep).map(|t| t.text(text));
    let value = |i: usize| tokens.get(i).and_then(|t| t.text(text).parse::<u32>().ok());
    let len = |i: usize| tokens.get(i).map_or(0, |t| t.end - t.start);
    let mut slash_dates = Vec::new();
    for i in 0..tokens.len() {
        let t = tokens[i];
        // Glued to letters: a code, an ordinal, a model name.
        let word_at = |j: Option<usize>| {
            j.and_then(|j| tokens.get(j)).is_some_and(|n| n.kind == TokenKind::Word)
        };
        if t.kind == TokenKind::Num && (word_at(i.checked_sub(1)) || word_at(Some(i + 1))) {
            blocked[i] = true;
            continue;
        }
        if t.kind != TokenKind::Num || blocked[i] {
            continue;
        }
        // Times: 10:30, 10.30 after a time word or before am/pm.
        if sep(i + 1) == Some(":") && num(i + 2) {
            blocked[i] = true;
            blocked[i + 2] = true;
            continue;
        }
        let time_word_before = i >= 2
            && sep(i - 1).is_some_and(|s| s.trim().is_empty() || s.trim() == ".")
            && lexicon::TIME_WORDS.contains(&folded[i - 2].as_str());
        if sep(i + 1) == Some(".")
            && num(i + 2)
            && len(i) <= 2
            && len(i + 2) == 2
            && value(i).is_some_and(|h| h <= 24)
            && value(i + 2).is_some_and(|m| m < 60)
        {
            let suffix = tokens.get(i + 4).map(|t| lexicon::fold(t.text(text)));
            let clock_after = suffix
                .as_deref()
                .is_some_and(|s| ["am", "pm", "uur", "uhr", "horas", "h"].contains(&s));
            if time_word_before || clock_after {
                blocked[i] = true;
                blocked[i + 2] = true;
                continue;
            }
        }
        // Dates: three groups joined by the same `/`, `.` or `-`.
        if let (Some(a), Some(b)) = (sep(i + 1), sep(i + 3))
            && a == b
            && ["/", ".", "-"].contains(&a)
            && num(i + 2)
            && num(i + 4)
            && is_date(
                (len(i), value(i).unwrap_or(0)),
                (len(i + 2), value(i + 2).unwrap_or(0)),
                (len(i + 4), value(i + 4).unwrap_or(0)),
            )
        {
            for b in &mut blocked[i..=i + 4] {
                *b = true;
            }
            continue;
        }
        // Month and year: 09/27, 9/2027.
        if sep(i + 1) == Some("/")
            && num(i + 2)
            && len(i) <= 2
            && matches!(len(i + 2), 2 | 4)
            && value(i).is_some_and(|m| (1..=12).contains(&m))
            && !(sep(i + 3) == Some("/") && num(i + 4))
        {
            blocked[i] = true;
            blocked[i + 2] = true;
            slash_dates.push(SlashDate { first: i, last: i + 2 });
            continue;
        }
        // Any other `/` between digits ends a number: "3/4", "24/7".
        if sep(i + 1) == Some("/") || i.checked_sub(1).and_then(sep) == Some("/") {
            blocked[i] = true;
        }
    }
    slash_dates
}

/// Day, month and year in either order, or a year first (ISO): `(length, value)` per group.
fn is_date(a: (usize, u32), b: (usize, u32), c: (usize, u32)) -> bool {
    let day = |v: u32| (1..=31).contains(&v);
    let month = |v: u32| (1..=12).contains(&v);
    let short = |l: usize| (1..=2).contains(&l);
    if a.0 == 4 && short(b.0) && short(c.0) {
        return month(b.1) && day(c.1);
    }
    short(a.0)
        && short(b.0)
        && matches!(c.0, 2 | 4)
        && ((day(a.1) && month(b.1)) || (month(a.1) && day(b.1)))
}
