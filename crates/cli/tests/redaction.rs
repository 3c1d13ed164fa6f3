//! Redaction, bytes-level (issue 7): the corpus in samples/redaction/ (calls in the six rubric
//! languages and the four transcript formats, with Luhn-valid test card numbers said in many
//! ways, security codes, expiry dates, phones, e-mail addresses and national ids) goes through
//! every command that stores or prints a transcript; then the bytes of the database, its
//! write-ahead log, the exports, the reports and everything the commands printed are searched.
//! Also: `rescore` redacts transcripts stored before redaction existed, and `redact-audio`
//! writes silenced copies (the Whisper case is in `redaction_audio.rs`).

mod common;

use std::path::{Path, PathBuf};

use common::{query_rows, run_qadesk, workspace};

/// The card numbers of the corpus, as said (one misheard: …0506 for …0505).
const CARDS: &[&str] = &[
    "4532015112830366",
    "5425233430109903",
    "378282246310005",
    "6011000990139424",
    "4526018159083012",
    "5166131860913906",
    "2299603082462810",
    "3566002020360505",
    "3566002020360506",
    "6948219935181907",
    "4532015112830366",
];

/// Phone numbers and national ids, as digits.
const DIGITS: &[(&str, &str)] = &[
    ("phone", "447700900123"),
    ("phone", "91234567"),
    ("phone", "3471234567"),
    ("phone", "0648213975"),
    ("phone", "612489357"),
    ("phone", "53912468"),
    ("phone", "07700900461"),
    ("ssn", "123456789"),
    ("fødselsnummer", "01019012480"),
    ("bsn", "192837461"),
    ("isikukood", "49003151238"),
    ("dni", "48392716"),
];

/// Spoken card numbers, security codes and expiry dates, e-mail addresses and ids as written
/// in the corpus (compared without case).
const TEXTS: &[&str] = &[
    // card numbers said as words
    "five four two five",
    "two double three four",
    "three oh one oh",
    "nine nine oh three",
    "tre sju åtte to",
    "åtte to to fire seks tre",
    "en null null null fem",
    "sessanta undici",
    "novanta tredici",
    "novantaquattro ventiquattro",
    "cincuenta y uno sesenta y seis",
    "sesenta noventa y uno",
    "treinta y nueve cero seis",
    "kuus null kolm null",
    "kaks kaheksa üks null",
    "six nine four eight",
    "two one nine nine",
    "three five one eight",
    "one nine oh seven",
    // security codes, next to the card talk that asked for them
    "it's 737",
    "four one two",
    "sju tre sju fem",
    "otto due uno",
    "vijf nul acht",
    "tres cinco nueve",
    "kuus neli kaks",
    "three three one",
    // expiry dates
    "09/27",
    "zero nine, twenty",
    "null fire tjueni",
    "settembre duemilaventisette",
    "twaalf zesentwintig",
    "once veintinueve",
    "null kolm kakskümmend",
    "march 2030",
    // e-mail addresses, typed and spoken
    "anna.berg@example.com",
    "lars dot hansen",
    "hansen at example",
    "ola punktum nordmann",
    "nordmann alfakrøll",
    "mario punto rossi",
    "rossi chiocciola",
    "jan punt jansen",
    "apenstaartje voorbeeld",
    "lucia guion bajo",
    "gomez arroba",
    "mari punkt maasikas",
    "maasikas ät",
    "kari.nordmann@example.no",
    // ids written with letters
    "rssmra85t10a562s",
    "48392716a",
];

/// What the corpus says that must stay: prices, quantities, references, times.
const KEPT: &[&str] = &[
    "pay the 45 pounds",
    "your reference is 20417",
    "1 250 kroner",
    "premio di 640 euro",
    "fiets van 899 euro",
    "vuelo de 85 euros",
    "maksta 120 eurot",
    "pay for order 58213",
    "tomorrow at 10:30",
    "top up 20 pounds",
];

