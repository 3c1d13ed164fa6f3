//! Word lists of the six rubric languages (en, nb, it, nl, es, et): spoken numbers, words that
//! may sit inside a spoken number, month names, units and currencies, time words. Words are
//! looked up folded ([`fold`]): lowercase, common Latin accents removed.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Lowercase with the accents of the six languages' alphabets removed ("førti" → "forti",
/// "dieciséis" → "dieciseis", "üheksa" → "uheksa"), so lists need one spelling.
pub(crate) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'á' | 'â' | 'ä' | 'å' | 'ã' | 'ā' => 'a',
            'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'š' => 's',
            'ž' => 'z',
            '’' => '\'',
            other => other,
        };
        out.push(plain);
    }
    out
}

/// What a number word contributes to a spoken number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberWord {
    /// 0–9.
    Digit(u8),
    /// 10–19.
    Teen(u8),
    /// 20, 30, … 90.
    Tens(u8),
    /// A whole number in one word: "forty-five" written together ("førtifem", "vijfenveertig",
    /// "quarantacinque", "veintisiete") or a year ("duemilaventisette").
    Whole(u32),
    Hundred,
    Thousand,
    /// "double", "triple": the next digit said that many times.
    Repeat(u8),
}

/// A number word and whether it is weak: also an everyday word somewhere ("to", "fire", "en",
/// "sei", "due"), so it only counts beside an unmistakable number.
pub(crate) type Entry = (NumberWord, bool);

/// A set of the six languages as bits, in the order en, nb, it, nl, es, et.
pub(crate) type Languages = u8;
pub(crate) const ALL_LANGUAGES: Languages = 0b11_1111;

/// The languages whose number words count in a transcript of `code` (ISO 639-1; Whisper says
/// `no` for Norwegian): that language alone, or all six when it is unknown or another.
pub(crate) fn languages(code: Option<&str>) -> Languages {
    match code.map(str::to_ascii_lowercase).as_deref() {
        Some("en") => 1,
        Some("nb" | "no" | "nn") => 1 << 1,
        Some("it") => 1 << 2,
        Some("nl") => 1 << 3,
        Some("es") => 1 << 4,
        Some("et") => 1 << 5,
        _ => ALL_LANGUAGES,
    }
}

/// Words that are numbers in one language and everyday words in another, or articles.
const WEAK: &[&str] = &[
    "oh", "one", "en", "ett", "ein", "to", "fire", "ni", "ti", "uno", "una", "un", "due", "sei",
    "sette", "otto", "een", "elf", "viis", "kuus", "mil", "ten", "nove",
];

static NUMBERS: LazyLock<HashMap<String, (NumberWord, Languages)>> = LazyLock::new(build_numbers);

/// The number word `folded` is in one of `languages`, if any.
pub(crate) fn number_word(folded: &str, languages: Languages) -> Option<Entry> {
    let (word, of) = NUMBERS.get(folded)?;
    (of & languages != 0).then(|| (*word, WEAK.contains(&folded)))
}

const EN: Languages = 1;
const NB: Languages = 1 << 1;
const IT: Languages = 1 << 2;
const NL: Languages = 1 << 3;
const ES: Languages = 1 << 4;
const ET: Languages = 1 << 5;
/// The order of the per-language lists below.
const ORDER: [Languages; 6] = [EN, NB, IT, NL, ES, ET];

