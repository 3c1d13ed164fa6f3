//! Redaction of real audio (issue 7): a stereo call with the agent on the left (real LibriVox
//! readings) and a customer on the right who reads a card number (synthesised by espeak-ng),
//! ingested with the real Whisper model. The database keeps no trace of the number; the copy
//! `redact-audio` writes has the same length, rate and channels, every sample outside the
//! silenced stretches identical, the card number silenced, and Whisper no longer hears it.
//! Runs Whisper: wrap the test run in `flock /tmp/qadesk-whisper.lock`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::calls::build_call;
use common::{query_rows, run_qadesk, speech_clips, workspace};

const CARD: &str = "4532015112830366";
const RATE: u32 = 16_000;

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Speech from espeak-ng (a Debian package `scripts/setup` installs), at 16 kHz mono.
fn espeak(text: &str, dir: &Path, name: &str) -> Vec<f32> {
    let path = dir.join(format!("{name}.espeak.wav"));
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "140", "-w"])
        .arg(&path)
        .arg(text)
        .status()
        .expect("espeak-ng runs (scripts/setup installs it)");
    assert!(status.success(), "espeak-ng failed on {text:?}");
    let audio =
        qadesk_audio::decode_16k(std::fs::File::open(&path).expect("espeak output"), Some("wav"))
            .expect("espeak output decodes");
    qadesk_audio::mix_to_mono(&audio.channels)
}

fn write_mono(path: &Path, samples: &[f32]) {
    std::fs::write(path, qadesk_audio::write_wav_16bit(&[samples.to_vec()], RATE)).expect("write");
}