/// Every run of ASCII digits joined by single spaces, dots, dashes or slashes, as digits,
/// when it stands on its own (not glued to letters, as digits inside a hash are).
fn digit_runs(bytes: &[u8]) -> Vec<String> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() {
                digits.push(char::from(bytes[i]));
                i += 1;
            } else if matches!(bytes[i], b' ' | b'.' | b'-' | b'/')
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            {
                i += 1;
            } else {
                break;
            }
        }
        let glued = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphabetic());
        if !glued(start.checked_sub(1).and_then(|s| bytes.get(s))) && !glued(bytes.get(i)) {
            runs.push(digits);
        }
    }
    runs
}

/// Every trace of the corpus's personal data in `bytes`, described.
fn traces(name: &str, bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let lower = String::from_utf8_lossy(bytes).to_lowercase();
    let runs = digit_runs(bytes);
    for card in CARDS {
        // The whole number anywhere, even glued to letters.
        if bytes.windows(card.len()).any(|w| w == card.as_bytes()) {
            found.push(format!("{name}: card {card} whole"));
        }
        // Five digits in a row of it include one before its last four.
        for window in card.as_bytes().windows(5) {
            let needle = std::str::from_utf8(window).unwrap_or_default();
            if let Some(run) = runs.iter().find(|r| r.contains(needle)) {
                found.push(format!("{name}: {needle} of card {card} in the digits {run}"));
            }
        }
    }
    for (what, digits) in DIGITS {
        if let Some(run) = runs.iter().find(|r| r.contains(digits)) {
            found.push(format!("{name}: {what} {digits} in the digits {run}"));
        }
    }
    for text in TEXTS {
        if lower.contains(text) {
            found.push(format!("{name}: `{text}`"));
        }
    }
    found
}

/// Runs qadesk against `db`, keeping what it printed for the search; returns its exit code.
struct Session {
    db: PathBuf,
    printed: Vec<(String, Vec<u8>)>,
}

impl Session {
    fn run(&mut self, args: &[&str]) -> (i32, String, String) {
        let mut all = vec!["--db", self.db.to_str().expect("utf-8 path")];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = run_qadesk(&all, &[]);
        let label = args.join(" ");
        self.printed.push((format!("stdout of `{label}`"), stdout.clone().into_bytes()));
        self.printed.push((format!("stderr of `{label}`"), stderr.clone().into_bytes()));
        (code, stdout, stderr)
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn no_card_number_or_personal_data_leaves_a_trace_in_any_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = workspace().join("samples/redaction");
    let rubric = workspace().join("rubrics/call-quality.toml");
    let db = dir.path().join("qadesk.db");
    let mut session = Session { db: db.clone(), printed: Vec::new() };

    // The file exists before the ingest, and this connection stays open throughout: the last
    // connection to close would fold the write-ahead log into the file and delete it.
    let (code, _, stderr) = session.run(&["ingest", path_str(dir.path()), "-r", path_str(&rubric)]);
    assert_eq!(code, 0, "{stderr}");
    let keeper = rusqlite::Connection::open(&db).expect("a second connection");
    let _: i64 =
        keeper.query_row("SELECT count(*) FROM interactions", [], |r| r.get(0)).expect("read");

    let metadata = corpus.join("metadata.csv");
    let (code, _, stderr) = session.run(&[
        "ingest",
        path_str(&corpus),
        "-r",
        path_str(&rubric),
        "--metadata",
        path_str(&metadata),
    ]);
    // The broken file fails alone, and its reason quotes no card number.
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("ingested 9, already stored 0, failed 1"), "{stderr}");
    assert!(stderr.contains("en-broken-card.json") && stderr.contains("[card number"), "{stderr}");
    let reasons = query_rows(&db, "SELECT reason FROM failures");
    assert_eq!(reasons.len(), 1);
    assert!(
        reasons[0].contains("invalid type: integer `[card number ending 0366]`"),
        "{reasons:?}"
    );

