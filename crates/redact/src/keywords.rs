//! What a conversation is about near a number: card talk, a security code, an expiry date, a
//! phone number, a national id, or a number that is not personal (an order, an account, a
//! policy). Phrases of the six languages, matched on folded words; `*` at the end of a word
//! matches any ending, at the start any beginning (compounds: "kredittkort", "bankpas").

/// The topics a keyword can announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Topic {
    Card,
    Security,
    Expiry,
    Phone,
    Id,
    /// Order, account, customer, policy, meter numbers and the like: not personal data.
    Other,
}

impl Topic {
    /// Security codes and expiry dates are card talk as well.
    pub(crate) fn is_card_talk(self) -> bool {
        matches!(self, Topic::Card | Topic::Security | Topic::Expiry)
    }
}

const CARD: &[&str] = &[
    "card*",
    "*card",
    "*cards",
    "*cardnummer*",
    "creditcard*",
    "debit",
    "visa",
    "mastercard",
    "amex",
    "american express",
    "maestro",
    "long number",
    "kort",
    "kortet",
    "kortets",
    "kortnummer*",
    "*kort",
    "*kortet",
    "*kortnummer*",
    "carta",
    "carte",
    "bancomat",
    "postepay",
    "kaart",
    "kaarten",
    "*kaart",
    "kaartnummer*",
    "*kaartnummer*",
    "bankpas*",
    "pinpas*",
    "betaalpas*",
    "pasnummer*",
    "pasje",
    "tarjeta*",
    "kaardi*",
    "*kaardi*",
    "kaardiga",
];

const SECURITY: &[&str] = &[
    "code",
    "kode",
    "koden",
    "codice",
    "codigo",
    "kood",
    "koodi",
    "cvv*",
    "cvc*",
    "cv2",
    "csc",
    "security code",
    "security number",
    "security digits",
    "verification code",
    "verification number",
    "three digits",
    "3 digits",
    "three digit",
    "three-digit",
    "four digits on the front",
    "back of the card",
    "on the back",
    "sikkerhetskode*",
    "kontrollsiffer*",
    "tre siffer*",
    "baksiden",
    "codice di sicurezza",
    "codice di verifica",
    "codice cvv",
    "tre cifre",
    "retro",
    "beveiligingscode",
    "controlecode",
    "verificatiecode",
    "drie cijfers",
    "achterkant",
    "codigo de seguridad",
    "tres digitos",
    "reverso",
    "dorso",
    "turvakood*",
    "kontrollkood*",
    "kolm numbrit",
    "kolmekohaline",
    "tagakulje*",
];

const EXPIRY: &[&str] = &[
    "expiry",
    "expires",
    "expire",
    "expiring",
    "expiration",
    "exp",
    "valid until",
    "valid thru",
    "valid through",
    "good thru",
    "good through",
    "end date",
    "utlop*",
    "gyldig til",
    "gyldig ut",
    "scadenza",
    "scade",
    "valida fino",
    "vervaldatum",
    "verloopt",
    "verloop*",
    "geldig tot",
    "caducidad",
    "caduca",
    "vencimiento",
    "vence",
    "fecha de expiracion",
    "kehtivus*",
    "kehtib",
    "aegub",
    "aegumis*",
];

const PHONE: &[&str] = &[
    "phone*",
    "telephone*",
    "mobile",
    "mobile number",
    "cell",
    "cellphone",
    "contact number",
    "reach you",
    "call you",
    "call me",
    "call you back",
    "call back",
    "call me back",
    "callback",
    "number to call",
    "ring you",
    "ring me",
    "whatsapp",
    "telefon*",
    "mobil",
    "mobilen",
    "mobilnummer*",
    "ringe",
    "ring meg",
    "na deg",
    "cellulare",
    "chiamare",
    "richiamare",
    "richiamarla",
    "richiamarti",
    "telefoon*",
    "mobiel*",
    "06-nummer",
    "bellen",
    "terugbellen",
    "telefono*",
    "movil",
    "celular",
    "llamar*",
    "llamarle",
    "telefoni*",
    "mobiil*",
    "helista*",
];

const ID: &[&str] = &[
    "social security",
    "ssn",
    "national id",
    "national identity",
    "national insurance",
    "id number",
    "identity number",
    "personal number",
    "personal identification",
    "fodselsnummer*",
    "personnummer*",
    "fnr",
    "d-nummer",
    "codice fiscale",
    "bsn",
    "burgerservicenummer*",
    "sofinummer*",
    "dni",
    "nie",
    "nif",
    "documento de identidad",
    "documento nacional",
    "isikukood*",
];