fn build_numbers() -> HashMap<String, (NumberWord, Languages)> {
    use NumberWord::*;
    let mut map: HashMap<String, (NumberWord, Languages)> = HashMap::new();
    let mut add = |word: &str, value: NumberWord, language: Languages| {
        map.entry(fold(word)).and_modify(|e| e.1 |= language).or_insert((value, language));
    };
    // Units 0–9 per language, then teens and tens; index = value.
    let units: &[&[&str]] = &[
        &["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
        &["null", "en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni"],
        &["zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"],
        &["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"],
        &["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
        &["null", "üks", "kaks", "kolm", "neli", "viis", "kuus", "seitse", "kaheksa", "üheksa"],
    ];
    for (list, language) in units.iter().zip(ORDER) {
        for (value, word) in list.iter().enumerate() {
            add(word, Digit(value as u8), language);
        }
    }
    for (word, value, language) in [
        ("oh", 0, EN),
        ("nought", 0, EN),
        ("ett", 1, NB),
        ("én", 1, NB),
        ("ein", 1, NB),
        ("syv", 7, NB),
        ("una", 1, IT | ES),
        ("un", 1, IT | ES),
        ("één", 1, NL),
        ("ühe", 1, ET),
    ] {
        add(word, Digit(value), language);
    }
    let teens: &[&[&str]] = &[
        &[
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
        &[
            "ti", "elleve", "tolv", "tretten", "fjorten", "femten", "seksten", "sytten", "atten",
            "nitten",
        ],
        &[
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
        ],
        &[
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
        ],
        &[
            "diez",
            "once",
            "doce",
            "trece",
            "catorce",
            "quince",
            "dieciséis",
            "diecisiete",
            "dieciocho",
            "diecinueve",
        ],
        &[
            "kümme",
            "üksteist",
            "kaksteist",
            "kolmteist",
            "neliteist",
            "viisteist",
            "kuusteist",
            "seitseteist",
            "kaheksateist",
            "üheksateist",
        ],
    ];
    for (list, language) in teens.iter().zip(ORDER) {
        for (offset, word) in list.iter().enumerate() {
            add(word, Teen(10 + offset as u8), language);
        }
    }
    // Tens 20–90 per language, in the order of `units`.
    let tens: [[&str; 8]; 6] = [
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
        ["tjue", "tretti", "førti", "femti", "seksti", "sytti", "åtti", "nitti"],
        ["venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta"],
        ["twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"],
        ["veinte", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"],
        [
            "kakskümmend",
            "kolmkümmend",
            "nelikümmend",
            "viiskümmend",
            "kuuskümmend",
            "seitsekümmend",
            "kaheksakümmend",
            "üheksakümmend",
        ],
    ];
    for (list, language) in tens.iter().zip(ORDER) {
        for (index, word) in list.iter().enumerate() {
            add(word, Tens(20 + 10 * index as u8), language);
        }
    }
    for (word, value, language) in [("tyve", 20, NB), ("tredve", 30, NB), ("fourty", 40, EN)] {
        add(word, Tens(value), language);
    }
    // 21–99 written as one word.
    for (t, tens_word) in tens[1].iter().enumerate() {
        // Bokmål: tens first, "førtifem".
        for (u, unit) in
            ["en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni"].iter().enumerate()
        {
            add(&format!("{tens_word}{unit}"), Whole(20 + 10 * t as u32 + u as u32 + 1), NB);
        }
        add(&format!("{tens_word}syv"), Whole(20 + 10 * t as u32 + 7), NB);
        add(&format!("{tens_word}ett"), Whole(20 + 10 * t as u32 + 1), NB);
    }
    let italian_units = ["uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"];
    for (t, tens_word) in tens[2].iter().enumerate() {
        for (u, unit) in italian_units.iter().enumerate() {
            // "ventuno", "trentotto": the tens word loses its vowel before a vowel.
            let stem = if unit.starts_with(['u', 'o']) {
                &tens_word[..tens_word.len() - 1]
            } else {
                tens_word
            };
            add(&format!("{stem}{unit}"), Whole(20 + 10 * t as u32 + u as u32 + 1), IT);
        }
    }
    let dutch_units = ["een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"];
    for (t, tens_word) in tens[3].iter().enumerate() {
        for (u, unit) in dutch_units.iter().enumerate() {
            // Units first: "vijfenveertig"; after a vowel "tweeëntwintig", folded to "tweeen…".
            let value = 20 + 10 * t as u32 + u as u32 + 1;
            add(&format!("{unit}en{tens_word}"), Whole(value), NL);
            add(&format!("{unit}ën{tens_word}"), Whole(value), NL);
        }
    }
    for (word, value) in [
        ("veintiuno", 21),
        ("veintiún", 21),
        ("veintidós", 22),
        ("veintitrés", 23),
        ("veinticuatro", 24),
        ("veinticinco", 25),
        ("veintiséis", 26),
        ("veintisiete", 27),
        ("veintiocho", 28),
        ("veintinueve", 29),
    ] {
        add(word, Whole(value), ES);
    }
    // Italian and Dutch years in one word: "duemilaventisette", "tweeduizendzevenentwintig".
    let italian_below_100: Vec<(String, u32)> = italian_words_below_100();
    add("duemila", Whole(2000), IT);
    add("tweeduizend", Whole(2000), NL);
    for (word, value) in &italian_below_100 {
        add(&format!("duemila{word}"), Whole(2000 + value), IT);
    }
    for (word, value) in dutch_words_below_100() {
        add(&format!("tweeduizend{word}"), Whole(2000 + value), NL);
    }
    for (word, language) in [
        ("hundred", EN),
        ("hundre", NB),
        ("cento", IT),
        ("honderd", NL),
        ("cien", ES),
        ("ciento", ES),
        ("sada", ET),
        ("saja", ET),
    ] {
        add(word, Hundred, language);
    }
    for (word, language) in [
        ("thousand", EN),
        ("tusen", NB),
        ("mille", IT),
        ("mila", IT),
        ("duizend", NL),
        ("mil", ES),
        ("tuhat", ET),
        ("tuhande", ET),
    ] {
        add(word, Thousand, language);
    }
    for (word, language) in [
        ("double", EN),
        ("dobbel", NB),
        ("dubbel", NL),
        ("doppio", IT),
        ("doble", ES),
        ("topelt", ET),
    ] {
        add(word, Repeat(2), language);
    }
    for (word, language) in
        [("triple", EN | ES), ("trippel", NB), ("tripel", NL), ("triplo", IT), ("kolmekordne", ET)]
    {
        add(word, Repeat(3), language);
    }
    map
}

fn italian_words_below_100() -> Vec<(String, u32)> {
    let units = ["", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"];
    let teens = [
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
    let tens =
        ["venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta"];
    let mut words: Vec<(String, u32)> =
        units.iter().enumerate().skip(1).map(|(v, w)| (w.to_string(), v as u32)).collect();
    words.extend(teens.iter().enumerate().map(|(v, w)| (w.to_string(), 10 + v as u32)));
    for (t, tens_word) in tens.iter().enumerate() {
        for (u, unit) in units.iter().enumerate() {
            let stem = if unit.starts_with(['u', 'o']) {
                &tens_word[..tens_word.len() - 1]
            } else {
                tens_word
            };
            words.push((format!("{stem}{unit}"), 20 + 10 * t as u32 + u as u32));
        }
    }
    words
}

fn dutch_words_below_100() -> Vec<(String, u32)> {
    let units = ["", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"];
    let teens = [
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
    let tens =
        ["twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"];
    let mut words: Vec<(String, u32)> =
        units.iter().enumerate().skip(1).map(|(v, w)| (w.to_string(), v as u32)).collect();
    words.extend(teens.iter().enumerate().map(|(v, w)| (w.to_string(), 10 + v as u32)));
    for (t, tens_word) in tens.iter().enumerate() {
        words.push((tens_word.to_string(), 20 + 10 * t as u32));
        for (u, unit) in units.iter().enumerate().skip(1) {
            let value = 20 + 10 * t as u32 + u as u32;
            words.push((format!("{unit}en{tens_word}"), value));
            words.push((format!("{unit}ën{tens_word}"), value));
        }
    }
    words
}

/// Words that join a tens and a unit word ("cuarenta y cinco", "fem og førti", "one hundred
/// and five").
pub(crate) const JOINERS: &[&str] = &["and", "og", "y", "e", "ja"];

/// Hesitations and words people put between the groups of a number they dictate, which do not
/// end it ("4532, uh, 0151", "fire fem, øh, tre to").
pub(crate) const FILLERS: &[&str] = &[
    "uh", "um", "umm", "er", "erm", "eh", "ehm", "ah", "hmm", "mm", "mhm", "øh", "eh", "ehm", "öö",
    "ee", "then", "så", "poi", "dan", "luego", "siis",
];

/// Words that say nothing of their own around a dictated number: acknowledgements and the
/// words that introduce a group ("yes, the next four are …", "ja, og så …"). They do not count
/// as talk when deciding whether an utterance is only a number, or an interjection.
pub(crate) const ACKNOWLEDGEMENTS: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "ok",
    "okay",
    "right",
    "sure",
    "alright",
    "so",
    "the",
    "next",
    "group",
    "groups",
    "digits",
    "digit",
    "numbers",
    "number",
    "is",
    "it's",
    "its",
    "are",
    "that's",
    "thats",
    "correct",
    "exactly",
    "great",
    "perfect",
    "thanks",
    "thank",
    "you",
    "go",
    "on",
    "and",
    "then",
    "got",
    "it",
    "last",
    "first",
    "hm",
    "mm",
    "mhm",
    "uh",
    "um",
    "er",
    "erm",
    "sorry",
    "ja",
    "jo",
    "greit",
    "fint",
    "takk",
    "og",
    "sa",
    "neste",
    "er",
    "det",
    "siste",
    "forste",
    "riktig",
    "stemmer",
    "tallene",
    "sifrene",
    "si",
    "va",
    "bene",
    "perfetto",
    "grazie",
    "e",
    "poi",
    "il",
    "i",
    "le",
    "sono",
    "giusto",
    "esatto",
    "prossimi",
    "ultimi",
    "numeri",
    "cifre",
    "allora",
    "oke",
    "goed",
    "prima",
    "dank",
    "je",
    "u",
    "dan",
    "de",
    "het",
    "zijn",
    "klopt",
    "precies",
    "volgende",
    "laatste",
    "cijfers",
    "vale",
    "bien",
    "perfecto",
    "gracias",
    "y",
    "luego",
    "el",
    "los",
    "la",
    "las",
    "es",
    "son",
    "correcto",
    "exacto",
    "siguientes",
    "ultimos",
    "numeros",
    "bueno",
    "jah",
    "jaa",
    "hea",
    "selge",
    "aitah",
    "siis",
    "on",
    "oige",
    "tapselt",
    "jargmised",
    "viimased",
    "numbrid",
    "eh",
    "ehm",
    "oh",
];

static ACKNOWLEDGED: LazyLock<std::collections::HashSet<&'static str>> =
    LazyLock::new(|| ACKNOWLEDGEMENTS.iter().copied().collect());

/// True for an acknowledgement (folded).
pub(crate) fn acknowledgement(folded: &str) -> bool {
    ACKNOWLEDGED.contains(folded)
}

/// "or" between two numbers: alternatives, not one number.
pub(crate) const OR_WORDS: &[&str] = &["or", "eller", "o", "oppure", "of", "voi"];

/// "plus" before a spoken international number.
pub(crate) const PLUS_WORDS: &[&str] = &["plus", "pluss", "piu", "mas"];

/// Month names (folded) of the six languages, 1-based; abbreviations that are no other word.
pub(crate) fn month(folded: &str) -> Option<u8> {
    const MONTHS: &[&[&str]] = &[
        &["january", "januar", "gennaio", "januari", "enero", "jaanuar", "jan"],
        &["february", "februar", "febbraio", "februari", "febrero", "veebruar", "feb"],
        &["march", "mars", "marzo", "maart", "marts", "marts"],
        &["april", "aprile", "abril", "aprill"],
        &["may", "mai", "maggio", "mei", "mayo"],
        &["june", "juni", "giugno", "junio", "juuni"],
        &["july", "juli", "luglio", "julio", "juuli"],
        &["august", "agosto", "augustus"],
        &["september", "settembre", "septiembre", "setiembre", "sep", "sept"],
        &["october", "oktober", "ottobre", "octubre", "oktoober", "oct", "okt"],
        &["november", "noviembre", "nov"],
        &["december", "desember", "dicembre", "diciembre", "detsember", "dec", "des", "dic"],
    ];
    MONTHS.iter().position(|names| names.contains(&folded)).map(|i| i as u8 + 1)
}

/// Words between a month and its year: "September of 2027", "settembre del 2027".
pub(crate) const MONTH_YEAR_LINKS: &[&str] = &["of", "de", "del", "di", "van", "i", "aastal"];

/// Currencies and units after (or, for currencies, before) a number: a price or a quantity is
/// not a code. Folded; a trailing `*` matches any ending.
pub(crate) const UNITS: &[&str] = &[
    "kr",
    "kroner",
    "krone",
    "nok",
    "sek",
    "dkk",
    "eur",
    "euro",
    "euros",
    "eurot",
    "euroa",
    "usd",
    "dollar*",
    "gbp",
    "pound*",
    "pence",
    "p",
    "cent*",
    "centesimi",
    "centavos",
    "sent*",
    "percent",
    "prosent",
    "per",
    "procent",
    "porcentaje",
    "protsent*",
    "%",
    "minute*",
    "min",
    "minutt*",
    "minut*",
    "second*",
    "sekund*",
    "secondi",
    "segundo*",
    "hour*",
    "time",
    "timer",
    "ore",
    "ora",
    "hora*",
    "uur",
    "tund*",
    "day*",
    "dag*",
    "dager",
    "giorn*",
    "dia*",
    "paev*",
    "week*",
    "uke*",
    "settiman*",
    "seman*",
    "weken",
    "nadal*",
    "month*",
    "maaned*",
    "mes*",
    "maand*",
    "kuu*",
    "year*",
    "ar",
    "anni",
    "anno",
    "ano*",
    "jaar",
    "aasta*",
    "gb",
    "mb",
    "gigabyte*",
    "megabyte*",
    "giga",
    "kwh",
    "kilowat*",
    "point*",
    "punti",
    "punto*",
    "punt*",
    "poeng",
    "punkti",
    "punkte",
    "times",
    "ganger",
    "volte",
    "veces",
    "keer",
    "korda",
    "km",
    "kilomet*",
    "meter*",
    "metri",
    "metro*",
    "kg",
    "kilo*",
    "pm",
    "am",
    "o'clock",
    "klokka",
    "items",
    "stykk*",
    "pezzi",
    "stuk*",
    "unidad*",
    "tukki",
    "people",
    "persons",
    "personer",
    "persone",
    "personen",
    "personas",
    "inimest",
];

/// Currency signs and words before a number.
pub(crate) const CURRENCY_BEFORE: &[&str] = &["kr", "nok", "eur", "usd", "gbp", "sek", "dkk"];

/// Words before a time of day: "at 10.30", "kl. 14.15", "alle 9.30", "a las 10.30".
pub(crate) const TIME_WORDS: &[&str] = &[
    "at", "kl", "klokka", "klokken", "alle", "ore", "om", "las", "la", "um", "kell", "kella",
    "till", "until", "before", "after", "by", "fra", "til", "dalle", "desde", "hasta", "van",
    "tot", "voor", "na",
];

/// True when `folded` is in `list`, where an entry ending in `*` matches any word it begins.
pub(crate) fn listed(list: &[&str], folded: &str) -> bool {
    list.iter().any(|entry| match entry.strip_suffix('*') {
        Some(stem) => folded.starts_with(stem),
        None => *entry == folded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words_of_every_language_are_known() {
        let cases = [
            ("four", NumberWord::Digit(4)),
            ("førti", NumberWord::Tens(40)),
            ("førtifem", NumberWord::Whole(45)),
            ("quarantacinque", NumberWord::Whole(45)),
            ("ventotto", NumberWord::Whole(28)),
            ("vijfenveertig", NumberWord::Whole(45)),
            ("tweeëntwintig", NumberWord::Whole(22)),
            ("veintisiete", NumberWord::Whole(27)),
            ("nelikümmend", NumberWord::Tens(40)),
            ("üheksa", NumberWord::Digit(9)),
            ("duemilaventisette", NumberWord::Whole(2027)),
            ("tweeduizendzevenentwintig", NumberWord::Whole(2027)),
            ("dieciséis", NumberWord::Teen(16)),
            ("double", NumberWord::Repeat(2)),
        ];
        for (word, expected) in cases {
            assert_eq!(
                number_word(&fold(word), ALL_LANGUAGES).map(|e| e.0),
                Some(expected),
                "{word}"
            );
        }
        assert_eq!(number_word("to", ALL_LANGUAGES), Some((NumberWord::Digit(2), true)));
        assert_eq!(number_word("tre", ALL_LANGUAGES), Some((NumberWord::Digit(3), false)));
        assert_eq!(number_word("card", ALL_LANGUAGES), None);
        // In an English transcript "to" and "fire" are words, not numbers.
        assert_eq!(number_word("to", languages(Some("en"))), None);
        assert_eq!(number_word("fire", languages(Some("en"))), None);
        assert!(number_word("fire", languages(Some("no"))).is_some());
    }

    #[test]
    fn months_and_units() {
        assert_eq!(month("settembre"), Some(9));
        assert_eq!(month(&fold("märts")), Some(3));
        assert_eq!(month("desember"), Some(12));
        assert_eq!(month("card"), None);
        assert!(listed(UNITS, "euros"));
        assert!(listed(UNITS, "minutes"));
        assert!(!listed(UNITS, "card"));
    }
}