    let checklist = workspace().join("samples/checklists/store-visit.toml");
    let answers = corpus.join("answers/visit-comment.toml");
    let (code, _, stderr) =
        session.run(&["shop", "import", path_str(&answers), "-c", path_str(&checklist)]);
    assert_eq!(code, 0, "{stderr}");

    // Everything that reads the database, in every format.
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    let mut files: Vec<PathBuf> = Vec::new();
    for (format, name) in [("csv", "export.csv"), ("json", "export.jsonl")] {
        let target = out.join(name);
        let (code, _, stderr) =
            session.run(&["export", "--format", format, "--out", path_str(&target)]);
        assert_eq!(code, 0, "{stderr}");
        files.push(target);
    }
    for format in ["table", "csv", "json"] {
        assert_eq!(session.run(&["list", "--format", format]).0, 0);
    }
    let call_ids = query_rows(&db, "SELECT call_id FROM interactions ORDER BY id");
    assert_eq!(call_ids.len(), 10, "{call_ids:?}");
    for id in &call_ids {
        let id = id.trim_start_matches("Text(\"").trim_end_matches("\")");
        let (code, stdout, stderr) = session.run(&["show", id]);
        assert_eq!(code, 0, "{id}: {stderr}");
        assert!(!stdout.is_empty());
    }
    for format in ["html", "md"] {
        let sheets = out.join(format!("coach-{format}"));
        let (code, _, stderr) = session.run(&[
            "coach",
            "--all",
            "--include-unreviewed",
            "--format",
            format,
            "--out",
            path_str(&sheets),
            "--date",
            "2026-04-01",
        ]);
        assert_eq!(code, 0, "{stderr}");
        for entry in std::fs::read_dir(&sheets).expect("sheets") {
            files.push(entry.expect("entry").path());
        }
    }
    for (format, name) in [("html", "summary.html"), ("md", "summary.md"), ("csv", "summary.csv")] {
        let target = out.join(name);
        let (code, _, stderr) = session.run(&[
            "summary",
            "--include-unreviewed",
            "--format",
            format,
            "--out",
            path_str(&target),
            "--date",
            "2026-04-01",
        ]);
        assert_eq!(code, 0, "{stderr}");
        files.push(target);
    }
    let (code, _, stderr) = session.run(&["rescore", "-r", path_str(&rubric)]);
    assert_eq!(code, 0, "{stderr}");
    // `score` reads the files themselves: its quotes, reasons and errors.
    let inputs: Vec<String> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| ["txt", "json", "vtt", "srt"].iter().any(|x| e == *x))
        })
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(inputs.len(), 9);
    for format in ["table", "json", "csv"] {
        let mut args = vec!["score", "-r", path_str(&rubric), "--format", format];
        args.extend(inputs.iter().map(String::as_str));
        let (code, stdout, stderr) = session.run(&args);
        assert_eq!(code, 0, "{stderr}");
        if format == "json" {
            assert!(stdout.contains("[card number"), "evidence quotes show the tags");
        }
    }
    let bad = corpus.join("bad/en-broken-card.json");
    let (code, _, stderr) = session.run(&["score", "-r", path_str(&rubric), path_str(&bad)]);
    assert_eq!(code, 1);
    assert!(stderr.contains("[card number ending 0366]"), "{stderr}");

    // The search.
    let wal = dir.path().join("qadesk.db-wal");
    assert!(wal.is_file(), "the write-ahead log is kept while a connection is open");
    let mut haystacks: Vec<(String, Vec<u8>)> = Vec::new();
    for file in [db.clone(), wal].into_iter().chain(files) {
        let bytes = std::fs::read(&file).expect("read");
        assert!(!bytes.is_empty(), "{} is empty", file.display());
        haystacks.push((file.display().to_string(), bytes));
    }
    haystacks.append(&mut session.printed);
    let searched: usize = haystacks.iter().map(|(_, b)| b.len()).sum();
    let found: Vec<String> =
        haystacks.iter().flat_map(|(name, bytes)| traces(name, bytes)).collect();
    assert!(
        found.is_empty(),
        "{} trace(s) in {searched} bytes:\n{}",
        found.len(),
        found.join("\n")
    );

    // What is no personal data is kept, and the tags are where the data was.
    let texts = query_rows(&db, "SELECT text FROM segments").join("\n");
    for kept in KEPT {
        assert!(texts.contains(kept), "`{kept}` was redacted");
    }
    let kinds =
        query_rows(&db, "SELECT kind, count(*) FROM redactions GROUP BY kind ORDER BY kind");
    assert_eq!(
        kinds,
        [
            "Text(\"card-number\")|Integer(19)",
            "Text(\"email\")|Integer(7)",
            "Text(\"expiry-date\")|Integer(8)",
            "Text(\"national-id\")|Integer(6)",
            "Text(\"phone-number\")|Integer(7)",
            "Text(\"security-code\")|Integer(8)",
        ]
    );
    let comment = query_rows(&db, "SELECT text FROM answers WHERE question = 'comments'");
    assert_eq!(
        comment,
        [
            "Text(\"The agent asked me to call back on [phone number] or write to [email], and read my card [card number ending 0366] aloud at the till.\")"
        ]
    );
    drop(keeper);
}