const OTHER: &[&str] = &[
    "order*",
    "account*",
    "reference",
    "ref",
    "policy",
    "invoice*",
    "customer number",
    "customer id",
    "meter*",
    "meter reading",
    "the reading",
    "case number",
    "case id",
    "ticket*",
    "incident*",
    "booking*",
    "tracking",
    "contract*",
    "member number",
    "membership number",
    "serial number",
    "model number",
    "postcode",
    "zip",
    "ordre*",
    "konto*",
    "kontonummer*",
    "kundenummer*",
    "referanse*",
    "faktura*",
    "maler*",
    "malerstand*",
    "avlesning*",
    "saksnummer*",
    "avtale*",
    "bestilling*",
    "ordine",
    "pratica",
    "polizza",
    "contratto",
    "fattura",
    "codice cliente",
    "numero cliente",
    "contatore",
    "lettura",
    "bestel*",
    "klantnummer*",
    "referentie*",
    "polis*",
    "factuur*",
    "meterstand*",
    "dossier*",
    "pedido*",
    "cliente",
    "referencia*",
    "poliza",
    "factura*",
    "contador*",
    "lectura",
    "incidencia*",
    "expediente",
    "contrato",
    "tellimus*",
    "kliendi*",
    "kliendinumber*",
    "viite*",
    "viitenumber*",
    "arve*",
    "leping*",
    "poliis*",
];

/// Every phrase list with its topic, most specific first: "card security code" announces a
/// security code, not only card talk.
const LISTS: &[(Topic, &[&str])] = &[
    (Topic::Security, SECURITY),
    (Topic::Expiry, EXPIRY),
    (Topic::Id, ID),
    (Topic::Phone, PHONE),
    (Topic::Card, CARD),
    (Topic::Other, OTHER),
];

/// Every phrase split into its words once, in the order of [`LISTS`], and indexed by its first
/// word: the phrases whose first word is plain by that word, the others (with `*`) apart.
struct Phrases {
    all: Vec<(Topic, Vec<&'static str>)>,
    by_first_word: std::collections::HashMap<&'static str, Vec<usize>>,
    wildcard_first: Vec<usize>,
}

static PHRASES: std::sync::LazyLock<Phrases> = std::sync::LazyLock::new(|| {
    let all: Vec<(Topic, Vec<&'static str>)> = LISTS
        .iter()
        .flat_map(|(topic, phrases)| phrases.iter().map(|p| (*topic, p.split(' ').collect())))
        .collect();
    let mut by_first_word: std::collections::HashMap<&'static str, Vec<usize>> =
        std::collections::HashMap::new();
    let mut wildcard_first = Vec::new();
    for (index, (_, parts)) in all.iter().enumerate() {
        let first = parts.first().copied().unwrap_or("");
        if first.contains('*') {
            wildcard_first.push(index);
        } else {
            by_first_word.entry(first).or_default().push(index);
        }
    }
    Phrases { all, by_first_word, wildcard_first }
});

fn word_matches(pattern: &str, word: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(inner), _) if inner.ends_with('*') => {
            let inner = &inner[..inner.len() - 1];
            word.len() > inner.len() && word.contains(inner)
        }
        (Some(suffix), None) => word.len() > suffix.len() && word.ends_with(suffix),
        (None, Some(prefix)) => word.starts_with(prefix),
        _ => word == pattern,
    }
}

/// The topics announced in a list of folded words: (index of the phrase's first word, topic).
/// A word belongs to at most one phrase, the first list's.
pub(crate) fn find(words: &[&str]) -> Vec<(usize, Topic)> {
    let phrases = &*PHRASES;
    // Every (phrase, start) that matches, then taken in the order of the lists.
    let mut matches: Vec<(usize, usize)> = Vec::new();
    for (start, word) in words.iter().enumerate() {
        let plain = phrases.by_first_word.get(word).map_or(&[][..], Vec::as_slice);
        for &index in plain.iter().chain(&phrases.wildcard_first) {
            let parts = &phrases.all[index].1;
            let fits = start + parts.len() <= words.len()
                && parts.iter().zip(&words[start..]).all(|(part, word)| word_matches(part, word));
            if fits {
                matches.push((index, start));
            }
        }
    }
    matches.sort_unstable();
    let mut found = Vec::new();
    let mut taken = vec![false; words.len()];
    for (index, start) in matches {
        let (topic, parts) = &phrases.all[index];
        let span = start..start + parts.len();
        if taken[span.clone()].iter().all(|t| !t) {
            taken[span].iter_mut().for_each(|t| *t = true);
            found.push((start, *topic));
        }
    }
    found.sort_by_key(|&(at, _)| at);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(text: &str) -> Vec<Topic> {
        let folded: Vec<String> = text.split_whitespace().map(crate::lexicon::fold).collect();
        let words: Vec<&str> = folded.iter().map(String::as_str).collect();
        find(&words).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn topics_of_the_six_languages() {
        assert_eq!(topics("can i have your card number"), [Topic::Card]);
        assert_eq!(topics("og kortnummeret ditt"), [Topic::Card]);
        assert_eq!(topics("the three digits on the back"), [Topic::Security, Topic::Security]);
        assert_eq!(topics("numero della carta di credito"), [Topic::Card]);
        assert_eq!(topics("wat is uw creditcard"), [Topic::Card]);
        assert_eq!(topics("fecha de caducidad"), [Topic::Expiry]);
        assert_eq!(topics("teie pangakaardi number"), [Topic::Card]);
        assert_eq!(topics("what is your phone number"), [Topic::Phone]);
        assert_eq!(topics("mitt fødselsnummer er"), [Topic::Id]);
        assert_eq!(topics("the order number is"), [Topic::Other]);
        assert_eq!(topics("good morning"), []);
    }
}
