//! Splitting an utterance into tokens with their byte ranges: digit runs, words, separators,
//! and the tags of an earlier redaction, which are kept whole so that redacting twice changes
//! nothing.

use crate::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// ASCII digits.
    Num,
    /// Letters, with apostrophes inside ("it's").
    Word,
    /// Anything else: spaces, punctuation, symbols (a maximal run of them).
    Sep,
    /// A tag an earlier redaction put there.
    Tag(Kind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Token {
    pub(crate) fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// The tag at the start of `rest`, if one is there, with its length in bytes.
fn tag_at(rest: &str) -> Option<(Kind, usize)> {
    if !rest.starts_with('[') {
        return None;
    }
    for kind in Kind::ALL {
        let plain = kind.tag(None);
        if rest.starts_with(&plain) {
            return Some((kind, plain.len()));
        }
    }
    // "[card number ending 0366]"
    let prefix = "[card number ending ";
    let after = rest.strip_prefix(prefix)?;
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    (digits == 4 && after[digits..].starts_with(']'))
        .then_some((Kind::CardNumber, prefix.len() + digits + 1))
}

fn class(c: char) -> TokenKind {
    if c.is_ascii_digit() {
        TokenKind::Num
    } else if c.is_alphabetic() {
        TokenKind::Word
    } else {
        TokenKind::Sep
    }
}

/// The tokens of `text`, covering it from start to end.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c == '['
            && let Some((kind, len)) = tag_at(&text[start..])
        {
            tokens.push(Token { kind: TokenKind::Tag(kind), start, end: start + len });
            while chars.peek().is_some_and(|&(at, _)| at < start + len) {
                chars.next();
            }
            continue;
        }
        let kind = class(c);
        let mut end = start + c.len_utf8();
        while let Some(&(at, next)) = chars.peek() {
            let same = class(next) == kind && !(kind == TokenKind::Sep && next == '[');
            // An apostrophe between letters stays in the word: "it's", "l'anno".
            let apostrophe = kind == TokenKind::Word
                && (next == '\'' || next == '’')
                && text[at + next.len_utf8()..].chars().next().is_some_and(char::is_alphabetic);
            if !(same || apostrophe) {
                break;
            }
            end = at + next.len_utf8();
            chars.next();
        }
        tokens.push(Token { kind, start, end });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text).iter().map(|t| (t.kind, t.text(text))).collect()
    }

    #[test]
    fn digits_words_separators_and_tags() {
        use TokenKind::*;
        assert_eq!(
            kinds("It's 4532-0151, forty-five"),
            [
                (Word, "It's"),
                (Sep, " "),
                (Num, "4532"),
                (Sep, "-"),
                (Num, "0151"),
                (Sep, ", "),
                (Word, "forty"),
                (Sep, "-"),
                (Word, "five")
            ]
        );
        assert_eq!(
            kinds("ok [card number ending 0366], [email]"),
            [
                (Word, "ok"),
                (Sep, " "),
                (Tag(Kind::CardNumber), "[card number ending 0366]"),
                (Sep, ", "),
                (Tag(Kind::Email), "[email]"),
            ]
        );
        assert_eq!(kinds("[x] ø"), [(Sep, "["), (Word, "x"), (Sep, "] "), (Word, "ø")]);
    }
}
