//! Redaction per kind and language, both ways: what must be replaced, and what must survive
//! (times, prices, quantities, order and account numbers, dates that are no expiry dates, the
//! rubric's own phrases).

use qadesk_domain::{Role, Segment, Transcript};
use qadesk_redact::{Kind, redact};

/// A call from `(speaker, text)` lines: `A` the agent, `C` the customer; untimed.
fn call(language: Option<&str>, lines: &[(&str, &str)]) -> Transcript {
    Transcript {
        language: language.map(str::to_string),
        segments: lines
            .iter()
            .map(|(who, text)| {
                let role = if *who == "A" { Role::Agent } else { Role::Customer };
                Segment::untimed(role, *text)
            })
            .collect(),
    }
}

fn texts(language: Option<&str>, lines: &[(&str, &str)]) -> Vec<String> {
    redact(&call(language, lines)).transcript.segments.into_iter().map(|s| s.text).collect()
}

/// The text of the last line, redacted in the context of the lines before it.
fn last(language: Option<&str>, lines: &[(&str, &str)]) -> String {
    texts(language, lines).pop().unwrap_or_default()
}

/// Asserts that every line comes through unchanged.
fn unchanged(language: Option<&str>, lines: &[(&str, &str)]) {
    let out = texts(language, lines);
    for ((_, input), output) in lines.iter().zip(&out) {
        assert_eq!(output, input, "changed in {lines:?}");
    }
}

#[test]
fn english_card_numbers_in_every_form() {
    let ask = ("A", "Can I take the card number, please?");
    let cases = [
        ("It's 4532 0151 1283 0366.", "It's [card number ending 0366]."),
        ("4532015112830366", "[card number ending 0366]"),
        ("6011-0009-9013-9424", "[card number ending 9424]"),
        ("6011.0009.9013.9424 thanks", "[card number ending 9424] thanks"),
        ("3782 822463 10005", "[card number ending 0005]"),
        (
            "four five three two, oh one five one, one two eight three, oh three six six",
            "[card number ending 0366]",
        ),
        (
            "forty-five thirty-two, oh one fifty-one, twelve eighty-three, oh three sixty-six",
            "[card number ending 0366]",
        ),
        (
            "five four two five, two double three four, three oh one oh, double nine oh three",
            "[card number ending 9903]",
        ),
        ("4532 oh one five one 1283 zero three six six", "[card number ending 0366]"),
        ("yes it's uh 5425 2334, um, 3010 9903", "yes it's uh [card number ending 9903]"),
    ];
    for (said, expected) in cases {
        assert_eq!(last(Some("en"), &[ask, ("C", said)]), expected, "{said}");
        // Without the question, and in a transcript of unknown language, too.
        assert_eq!(last(None, &[("C", said)]), expected, "{said} alone");
    }
}

#[test]
fn card_numbers_split_across_turns_and_read_back() {
    let out = texts(
        Some("en"),
        &[
            ("A", "What's the long number on the card?"),
            ("C", "4532 0151"),
            ("A", "Yes."),
            ("C", "1283 0366"),
            ("A", "Thank you."),
        ],
    );
    assert_eq!(
        out,
        [
            "What's the long number on the card?",
            "[card number]",
            "Yes.",
            "[card number ending 0366]",
            "Thank you."
        ]
    );
    // The agent repeats each group, and reads the whole number back at the end.
    let out = texts(
        Some("en"),
        &[
            ("C", "four five three two"),
            ("A", "four five three two, yes"),
            ("C", "zero one five one"),
            ("A", "0151"),
            ("C", "one two eight three"),
            ("A", "1283, go on"),
            ("C", "and oh three six six"),
            ("A", "So that's 4532 0151 1283 0366, is that right?"),
            ("C", "That's right."),
        ],
    );
    for line in &out {
        for group in ["4532", "0151", "1283", "four five", "zero one", "one two", "three six"] {
            assert!(!line.contains(group), "{group} left in {out:#?}");
        }
    }
    assert_eq!(out[7], "So that's [card number ending 0366], is that right?");
    assert_eq!(out[8], "That's right.");
}

#[test]
fn a_misheard_card_number_in_card_talk_is_still_redacted() {
    // One digit wrong: not Luhn-valid, but said in card talk.
    let said = last(
        Some("en"),
        &[("A", "Could you read me the card number?"), ("C", "4532 0151 1283 0367")],
    );
    assert_eq!(said, "[card number]");
    let said = last(
        Some("en"),
        &[
            ("A", "And your card number?"),
            ("C", "four five three two oh one five one one two eight"),
        ],
    );
    assert_eq!(said, "[card number]");
}

