//! Word normalisation for phrase matching: case, accents, punctuation, contractions, number words.
//!
//! Phrase lists and transcripts go through the same normaliser, so a rule written as
//! `"10 minutes"` also matches "ten minutes", and `"cómo"` matches a typed "como".

use rustc_hash::FxHashMap;

/// Language-specific normalisation rules; unknown languages get the generic ones.
#[derive(Debug, Clone)]
pub struct Normalizer {
    english_contractions: bool,
    numbers: FxHashMap<String, u32>,
    /// Words that join a tens word and a unit word ("treinta y cinco").
    number_joiners: &'static [&'static str],
}

/// Number words that also serve as articles ("een", "en", "un") are left out on purpose:
/// turning every "a" into "1" would make phrases match in surprising places.
fn number_words(lang: &str) -> (Vec<(String, u32)>, &'static [&'static str]) {
    let listed = |units: &[&str], tens: &[&str], extra: &[(&str, u32)]| -> Vec<(String, u32)> {
        let mut words: Vec<(String, u32)> = units
            .iter()
            .enumerate()
            .filter(|(_, w)| !w.is_empty())
            .map(|(i, w)| (w.to_string(), i as u32))
            .collect();
        words.extend(tens.iter().enumerate().map(|(i, w)| (w.to_string(), 20 + 10 * i as u32)));
        words.extend(extra.iter().map(|(w, n)| (w.to_string(), *n)));
        words
    };
    match lang {
        "en" => (
            listed(
                &[
                    "zero",
                    "one",
                    "two",
                    "three",
                    "four",
                    "five",
                    "six",
                    "seven",
                    "eight",
                    "nine",
                    "ten",
                    "eleven",
                    "twelve",
                    "thirteen",
                    "fourteen",
                    "fifteen",
                    "sixteen",
                    "seventeen",
                    "eighteen",
                    "nineteen",
                ],
                &["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
                &[("hundred", 100), ("thousand", 1000)],
            ),
            &[],
        ),
        "nb" | "no" => {
            let units = [
                "null", "", "to", "tre", "fire", "fem", "seks", "sju", "atte", "ni", "ti",
                "elleve", "tolv", "tretten", "fjorten", "femten", "seksten", "sytten", "atten",
                "nitten",
            ];
            let tens = ["tjue", "tretti", "forti", "femti", "seksti", "sytti", "atti", "nitti"];
            let mut words = listed(&units, &tens, &[("hundre", 100), ("tusen", 1000), ("syv", 7)]);
            // Bokmål writes 21–99 as one word, tens first: "tjuefem".
            let unit_words = ["en", "to", "tre", "fire", "fem", "seks", "sju", "atte", "ni"];
            for (t, tens_word) in tens.iter().enumerate() {
                for (u, unit_word) in unit_words.iter().enumerate() {
                    words.push((
                        format!("{tens_word}{unit_word}"),
                        20 + 10 * t as u32 + u as u32 + 1,
                    ));
                }
            }
            (words, &[])
        }
        "it" => {
            let units = [
                "zero",
                "uno",
                "due",
                "tre",
                "quattro",
                "cinque",
                "sei",
                "sette",
                "otto",
                "nove",
                "dieci",
                "undici",
                "dodici",
                "tredici",
                "quattordici",
                "quindici",
                "sedici",
                "diciassette",
                "diciotto",
                "diciannove",
            ];
            let tens = [
                "venti",
                "trenta",
                "quaranta",
                "cinquanta",
                "sessanta",
                "settanta",
                "ottanta",
                "novanta",
            ];
            let mut words = listed(&units, &tens, &[("cento", 100), ("mille", 1000)]);
            // Italian joins tens and units, dropping the tens' vowel before uno and otto.
            for (t, tens_word) in tens.iter().enumerate() {
                for (u, unit_word) in units[1..10].iter().enumerate() {
                    let stem = if unit_word.starts_with(['u', 'o']) {
                        &tens_word[..tens_word.len() - 1]
                    } else {
                        tens_word
                    };
                    words.push((format!("{stem}{unit_word}"), 20 + 10 * t as u32 + u as u32 + 1));
                }
            }
            (words, &[])
        }
        "nl" => {
            let units = [
                "nul",
                "",
                "twee",
                "drie",
                "vier",
                "vijf",
                "zes",
                "zeven",
                "acht",
                "negen",
                "tien",
                "elf",
                "twaalf",
                "dertien",
                "veertien",
                "vijftien",
                "zestien",
                "zeventien",
                "achttien",
                "negentien",
            ];
            let tens = [
                "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig",
                "negentig",
            ];
            let mut words = listed(&units, &tens, &[("honderd", 100), ("duizend", 1000)]);
            // Dutch says the unit first: "vijfentwintig"; "tweeëntwintig" folds to "tweeentwintig".
            let unit_words =
                ["een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"];
            for (t, tens_word) in tens.iter().enumerate() {
                for (u, unit_word) in unit_words.iter().enumerate() {
                    words.push((
                        format!("{unit_word}en{tens_word}"),
                        20 + 10 * t as u32 + u as u32 + 1,
                    ));
                }
            }
            (words, &[])
        }
        "es" => {
            let units = [
                "cero",
                "uno",
                "dos",
                "tres",
                "cuatro",
                "cinco",
                "seis",
                "siete",
                "ocho",
                "nueve",
                "diez",
                "once",
                "doce",
                "trece",
                "catorce",
                "quince",
                "dieciseis",
                "diecisiete",
                "dieciocho",
                "diecinueve",
            ];
            let tens = [
                "veinte",
                "treinta",
                "cuarenta",
                "cincuenta",
                "sesenta",
                "setenta",
                "ochenta",
                "noventa",
            ];
            let mut words = listed(&units, &tens, &[("cien", 100), ("ciento", 100), ("mil", 1000)]);
            for (u, unit_word) in units[1..10].iter().enumerate() {
                words.push((format!("veinti{unit_word}"), 21 + u as u32));
            }
            (words, &["y"])
        }
        "et" => {
            let units = [
                "null",
                "uks",
                "kaks",
                "kolm",
                "neli",
                "viis",
                "kuus",
                "seitse",
                "kaheksa",
                "uheksa",
                "kumme",
                "uksteist",
                "kaksteist",
                "kolmteist",
                "neliteist",
                "viisteist",
                "kuusteist",
                "seitseteist",
                "kaheksateist",
                "uheksateist",
            ];
            let tens = [
                "kakskummend",
                "kolmkummend",
                "nelikummend",
                "viiskummend",
                "kuuskummend",
                "seitsekummend",
                "kaheksakummend",
                "uheksakummend",
            ];
            (listed(&units, &tens, &[("sada", 100), ("tuhat", 1000)]), &[])
        }
        _ => (Vec::new(), &[]),
    }
}

impl Normalizer {
    pub fn new(lang: &str) -> Normalizer {
        let (words, number_joiners) = number_words(lang);
        Normalizer {
            english_contractions: lang == "en",
            numbers: words.into_iter().collect(),
            number_joiners,
        }
    }

    /// Appends the normalised words of `text` to `out`.
    pub fn words(&self, text: &str, out: &mut Vec<String>) {
        self.for_each_word(text, usize::MAX, |w| out.push(w.to_string()));
    }

    /// Calls `emit` with each normalised word of `text`, at most `limit` of them, without
    /// allocating per word: scoring calls this for every utterance.
    pub fn for_each_word(&self, text: &str, limit: usize, emit: impl FnMut(&str)) {
        let mut joiner = NumberJoiner {
            normalizer: self,
            emit,
            pending_tens: None,
            pending_joiner: None,
            count: 0,
            digits: String::new(),
        };
        let mut raw = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if is_apostrophe(c)
                && !raw.is_empty()
                && chars.peek().is_some_and(|n| n.is_alphanumeric())
            {
                raw.push('\'');
            } else if c.is_alphanumeric() {
                fold_into(c, &mut raw);
            } else if !raw.is_empty() {
                self.split_word(&raw, &mut joiner);
                raw.clear();
                if joiner.count >= limit {
                    break;
                }
            }
        }
        if !raw.is_empty() {
            self.split_word(&raw, &mut joiner);
        }
        joiner.flush();
    }

    /// Expands contractions and splits at apostrophes, then hands each part on.
    fn split_word<F: FnMut(&str)>(&self, raw: &str, joiner: &mut NumberJoiner<'_, F>) {
        if !raw.contains('\'') {
            joiner.word(raw);
        } else if let Some(expanded) =
            self.english_contractions.then(|| expand_english(raw)).flatten()
        {
            for part in expanded {
                joiner.word(part);
            }
        } else {
            for part in raw.split('\'').filter(|p| !p.is_empty()) {
                joiner.word(part);
            }
        }
    }
}