#[test]
fn the_sample_calls_lose_nothing_to_redaction() {
    // Account, meter, policy, customer and order numbers, prices, times: all stay.
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("samples.db");
    let samples = workspace().join("samples/transcripts");
    let rubric = workspace().join("rubrics/call-quality.toml");
    let (code, _, stderr) = run_qadesk(
        &["--db", path_str(&db), "ingest", path_str(&samples), "-r", path_str(&rubric)],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(query_rows(&db, "SELECT count(*) FROM redactions"), ["Integer(0)"]);
    let stored = query_rows(&db, "SELECT text FROM segments").join("\n");
    for kept in
        ["It's 4471 0923", "48 200", "HL 558 210", "04512", "BIO 40718", "58 213 907", "W-20417"]
    {
        assert!(stored.contains(kept), "`{kept}` was changed");
    }
}

#[test]
fn rescore_redacts_transcripts_stored_before_redaction_existed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("old.db");
    let rubric = workspace().join("rubrics/call-quality.toml");
    let call = workspace().join("samples/redaction/en-bills-card-digits.txt");
    let (code, _, stderr) = run_qadesk(
        &["--db", path_str(&db), "ingest", path_str(&call), "-r", path_str(&rubric)],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    // What an older qadesk stored: the words as said, in the transcript and the evidence.
    let original = std::fs::read_to_string(&call).expect("call");
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        for (turn, line) in (1_i64..).zip(original.lines()) {
            let text = line.split_once(": ").map(|(_, t)| t).expect("a line");
            let old: String = conn
                .query_row("SELECT text FROM segments WHERE turn = ?1", [turn], |r| r.get(0))
                .expect("segment");
            conn.execute(
                "UPDATE segments SET text = ?1 WHERE turn = ?2",
                rusqlite::params![text, turn],
            )
            .expect("update");
            conn.execute(
                "UPDATE evidence SET quote = ?1 WHERE turn = ?2 AND quote = ?3",
                rusqlite::params![text, turn, old],
            )
            .expect("update evidence");
        }
        conn.execute("DELETE FROM redactions", []).expect("no spans");
    }
    let texts = query_rows(&db, "SELECT text FROM segments").join("\n");
    assert!(texts.contains("4532 0151 1283 0366"));
    let (code, _, stderr) =
        run_qadesk(&["--db", path_str(&db), "rescore", "-r", path_str(&rubric)], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("redacted 1 transcript(s) stored before redaction existed"),
        "{stderr}"
    );
    let texts = query_rows(&db, "SELECT text FROM segments").join("\n");
    assert!(!texts.contains("4532") && texts.contains("[card number ending 0366]"), "{texts}");
    let quotes = query_rows(&db, "SELECT quote FROM evidence").join("\n");
    assert!(!quotes.contains("4532 0151"), "{quotes}");
    assert_eq!(query_rows(&db, "SELECT count(*) FROM redactions"), ["Integer(6)"]);
    // Again: nothing left to redact.
    let (code, _, stderr) =
        run_qadesk(&["--db", path_str(&db), "rescore", "-r", path_str(&rubric)], &[]);
    assert_eq!(code, 0);
    assert!(!stderr.contains("redacted"), "{stderr}");
}