#[test]
fn security_codes_and_expiry_dates_near_card_talk() {
    let card = ("C", "My card is 4532 0151 1283 0366.");
    let cases = [
        ("And the three digits on the back?", "737.", "[security code]."),
        ("What's the security code?", "It's seven three seven", "It's [security code]"),
        ("And the CVV?", "1234", "[security code]"),
        ("When does it expire?", "09/27", "[expiry date]"),
        ("And the expiry date?", "zero nine twenty seven", "[expiry date]"),
        ("And the expiry date?", "September 2027.", "[expiry date]."),
        ("Expiry?", "It's 09/2027", "It's [expiry date]"),
        ("And the expiry?", "nine twenty seven", "[expiry date]"),
    ];
    for (question, answer, expected) in cases {
        assert_eq!(last(Some("en"), &[card, ("A", question), ("C", answer)]), expected, "{answer}");
    }
    // All in one breath.
    assert_eq!(
        last(None, &[("C", "card 4532 0151 1283 0366, expires 09/27, code 737")]),
        "card [card number ending 0366], expires [expiry date], code [security code]"
    );
}

#[test]
fn english_phones_emails_and_ids() {
    let cases = [
        ("You can reach me on +44 7700 900123.", "You can reach me on [phone number]."),
        ("It's 07700 900123", "It's [phone number]"),
        ("my number is (415) 555-0132", "my number is [phone number]"),
        ("call 415-555-0132 after five", "call [phone number] after five"),
        (
            "the best number is oh seven seven oh oh, nine oh oh, one two three",
            "the best number is [phone number]",
        ),
        ("What's your phone number? 555 0199 12", "What's your phone number? [phone number]"),
        ("ring me at nine one two three four five six seven", "ring me at [phone number]"),
        ("Tallinn office: 5123 4567", "Tallinn office: [phone number]"),
        ("write to anna.berg@example.com please", "write to [email] please"),
        ("it's anna dot berg at example dot com", "it's [email]"),
        ("my social security number is 123-45-6789", "my social security number is [national id]"),
    ];
    for (said, expected) in cases {
        assert_eq!(last(Some("en"), &[("C", said)]), expected, "{said}");
    }
}

#[test]
fn english_numbers_that_stay() {
    unchanged(
        Some("en"),
        &[
            ("A", "Can I have your card number, please?"),
            ("C", "Can I pay the 120 pounds with my card? I used it at 10:30 on 12/03/2024."),
            ("A", "Sure. It's £45.99 a month, or 30 % off for 12 months."),
            ("C", "My order number is 20417 and the account number is 4471 0923."),
            ("C", "The order number is four five six seven eight nine one two."),
            ("A", "Your router is the N300 model; delivery in 2 days, on the 14th."),
            ("C", "I'm at work. No, it's Fibre 100."),
        ],
    );
}

#[test]
fn norwegian() {
    let out = texts(
        Some("nb"),
        &[
            ("A", "Hva er kortnummeret?"),
            ("C", "Det er fire fem tre to, null en fem en, en to åtte tre, null tre seks seks."),
            ("A", "Og utløpsdatoen?"),
            ("C", "null ni tjuesju"),
            ("A", "Og sikkerhetskoden bak på kortet?"),
            ("C", "sju tre sju"),
        ],
    );
    assert_eq!(out[1], "Det er [card number ending 0366].");
    assert_eq!(out[3], "[expiry date]");
    assert_eq!(out[5], "[security code]");
    let out = texts(
        Some("nb"),
        &[
            ("C", "Mobilnummeret mitt er 912 34 567, eller +47 48 12 34 56."),
            (
                "C",
                "Fødselsnummeret er 010190 12480 og e-post ola punktum nordmann alfakrøll firma punktum no.",
            ),
            ("C", "Kortet: femtifire tjuefem, tjuetre trettifire, tretti ti, nittini null tre."),
        ],
    );
    assert_eq!(out[0], "Mobilnummeret mitt er [phone number], eller [phone number].");
    assert_eq!(out[1], "Fødselsnummeret er [national id] og e-post [email].");
    assert_eq!(out[2], "Kortet: [card number ending 9903].");
    unchanged(
        Some("nb"),
        &[
            ("A", "Kan jeg få kortnummeret ditt?"),
            ("C", "Det står 48 200, men måleren min viser 45 900 i dag."),
            ("A", "Vi trekker fra 200 kroner, og ringer deg kl. 10.30 den 12.03.2026."),
        ],
    );
}

