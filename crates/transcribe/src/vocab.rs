//! Whisper's byte-level BPE vocabulary: GPT-2's byte↔unicode table and the reading of a
//! CTranslate2 `vocabulary.txt` into the raw token bytes whisper.cpp stores.

use std::path::Path;

use crate::error::ModelError;

/// The token that ends the text tokens; whisper.cpp numbers its special tokens from it.
pub(crate) const END_OF_TEXT: &str = "<|endoftext|>";

/// GPT-2 writes every byte as a printable character: bytes that are printable Latin-1 keep
/// their own code point, the other 68 are moved, in order, to U+0100 onwards. This returns, for
/// each byte, the character that stands for it.
fn byte_to_char() -> [char; 256] {
    let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
    let mut table = ['\0'; 256];
    let mut moved = 0u32;
    for b in 0..=255u8 {
        let code = if printable(b) {
            u32::from(b)
        } else {
            moved += 1;
            255 + moved
        };
        // Every code here is below U+0144, so the conversion cannot fail.
        table[usize::from(b)] = char::from_u32(code).unwrap_or('\0');
    }
    table
}

/// Maps GPT-2 token text back to bytes.
pub(crate) struct ByteDecoder {
    /// Indexed by code point; the table only covers U+0000..U+0144.
    bytes: Vec<Option<u8>>,
}

impl ByteDecoder {
    pub(crate) fn new() -> ByteDecoder {
        let mut bytes = vec![None; 0x144];
        for (b, c) in byte_to_char().iter().enumerate() {
            if let Some(slot) = bytes.get_mut(*c as usize) {
                *slot = u8::try_from(b).ok();
            }
        }
        ByteDecoder { bytes }
    }

    /// Decodes a token's text; on failure returns the first character outside the table.
    pub(crate) fn decode(&self, token: &str) -> Result<Vec<u8>, char> {
        token.chars().map(|c| self.bytes.get(c as usize).copied().flatten().ok_or(c)).collect()
    }
}

/// The text tokens of a vocabulary, as raw bytes, ready for the ggml file.
#[derive(Debug)]
pub(crate) struct Vocabulary {
    pub tokens: Vec<Vec<u8>>,
}

/// Parses `vocabulary.txt` (one token per line, GPT-2 encoded) and checks it against the
/// model: `n_vocab` lines in all, with `<|endoftext|>` where whisper.cpp expects it.
pub(crate) fn parse_vocabulary(
    text: &str,
    n_vocab: u64,
    multilingual: bool,
    path: &Path,
) -> Result<Vocabulary, ModelError> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    let total = lines.len();
    if total as u64 != n_vocab {
        return Err(ModelError::Vocabulary {
            path: path.to_path_buf(),
            reason: format!(
                "vocabulary size mismatch: {total} tokens, but the model's embedding has {n_vocab} rows"
            ),
        });
    }
    let eot =
        lines.iter().position(|l| *l == END_OF_TEXT).ok_or_else(|| ModelError::Vocabulary {
            path: path.to_path_buf(),
            reason: format!("no {END_OF_TEXT} token"),
        })?;
    // whisper.cpp numbers the special tokens itself from this position: 50256 for English-only
    // models, 50257 for multilingual ones.
    let expected = if multilingual { 50257 } else { 50256 };
    if eot != expected {
        return Err(ModelError::Vocabulary {
            path: path.to_path_buf(),
            reason: format!(
                "{END_OF_TEXT} is token {eot}, but a {} model needs it at {expected}",
                if multilingual { "multilingual" } else { "english-only" }
            ),
        });
    }
    let decoder = ByteDecoder::new();
    let mut tokens = Vec::with_capacity(eot);
    for (i, line) in lines.iter().take(eot).enumerate() {
        let bytes = decoder.decode(line).map_err(|c| ModelError::VocabularyLine {
            path: path.to_path_buf(),
            line: i + 1,
            reason: format!("character {c:?} (U+{:04X}) is not in the GPT-2 byte table", c as u32),
        })?;
        tokens.push(bytes);
    }
    Ok(Vocabulary { tokens })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_table_is_a_bijection_with_known_points() {
        let table = byte_to_char();
        let mut seen: Vec<char> = table.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 256);
        // Well-known GPT-2 characters: space is 'Ġ', newline 'Ċ', tab 'ĉ', NUL 'Ā', 0xAD 'Ń'.
        assert_eq!(table[usize::from(b' ')], 'Ġ');
        assert_eq!(table[usize::from(b'\n')], 'Ċ');
        assert_eq!(table[usize::from(b'\t')], 'ĉ');
        assert_eq!(table[0], 'Ā');
        assert_eq!(table[0xAD], 'Ń');
        assert_eq!(table[usize::from(b'a')], 'a');
        assert_eq!(table[0xE9], 'é');
    }

    #[test]
    fn decodes_tokens_back_to_bytes() {
        let d = ByteDecoder::new();
        assert_eq!(d.decode("ĠAnd").expect("ascii"), b" And");
        assert_eq!(d.decode("ĊĊ").expect("newlines"), b"\n\n");
        // "é" in UTF-8 is C3 A9, which GPT-2 writes as "Ã©".
        assert_eq!(d.decode("Ã©").expect("utf-8 bytes"), "é".as_bytes());
        assert_eq!(d.decode("").expect("empty"), b"");
        assert_eq!(d.decode("a\u{2603}"), Err('\u{2603}'));
        // U+0100 ('Ā') is byte 0; U+0144 is one past the table.
        assert_eq!(d.decode("\u{100}").expect("nul"), [0]);
        assert_eq!(d.decode("\u{144}"), Err('\u{144}'));
    }

    fn english_vocab(extra_after_eot: usize) -> String {
        let mut lines: Vec<String> = (0..50256).map(|i| format!("t{i}")).collect();
        lines.push(END_OF_TEXT.to_owned());
        lines.extend((0..extra_after_eot).map(|i| format!("<|x{i}|>")));
        lines.join("\n") + "\n"
    }

    #[test]
    fn vocabulary_checks_size_and_end_of_text() {
        let text = english_vocab(3);
        let v = parse_vocabulary(&text, 50260, false, Path::new("vocabulary.txt")).expect("ok");
        assert_eq!(v.tokens.len(), 50256);
        assert_eq!(v.tokens[7], b"t7");

        let err = parse_vocabulary(&text, 51864, false, Path::new("vocabulary.txt"))
            .expect_err("size mismatch");
        assert_eq!(
            err.to_string(),
            "vocabulary.txt: vocabulary size mismatch: 50260 tokens, but the model's embedding has 51864 rows"
        );

        let err = parse_vocabulary(&text, 50260, true, Path::new("vocabulary.txt"))
            .expect_err("multilingual needs 50257");
        assert!(err.to_string().contains("needs it at 50257"), "{err}");
    }

    #[test]
    fn vocabulary_line_errors_name_the_line() {
        let mut text = english_vocab(0);
        text.replace_range(0..2, "☃");
        let err = parse_vocabulary(&text, 50257, false, Path::new("v.txt")).expect_err("snowman");
        assert_eq!(
            err.to_string(),
            "v.txt:1: character '☃' (U+2603) is not in the GPT-2 byte table"
        );
    }
}