/// A stereo μ-law recording of `seconds` at 8 kHz: a tone on the left, noise on the right.
fn mulaw_call(path: &Path, seconds: usize) {
    let frames = 8_000 * seconds;
    let left: Vec<f32> = (0..frames).map(|i| 0.3 * (i as f32 * 0.07).sin()).collect();
    let mut state = 0x9e37_79b9_u64;
    let right: Vec<f32> = (0..frames)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.4
        })
        .collect();
    let bytes = qadesk_audio::telephone::write_g711_wav(
        &[left, right],
        8_000,
        qadesk_audio::telephone::Law::MuLaw,
    );
    std::fs::write(path, bytes).expect("write the recording");
}

/// The stretches `qadesk` stores for a transcript file: (start, end) in ms, per redaction.
fn stored_spans(dir: &Path, transcript: &Path) -> Vec<(u64, u64)> {
    let db = dir.join("spans.db");
    let rubric = workspace().join("rubrics/call-quality.toml");
    let (code, _, stderr) = run_qadesk(
        &["--db", path_str(&db), "ingest", path_str(transcript), "-r", path_str(&rubric)],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mut statement = conn.prepare("SELECT start_ms, end_ms FROM redactions").expect("query");
    statement
        .query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("spans")
}

#[test]
fn redact_audio_silences_the_redacted_stretches_and_keeps_every_other_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let transcript = workspace().join("samples/redaction/en-bills-card-digits.txt");
    let recording = dir.path().join("call.wav");
    mulaw_call(&recording, 64);
    let input = std::fs::read(&recording).expect("read");
    let spans = stored_spans(dir.path(), &transcript);
    assert_eq!(spans.len(), 6, "{spans:?}");

    let out = dir.path().join("redacted.wav");
    let (code, _, stderr) = run_qadesk(
        &[
            "redact-audio",
            path_str(&recording),
            "--transcript",
            path_str(&transcript),
            "-o",
            path_str(&out),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("6 stretch(es)") && stderr.contains("mulaw as the input"), "{stderr}");
    let output = std::fs::read(&out).expect("the copy");
    assert_eq!(output.len(), input.len(), "same length");
    // Same header (format, rate, channels); each data byte is the same, or μ-law silence
    // inside a stored span widened by the 250 ms margin; and every such stretch is silent.
    let data = input.windows(4).position(|w| w == b"data").expect("data") + 8;
    assert_eq!(output[..data], input[..data]);
    let quiet = |frame: usize| {
        let ms = (frame * 1000 / 8_000) as u64;
        spans.iter().any(|&(a, b)| ms + 250 >= a && ms < b + 250)
    };
    let mut silenced = 0;
    for (i, (&a, &b)) in input.iter().zip(&output).enumerate().skip(data) {
        let frame = (i - data) / 2;
        if quiet(frame) {
            assert_eq!(b, 0xFF, "byte {i} (frame {frame}) inside a span is not silence");
            silenced += 1;
        } else {
            assert_eq!(a, b, "byte {i} (frame {frame}) outside the spans changed");
        }
    }
    assert!(silenced > 2 * 8_000 * 5, "{silenced} bytes silenced");

    // The input is never overwritten, under any name; another file only with --force.
    let link = dir.path().join("alias.wav");
    std::fs::hard_link(&recording, &link).expect("hard link");
    for target in [&recording, &link] {
        let (code, _, stderr) = run_qadesk(
            &[
                "redact-audio",
                path_str(&recording),
                "--transcript",
                path_str(&transcript),
                "-o",
                path_str(target),
            ],
            &[],
        );
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("is the input recording"), "{stderr}");
    }
    assert_eq!(std::fs::read(&recording).expect("read"), input, "the input is untouched");
    let args = [
        "redact-audio",
        path_str(&recording),
        "--transcript",
        path_str(&transcript),
        "-o",
        path_str(&out),
    ];
    let (code, _, stderr) = run_qadesk(&args, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("exists; give --force"), "{stderr}");
    let mut forced = args.to_vec();
    forced.push("--force");
    assert_eq!(run_qadesk(&forced, &[]).0, 0);
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".partial")), "{names:?}");
}