#[test]
fn italian() {
    let out = texts(
        Some("it"),
        &[
            ("A", "Mi può dare il numero della carta?"),
            (
                "C",
                "quattro cinque tre due, zero uno cinque uno, uno due otto tre, zero tre sei sei",
            ),
            ("A", "La scadenza?"),
            ("C", "settembre duemilaventisette"),
            ("A", "E il codice di sicurezza?"),
            ("C", "sette tre sette"),
            (
                "C",
                "Il mio cellulare è 347 123 4567, la mail mario punto rossi chiocciola posta punto it.",
            ),
            ("C", "Il codice fiscale è RSSMRA85T10A562S."),
        ],
    );
    assert_eq!(out[1], "[card number ending 0366]");
    assert_eq!(out[3], "[expiry date]");
    assert_eq!(out[5], "[security code]");
    assert_eq!(out[6], "Il mio cellulare è [phone number], la mail [email].");
    assert_eq!(out[7], "Il codice fiscale è [national id].");
    unchanged(
        Some("it"),
        &[
            ("A", "Paga con la carta?"),
            ("C", "Il premio è salito a 640 euro, l'anno scorso pagavo 520 euro."),
            ("A", "La richiamo alle 9.30, il 12/03/2026."),
        ],
    );
}

#[test]
fn dutch() {
    let out = texts(
        Some("nl"),
        &[
            ("A", "Wat is uw creditcardnummer?"),
            ("C", "vier vijf drie twee, nul een vijf een, een twee acht drie, nul drie zes zes"),
            ("A", "En de vervaldatum?"),
            ("C", "nul negen zevenentwintig"),
            ("A", "En de beveiligingscode?"),
            ("C", "zeven drie zeven"),
            ("C", "Mijn BSN is 111222333 en mijn mobiel 06-12345678."),
            ("C", "Mail naar jan punt jansen apenstaartje voorbeeld punt nl."),
            (
                "C",
                "Kaart: vierenvijftig vijfentwintig, drieëntwintig vierendertig, dertig tien, negenennegentig nul drie.",
            ),
        ],
    );
    assert_eq!(out[1], "[card number ending 0366]");
    assert_eq!(out[3], "[expiry date]");
    assert_eq!(out[5], "[security code]");
    assert_eq!(out[6], "Mijn BSN is [national id] en mijn mobiel [phone number].");
    assert_eq!(out[7], "Mail naar [email].");
    assert_eq!(out[8], "Kaart: [card number ending 9903].");
    unchanged(
        Some("nl"),
        &[
            ("A", "Betaalt u met de pinpas?"),
            ("C", "Het kost 25 euro en ik ben er om 10.30 uur, bestelnummer 58213907."),
        ],
    );
}

#[test]
fn spanish() {
    let out = texts(
        Some("es"),
        &[
            ("A", "¿Me da el número de la tarjeta?"),
            (
                "C",
                "cuarenta y cinco treinta y dos, cero uno cincuenta y uno, doce ochenta y tres, cero tres sesenta y seis",
            ),
            ("A", "¿Fecha de caducidad?"),
            ("C", "cero nueve veintisiete"),
            ("A", "¿Y el código de seguridad?"),
            ("C", "siete tres siete"),
            ("C", "Mi móvil es 612 345 678 o +34 612 34 56 78, y mi DNI 12345678Z."),
            ("C", "El correo es lucia guion bajo gomez arroba correo punto es."),
        ],
    );
    assert_eq!(out[1], "[card number ending 0366]");
    assert_eq!(out[3], "[expiry date]");
    assert_eq!(out[5], "[security code]");
    assert_eq!(out[6], "Mi móvil es [phone number] o [phone number], y mi DNI [national id].");
    assert_eq!(out[7], "El correo es [email].");
    unchanged(
        Some("es"),
        &[
            ("A", "¿Número de cliente?"),
            ("C", "Es el 58 213 907."),
            ("A", "Le añadimos 3000 puntos y puede pagar con tarjeta a las 10.30."),
        ],
    );
}