/// Turns number words into digits and joins "twenty five" (or "treinta y cinco") into "25".
struct NumberJoiner<'n, F: FnMut(&str)> {
    normalizer: &'n Normalizer,
    emit: F,
    pending_tens: Option<u32>,
    /// A joiner word seen after a tens word; emitted as a word if no unit follows.
    pending_joiner: Option<&'static str>,
    count: usize,
    digits: String,
}

impl<F: FnMut(&str)> NumberJoiner<'_, F> {
    fn word(&mut self, word: &str) {
        let number = self.normalizer.numbers.get(word).copied().or_else(|| {
            (word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit()))
                .then(|| word.parse().ok())
                .flatten()
        });
        if let (Some(tens), Some(unit)) = (self.pending_tens, number)
            && (1..10).contains(&unit)
        {
            self.pending_tens = None;
            self.pending_joiner = None;
            self.emit_number(tens + unit);
            return;
        }
        if self.pending_tens.is_some()
            && self.pending_joiner.is_none()
            && let Some(joiner) = self.normalizer.number_joiners.iter().find(|j| **j == word)
        {
            self.pending_joiner = Some(joiner);
            return;
        }
        self.flush();
        match number {
            Some(n) if (20..100).contains(&n) && n % 10 == 0 => self.pending_tens = Some(n),
            Some(n) => self.emit_number(n),
            None => {
                self.count += 1;
                (self.emit)(word);
            }
        }
    }

    fn emit_number(&mut self, n: u32) {
        use std::fmt::Write as _;
        self.digits.clear();
        let _ = write!(self.digits, "{n}");
        self.count += 1;
        (self.emit)(&self.digits);
    }

    fn flush(&mut self) {
        if let Some(tens) = self.pending_tens.take() {
            self.emit_number(tens);
        }
        if let Some(joiner) = self.pending_joiner.take() {
            self.count += 1;
            (self.emit)(joiner);
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '`')
}