#[test]
fn redact_audio_explains_what_it_cannot_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recording = dir.path().join("call.wav");
    mulaw_call(&recording, 3);
    let untimed = dir.path().join("untimed.txt");
    std::fs::write(&untimed, "Agent: Card number?\nCustomer: 4532 0151 1283 0366\n")
        .expect("write");
    let out = dir.path().join("out.wav");
    let (code, _, stderr) = run_qadesk(
        &[
            "redact-audio",
            path_str(&recording),
            "--transcript",
            path_str(&untimed),
            "-o",
            path_str(&out),
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("untimed.txt: some utterances have no times"), "{stderr}");

    // A stored interaction that came from a transcript has no recording to silence.
    let db = dir.path().join("q.db");
    let transcript = workspace().join("samples/redaction/en-bills-card-digits.txt");
    let rubric = workspace().join("rubrics/call-quality.toml");
    let (code, _, _) = run_qadesk(
        &["--db", path_str(&db), "ingest", path_str(&transcript), "-r", path_str(&rubric)],
        &[],
    );
    assert_eq!(code, 0);
    let (code, _, stderr) = run_qadesk(
        &["--db", path_str(&db), "redact-audio", "en-bills-card-digits", "-o", path_str(&out)],
        &[],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("has no recording: it was ingested from a transcript"), "{stderr}");
    let (code, _, stderr) = run_qadesk(
        &["--db", path_str(&db), "redact-audio", "NO-SUCH-CALL", "-o", path_str(&out)],
        &[],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("no interaction with the id or call id `NO-SUCH-CALL`"), "{stderr}");

    // MP3 becomes 16-bit WAV, and says so; a copy named .mp3 is refused.
    let mp3 = workspace().join("crates/audio/tests/data/tone-stereo-44k.mp3");
    let short = dir.path().join("short.txt");
    std::fs::write(&short, "[00:00.2-00:01.5] Customer: call me on +47 912 34 567\n")
        .expect("write");
    let named_mp3 = dir.path().join("out.mp3");
    let (code, _, stderr) = run_qadesk(
        &[
            "redact-audio",
            path_str(&mp3),
            "--transcript",
            path_str(&short),
            "-o",
            path_str(&named_mp3),
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("written as 16-bit PCM WAV; name the copy .wav"), "{stderr}");
    assert!(!named_mp3.exists());
    let wav = dir.path().join("tone.wav");
    let (code, _, stderr) = run_qadesk(
        &["redact-audio", path_str(&mp3), "--transcript", path_str(&short), "-o", path_str(&wav)],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("converted from mp3 to 16-bit PCM WAV"), "{stderr}");
    let reader = hound::WavReader::open(&wav).expect("a wav");
    assert_eq!(
        (reader.spec().sample_rate, reader.spec().channels, reader.spec().bits_per_sample),
        (44_100, 2, 16)
    );
}