#[test]
fn estonian() {
    let out = texts(
        Some("et"),
        &[
            ("A", "Palun öelge kaardi number."),
            (
                "C",
                "neli viis kolm kaks null üks viis üks üks kaks kaheksa kolm null kolm kuus kuus",
            ),
            ("A", "Kehtivusaeg?"),
            ("C", "null üheksa kakskümmend seitse"),
            ("A", "Ja turvakood?"),
            ("C", "seitse kolm seitse"),
            ("C", "Minu telefoninumber on 5123 4567 ja isikukood 38001085718."),
            ("C", "E-post on mari punkt maasikas ät näide punkt ee."),
        ],
    );
    assert_eq!(out[1], "[card number ending 0366]");
    assert_eq!(out[3], "[expiry date]");
    assert_eq!(out[5], "[security code]");
    assert_eq!(out[6], "Minu telefoninumber on [phone number] ja isikukood [national id].");
    assert_eq!(out[7], "E-post on [email].");
    unchanged(
        Some("et"),
        &[
            ("A", "Teie kaardimaksete limiit on 1500 eurot päevas."),
            ("C", "Selge, aitäh. Helistan kell 10.30."),
        ],
    );
}

#[test]
fn spans_say_where_and_when_without_content() {
    let transcript = Transcript {
        language: Some("en".into()),
        segments: vec![
            Segment::timed(Role::Agent, 1_000, 3_000, "Can I take the card number?"),
            Segment::timed(
                Role::Customer,
                4_000,
                14_000,
                "Yes, it's 4532 0151 1283 0366, and that's all.",
            ),
            Segment::timed(Role::Agent, 15_000, 17_000, "Thank you."),
        ],
    };
    let redacted = redact(&transcript);
    assert_eq!(redacted.spans.len(), 1);
    let span = redacted.spans[0];
    assert_eq!((span.segment, span.kind), (1, Kind::CardNumber));
    let (start, end) = (span.start_ms.expect("timed"), span.end_ms.expect("timed"));
    assert!((4_000..=14_000).contains(&start) && (4_000..=14_000).contains(&end), "{span:?}");
    assert!(end - start >= 3_000, "the digits take most of the turn: {span:?}");
    assert!(end < 14_000, "the turn's last words are not the card: {span:?}");
    // Times, speakers and language are kept.
    for (before, after) in transcript.segments.iter().zip(&redacted.transcript.segments) {
        assert_eq!(
            (before.speaker, before.start_ms, before.end_ms),
            (after.speaker, after.start_ms, after.end_ms)
        );
    }
    assert_eq!(redacted.transcript.language.as_deref(), Some("en"));
    // Untimed utterances give spans without times.
    let untimed = redact(&call(None, &[("C", "my email is anna.berg@example.com")]));
    assert_eq!(untimed.spans.len(), 1);
    assert_eq!((untimed.spans[0].start_ms, untimed.spans[0].end_ms), (None, None));
}

#[test]
fn redacting_twice_changes_nothing() {
    let lines = [
        ("A", "Can I take the card number?"),
        ("C", "4532 0151 1283 0366, expiry 09/27, code 737, phone +47 912 34 567"),
        ("A", "The card ending 0366, thank you."),
    ];
    let once = redact(&call(Some("en"), &lines));
    let twice = redact(&once.transcript);
    assert_eq!(twice.transcript, once.transcript);
    assert!(twice.spans.is_empty(), "{:?}", twice.spans);
    assert_eq!(
        once.transcript.segments[1].text,
        "[card number ending 0366], expiry [expiry date], code [security code], phone [phone number]"
    );
    assert_eq!(once.transcript.segments[2].text, "The card ending [card number], thank you.");
}

/// Word times carry the words as said: a segment that lost a card number keeps none of them,
/// one that lost nothing keeps them all.
#[test]
fn word_times_go_with_a_redacted_segment_and_stay_with_a_clean_one() {
    use qadesk_domain::Word;
    let word = |text: &str, start_ms: u64| Word {
        start_ms,
        end_ms: start_ms + 300,
        text: text.into(),
        confidence: Some(0.9),
    };
    let card = Segment {
        words: ["My", "card", "is", "4532015112830366"]
            .iter()
            .enumerate()
            .map(|(i, w)| word(w, i as u64 * 300))
            .collect(),
        ..Segment::timed(Role::Customer, 0, 1_200, "My card is 4532015112830366")
    };
    let clean = Segment {
        words: vec![word("Thanks.", 2_000)],
        ..Segment::timed(Role::Agent, 2_000, 2_300, "Thanks.")
    };
    let redacted = qadesk_redact::redact(&Transcript {
        language: Some("en".into()),
        segments: vec![card, clean.clone()],
    });
    assert!(redacted.transcript.segments[0].words.is_empty());
    assert!(!redacted.transcript.segments[0].text.contains("4532"));
    assert_eq!(redacted.transcript.segments[1], clean);
}