/// Expands an English contraction; `None` when the word is not one we know.
fn expand_english(raw: &str) -> Option<Vec<&str>> {
    let whole = match raw {
        "can't" => Some(["can", "not"]),
        "won't" => Some(["will", "not"]),
        "shan't" => Some(["shall", "not"]),
        "ain't" => Some(["is", "not"]),
        "let's" => Some(["let", "us"]),
        _ => None,
    };
    if let Some(words) = whole {
        return Some(words.to_vec());
    }
    let (stem, tail) = raw.rsplit_once('\'')?;
    if stem.contains('\'') {
        return None;
    }
    let with = |w: &'static str| Some(vec![stem, w]);
    match tail {
        "t" if stem.ends_with('n') => Some(vec![&stem[..stem.len() - 1], "not"]),
        "re" => with("are"),
        "ve" => with("have"),
        "ll" => with("will"),
        "d" => with("would"),
        "m" => with("am"),
        "s" => match stem {
            "it" | "that" | "what" | "there" | "here" | "he" | "she" | "who" | "where" | "how" => {
                with("is")
            }
            // A possessive: "the company's policy" should match "company policy".
            _ => Some(vec![stem]),
        },
        _ => None,
    }
}

/// Lowercases `c` and strips its accents; `æ` and `ß` become two letters.
fn fold_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        match lower {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'č' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'š' => out.push('s'),
            'ž' => out.push('z'),
            'ß' => out.push_str("ss"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(lang: &str, text: &str) -> String {
        let mut out = Vec::new();
        Normalizer::new(lang).words(text, &mut out);
        out.join(" ")
    }

    #[test]
    fn normalises_case_accents_punctuation_and_contractions() {
        let cases = [
            (
                "en",
                "It's the company's POLICY, I'm afraid!",
                "it is the company policy i am afraid",
            ),
            ("en", "I don't know; we can't, won't.", "i do not know we can not will not"),
            ("en", "Twenty-five minutes, or ten?", "25 minutes or 10"),
            ("es", "¿Cómo está? Treinta y cinco euros", "como esta 35 euros"),
            ("it", "Un'altra offerta: ventotto euro", "un altra offerta 28 euro"),
            (
                "nb",
                "Hei! Det blir tjuefem kroner, også på Tromsø",
                "hei det blir 25 kroner ogsa pa tromso",
            ),
            ("nl", "Dat kost vijfentwintig euro", "dat kost 25 euro"),
            ("nl", "tweeëntwintig", "22"),
            ("et", "Aitäh! See maksab kakskümmend viis eurot", "aitah see maksab 25 eurot"),
            ("xx", "Ünknown ‘language’ ok", "unknown language ok"),
        ];
        for (lang, text, expected) in cases {
            assert_eq!(words(lang, text), expected, "{lang}: {text}");
        }
    }
}