/// Digit runs (digits joined by single spaces, dots, dashes) of a text, as digits.
fn digit_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if matches!(c, ' ' | '.' | '-' | ',')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        {
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Five digits in a row of the card (any five include one before its last four) in `text`.
fn card_digits_in(text: &str) -> Option<String> {
    let runs = digit_runs(text);
    CARD.as_bytes().windows(5).find_map(|w| {
        let needle = std::str::from_utf8(w).unwrap_or_default();
        runs.iter().find(|r| r.contains(needle)).cloned()
    })
}

/// Four or more digit words in a row, as Whisper may write a number it does not format.
fn spoken_digits_in(text: &str) -> bool {
    const WORDS: [&str; 11] =
        ["zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.windows(4).any(|w| w.iter().all(|x| WORDS.contains(&x.as_str())))
}

#[test]
fn a_card_number_read_aloud_leaves_no_trace_and_is_silenced_in_the_audio_copy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = workspace().join("models/ggml-tiny.en.bin");
    assert!(model.is_file(), "no Whisper model at {}: run scripts/setup", model.display());

    // The customer's turn: a sentence, a short pause, then the card number alone, so that we
    // know exactly when the digits are said.
    let intro = espeak("I would like to pay by card. The card number is", dir.path(), "intro");
    let digits = espeak(
        "four five three two, zero one five one, one two eight three, zero three six six.",
        dir.path(),
        "digits",
    );
    let pause = vec![0.0f32; RATE as usize * 3 / 10];
    let customer: Vec<f32> = intro.iter().chain(&pause).chain(&digits).copied().collect();
    let customer_path = dir.path().join("customer.wav");
    write_mono(&customer_path, &customer);
    let goodbye_path = dir.path().join("goodbye.wav");
    write_mono(&goodbye_path, &espeak("Thank you, goodbye.", dir.path(), "goodbye"));
    let clips = speech_clips();
    let turns: Vec<(PathBuf, String)> = vec![
        clips[0].clone(),
        (
            customer_path,
            "i would like to pay by card the card number is 4532 0151 1283 0366".into(),
        ),
        clips[1].clone(),
        (goodbye_path, "thank you goodbye".into()),
    ];
    let call = build_call(dir.path(), 7, &turns);
    let digits_from =
        call.turns_ms[1].0 + ((intro.len() + pause.len()) as u64 * 1000 / u64::from(RATE));
    let digits_to = digits_from + digits.len() as u64 * 1000 / u64::from(RATE);

    // Whisper hears the number in the original: without that the rest would prove nothing.
    let (code, heard, stderr) = run_qadesk(
        &["transcribe", path_str(&call.path), "--no-redact", "--model", path_str(&model)],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning: --no-redact"), "{stderr}");
    assert!(card_digits_in(&heard).is_some() || spoken_digits_in(&heard), "Whisper heard: {heard}");
    // By default the transcript is redacted.
    let (code, redacted, stderr) =
        run_qadesk(&["transcribe", path_str(&call.path), "--model", path_str(&model)], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(redacted.contains("[card number"), "{redacted}");
    assert_eq!(card_digits_in(&redacted), None, "{redacted}");

    // Ingest, with a second connection open so that the write-ahead log stays to be searched.
    let db = dir.path().join("calls.db");
    let rubric = workspace().join("rubrics/call-quality.toml");
    std::fs::create_dir_all(dir.path().join("empty")).expect("empty dir");
    let (code, _, stderr) = run_qadesk(
        &[
            "--db",
            path_str(&db),
            "ingest",
            path_str(&dir.path().join("empty")),
            "-r",
            path_str(&rubric),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let keeper = rusqlite::Connection::open(&db).expect("second connection");
    let _: i64 =
        keeper.query_row("SELECT count(*) FROM interactions", [], |r| r.get(0)).expect("read");
    let (code, _, stderr) = run_qadesk(
        &[
            "--db",
            path_str(&db),
            "ingest",
            path_str(&call.path),
            "-r",
            path_str(&rubric),
            "--model",
            path_str(&model),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let wal = dir.path().join("calls.db-wal");
    assert!(wal.is_file());
    for file in [&db, &wal] {
        let bytes = std::fs::read(file).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        assert!(!bytes.windows(CARD.len()).any(|w| w == CARD.as_bytes()), "{}", file.display());
        assert_eq!(card_digits_in(&text), None, "{}", file.display());
        assert!(!spoken_digits_in(&text), "{}", file.display());
    }
    let texts = query_rows(&db, "SELECT text FROM segments").join("\n");
    assert!(texts.contains("[card number"), "{texts}");
    let spans: Vec<(u64, u64)> = {
        let mut statement = keeper
            .prepare("SELECT start_ms, end_ms FROM redactions WHERE kind = 'card-number'")
            .expect("query");
        statement
            .query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("spans")
    };
    assert!(!spans.is_empty(), "a card-number span is stored");
    let all_spans: Vec<(u64, u64)> = {
        let mut statement =
            keeper.prepare("SELECT start_ms, end_ms FROM redactions").expect("query");
        statement
            .query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("spans")
    };

    // The silenced copy, from the stored interaction.
    let call_id = call.path.file_stem().and_then(|s| s.to_str()).expect("stem").to_string();
    let copy = dir.path().join("redacted.wav");
    let (code, _, stderr) =
        run_qadesk(&["--db", path_str(&db), "redact-audio", &call_id, "-o", path_str(&copy)], &[]);
    assert_eq!(code, 0, "{stderr}");
    let read = |path: &Path| {
        let mut reader = hound::WavReader::open(path).expect("a wav");
        let spec = reader.spec();
        let samples: Vec<i16> = reader.samples::<i16>().map(|s| s.expect("sample")).collect();
        (spec, samples)
    };
    let (spec, original) = read(&call.path);
    let (copy_spec, silenced) = read(&copy);
    assert_eq!(copy_spec, spec, "same rate, channels and sample format");
    assert_eq!(silenced.len(), original.len(), "same length");
    let frame_ms = |frame: usize| frame as u64 * 1000 / u64::from(spec.sample_rate);
    let quiet = |ms: u64| all_spans.iter().any(|&(a, b)| ms + 250 >= a && ms < b + 250);
    for (i, (&a, &b)) in original.iter().zip(&silenced).enumerate() {
        let ms = frame_ms(i / 2);
        if quiet(ms) {
            assert_eq!(b, 0, "sample {i} at {ms} ms inside a span is not silent");
        } else {
            assert_eq!(a, b, "sample {i} at {ms} ms outside the spans changed");
        }
    }
    // The whole card number is inside the silenced stretches.
    for ms in (digits_from..digits_to).step_by(10) {
        assert!(quiet(ms), "the card number at {ms} ms is still audible; spans {all_spans:?}");
    }

    // And Whisper no longer hears it.
    let (code, heard, stderr) = run_qadesk(
        &["transcribe", path_str(&copy), "--no-redact", "--model", path_str(&model)],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(card_digits_in(&heard), None, "Whisper still hears: {heard}");
    assert!(!spoken_digits_in(&heard), "Whisper still hears: {heard}");
    // The agent's side is still there to be heard.
    assert!(heard.lines().filter(|l| l.contains("Agent:")).count() >= 2, "{heard}");
    drop(keeper);
}
