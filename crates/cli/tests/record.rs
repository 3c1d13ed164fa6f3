//! `qadesk record` against a real ALSA capture device: ALSA's `file` plugin plays a raw PCM
//! file into a capture PCM (its `null` slave supplies the clock, unpaced), configured by an
//! `ALSA_CONFIG_PATH` file that replaces the system configuration, so only the devices defined
//! here exist. The real binary records, and the WAV it writes must hold exactly the samples fed
//! in. Without ALSA (library or configuration) these tests fail; they never skip.
#![cfg(feature = "record")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The capture formats cpal chooses on these devices (the `file` plugin over `null` accepts any
/// format, so cpal's preference decides): 48 kHz stereo, float on `default`; the `phone` device's
/// slave is ALSA's `linear` plugin, which offers integer formats only, and qadesk prefers 16-bit
/// among those. (The `file` plugin must be the outermost one: behind `linear`, its input file is
/// read ahead of what is delivered when the slave is unpaced, and frames go missing.)
const RATE: u32 = 48_000;
const CHANNELS: u16 = 2;

/// A temporary directory with the raw input and an ALSA configuration defining
/// `default` (capture: `filein`), `filein` (any format) and `phone` (integer formats), each
/// playing the raw input from its start.
struct Alsa {
    dir: TempDir,
}

impl Alsa {
    fn new(raw: &[u8]) -> Alsa {
        let dir = tempfile::tempdir().expect("temporary directory");
        let input = dir.path().join("input.raw");
        std::fs::write(&input, raw).expect("raw input written");
        let conf = format!(
            r#"
pcm.null {{ type null }}
pcm.!default {{ type asym; playback.pcm "null"; capture.pcm "filein" }}
pcm.filein {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{input}"
    format "raw"
    hint {{ show on; description "qadesk test capture (any format)" }}
}}
pcm.intnull {{ type linear; slave {{ pcm "null"; format S16_LE }} }}
pcm.phone {{
    type file
    slave.pcm "intnull"
    file "/dev/null"
    infile "{input}"
    format "raw"
    hint {{ show on; description "qadesk test capture (integer formats)" }}
}}
"#,
            input = input.display()
        );
        std::fs::write(dir.path().join("asound.conf"), conf).expect("asound.conf written");
        Alsa { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_qadesk"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("ALSA_CONFIG_PATH", self.path("asound.conf"))
            .stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let Output { status, stdout, stderr } = self.command(args).output().expect("qadesk runs");
        (
            status.code().unwrap_or(-1),
            String::from_utf8_lossy(&stdout).into_owned(),
            String::from_utf8_lossy(&stderr).into_owned(),
        )
    }
}

/// `frames` stereo frames of float samples: distinct, non-trivial values (full range, signs,
/// tiny magnitudes) so that a dropped, repeated or converted sample shows.
fn float_samples(frames: usize) -> Vec<f32> {
    (0..frames * usize::from(CHANNELS))
        .map(|i| {
            let x = (i as u64).wrapping_mul(2_654_435_761) % 4_294_967_296;
            (x as f64 / 2_147_483_648.0 - 1.0) as f32
        })
        .collect()
}

fn int_samples(frames: usize) -> Vec<i16> {
    (0..frames * usize::from(CHANNELS)).map(|i| (i as u32).wrapping_mul(40_503) as i16).collect()
}

fn float_bytes(samples: &[f32]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

fn int_bytes(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

fn read_wav<S: hound::Sample>(path: &Path) -> (hound::WavSpec, Vec<S>) {
    let reader = hound::WavReader::open(path)
        .unwrap_or_else(|e| panic!("{} is not a readable wav file: {e}", path.display()));
    let spec = reader.spec();
    let samples = reader.into_samples::<S>().collect::<Result<_, _>>().expect("samples read");
    (spec, samples)
}

fn float_spec() -> hound::WavSpec {
    hound::WavSpec {
        channels: CHANNELS,
        sample_rate: RATE,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    }
}

fn assert_same_floats(got: &[f32], want: &[f32]) {
    assert_eq!(got.len(), want.len(), "sample count");
    let first_difference = got.iter().zip(want).position(|(a, b)| a.to_bits() != b.to_bits());
    assert_eq!(first_difference, None, "the recording differs from the samples fed in");
}

#[test]
fn records_exactly_the_samples_the_device_delivers() {
    let fed = float_samples(2 * RATE as usize);
    let alsa = Alsa::new(&float_bytes(&fed));
    let (code, stdout, stderr) =
        alsa.run(&["record", "--yes", "--seconds", "2", "--out", "call.wav"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "recorded 2.0 s (96000 frames, 48000 Hz, stereo, 32-bit float) from `default` to call.wav\n"
    );
    assert!(
        stderr.contains("the law on recording phone calls differs between countries"),
        "{stderr}"
    );
    let (spec, got) = read_wav::<f32>(&alsa.path("call.wav"));
    assert_eq!(spec, float_spec());
    assert_same_floats(&got, &fed);
}

#[test]
fn seconds_are_counted_in_frames_on_a_named_device() {
    // Three seconds fed, 1.25 asked: exactly 60 000 frames, the first ones, in 16-bit.
    let fed = int_samples(3 * RATE as usize);
    let alsa = Alsa::new(&int_bytes(&fed));
    let (code, stdout, stderr) = alsa.run(&[
        "record",
        "--device",
        "phone",
        "--yes",
        "--seconds",
        "1.25",
        "--out",
        "phone.wav",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("recorded 1.2 s (60000 frames, 48000 Hz, stereo, 16-bit)"),
        "{stdout}"
    );
    let (spec, got) = read_wav::<i16>(&alsa.path("phone.wav"));
    assert_eq!((spec.sample_rate, spec.channels, spec.bits_per_sample), (RATE, CHANNELS, 16));
    assert_eq!(got.len(), 60_000 * usize::from(CHANNELS));
    assert!(got == fed[..got.len()], "the recording differs from the samples fed in");
}

#[test]
fn lists_the_input_devices() {
    let alsa = Alsa::new(&[]);
    let (code, stdout, stderr) = alsa.run(&["record", "--list-devices"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "default  Default Audio Device  (default)\n\
         filein  qadesk test capture (any format)\n\
         phone  qadesk test capture (integer formats)\n"
    );
}

#[test]
fn an_unknown_device_is_named_with_the_ones_there_are() {
    let alsa = Alsa::new(&[]);
    let (code, stdout, stderr) =
        alsa.run(&["record", "--device", "usb-headset", "--yes", "--out", "x.wav"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: cannot record: no input device named `usb-headset` (input devices: default, \
         filein, phone)\n"
    );
    assert!(!alsa.path("x.wav").exists());
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let fed = float_samples(RATE as usize / 10);
    let alsa = Alsa::new(&float_bytes(&fed));
    std::fs::write(alsa.path("call.wav"), "an earlier call").expect("written");
    let args = ["record", "--yes", "--seconds", "0.1", "--out", "call.wav"];
    let (code, _, stderr) = alsa.run(&args);
    assert_eq!(
        (code, stderr.as_str()),
        (2, "error: call.wav already exists (pass --force to replace it)\n")
    );
    assert_eq!(std::fs::read_to_string(alsa.path("call.wav")).expect("kept"), "an earlier call");

    let (code, _, stderr) = alsa.run(&[&args[..], &["--force"]].concat());
    assert_eq!(code, 0, "{stderr}");
    let (_, got) = read_wav::<f32>(&alsa.path("call.wav"));
    assert_same_floats(&got, &fed);
}

#[test]
fn without_a_terminal_it_refuses_unless_confirmed_with_yes() {
    let alsa = Alsa::new(&[]);
    let (code, stdout, stderr) = alsa.run(&["record", "--seconds", "1", "--out", "call.wav"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: recording needs the shopper's confirmation and there is no terminal to ask on: \
         run `qadesk record` in a terminal, or pass --yes to confirm beforehand\n"
    );
    assert!(!alsa.path("call.wav").exists());
}

/// Runs `qadesk record` in a pseudo-terminal (util-linux `script`), answering the consent
/// question with `answer`.
fn record_in_a_terminal(alsa: &Alsa, answer: &str) -> (i32, String) {
    let qadesk = env!("CARGO_BIN_EXE_qadesk");
    let mut child = Command::new("script")
        .args(["--quiet", "--return", "--command"])
        .arg(format!("{qadesk} record --seconds 0.5 --out call.wav"))
        .arg("/dev/null")
        .current_dir(alsa.dir.path())
        .env("ALSA_CONFIG_PATH", alsa.path("asound.conf"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    // Answer once the question is on screen, as a person would.
    std::thread::sleep(Duration::from_millis(500));
    child.stdin.take().expect("stdin").write_all(answer.as_bytes()).expect("answer typed");
    let output = child.wait_with_output().expect("script finishes");
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn on_a_terminal_the_shopper_confirms_or_declines() {
    let fed = float_samples(RATE as usize / 2);
    let alsa = Alsa::new(&float_bytes(&fed));

    let (code, screen) = record_in_a_terminal(&alsa, "n\n");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Record this call to call.wav? [y/N]"), "{screen}");
    assert!(screen.contains("Not recording."), "{screen}");
    assert!(!alsa.path("call.wav").exists());

    let (code, screen) = record_in_a_terminal(&alsa, "y\n");
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("recorded 0.5 s (24000 frames"), "{screen}");
    let (_, got) = read_wav::<f32>(&alsa.path("call.wav"));
    assert_same_floats(&got, &fed);
}

/// Starts an open-ended recording, waits until `bytes` of it are on disk, sends `signal`.
fn interrupt_after(alsa: &Alsa, bytes: u64, signal: &str) -> Output {
    let child = alsa
        .command(&["record", "--yes", "--out", "call.wav"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qadesk starts");
    let path = alsa.path("call.wav");
    let started = Instant::now();
    while std::fs::metadata(&path).map_or(0, |m| m.len()) < bytes {
        assert!(started.elapsed() < Duration::from_secs(20), "the recording never grew");
        std::thread::sleep(Duration::from_millis(5));
    }
    let status =
        Command::new("kill").args([signal, &child.id().to_string()]).status().expect("kill runs");
    assert!(status.success());
    child.wait_with_output().expect("qadesk ends")
}

#[test]
fn ctrl_c_finalises_everything_captured() {
    let fed = float_samples(RATE as usize);
    let alsa = Alsa::new(&float_bytes(&fed));
    let output = interrupt_after(&alsa, 2 * fed.len() as u64 * 4, "-INT");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.ends_with("to call.wav, stopped by request\n"), "{stdout}");
    let (spec, got) = read_wav::<f32>(&alsa.path("call.wav"));
    assert_eq!(spec, float_spec());
    // Finalised: the header covers every byte of the file.
    let on_disk = std::fs::metadata(alsa.path("call.wav")).expect("file").len();
    assert_eq!(on_disk, data_offset(&alsa.path("call.wav")) + 4 * got.len() as u64);
    assert!(stdout.contains(&format!("({} frames,", got.len() / 2)), "{stdout}");
    // What follows the input, once its file has run out, is up to the plugin.
    assert!(got.len() > fed.len(), "more than the input was recorded before the signal");
    assert_same_floats(&got[..fed.len()], &fed);
}

#[test]
fn a_killed_recording_is_a_readable_wav_up_to_its_last_checkpoint() {
    let fed = float_samples(RATE as usize);
    let alsa = Alsa::new(&float_bytes(&fed));
    let output = interrupt_after(&alsa, 2 * fed.len() as u64 * 4, "-KILL");
    assert_eq!(output.status.code(), None, "killed by the signal");
    let (spec, got) = read_wav::<f32>(&alsa.path("call.wav"));
    assert_eq!(spec, float_spec());
    // The header is that of the last checkpoint (every half second of audio): never more than
    // the file holds (or the samples above would not have read), and by the time two seconds
    // were on disk, at least the first second had been checkpointed.
    let frames = got.len() / 2;
    let on_disk = std::fs::metadata(alsa.path("call.wav")).expect("file").len();
    assert!(data_offset(&alsa.path("call.wav")) + 4 * got.len() as u64 <= on_disk);
    assert!(frames >= RATE as usize, "{frames} frames");
    assert_same_floats(&got[..fed.len()], &fed);
}

/// Where the samples start: after the `data` chunk's id and size (hound's header for float
/// data is longer than the canonical 44 bytes).
fn data_offset(path: &Path) -> u64 {
    let bytes = std::fs::read(path).expect("file");
    let data = bytes.windows(4).position(|w| w == b"data").expect("a data chunk");
    data as u64 + 8
}

#[test]
fn a_full_disk_stops_the_recording_and_keeps_a_readable_file() {
    // A 256 KiB file system of its own (tmpfs in a private mount namespace, which `unshare`
    // grants without privileges): room for about 0.68 s of 48 kHz stereo float.
    let fed = float_samples(RATE as usize);
    let alsa = Alsa::new(&float_bytes(&fed));
    let disk = alsa.path("disk");
    std::fs::create_dir(&disk).expect("mount point");
    let script = format!(
        "mount -t tmpfs -o size=256k tmpfs {disk} || exit 99; \
         {qadesk} record --yes --seconds 5 --out {disk}/call.wav; code=$?; \
         cp {disk}/call.wav {kept}; exit $code",
        disk = disk.display(),
        qadesk = env!("CARGO_BIN_EXE_qadesk"),
        kept = alsa.path("kept.wav").display(),
    );
    let output = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
        .current_dir(alsa.dir.path())
        .env("ALSA_CONFIG_PATH", alsa.path("asound.conf"))
        .stdin(Stdio::null())
        .output()
        .expect("unshare (util-linux) runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let message = stderr.lines().last().expect("an error line");
    let prefix = format!(
        "error: {}/call.wav: writing the recording failed (No space left on device (os error \
         28)); kept ",
        disk.display()
    );
    assert!(message.starts_with(&prefix), "{message}");
    let frames: usize = message
        .split_once(" s (")
        .and_then(|(_, rest)| rest.split_once(" frames)"))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("no frame count in {message}"));
    // Exactly what the message says is in the file, and it is what was fed in.
    let (spec, got) = read_wav::<f32>(&alsa.path("kept.wav"));
    assert_eq!(spec, float_spec());
    assert_eq!(got.len(), 2 * frames);
    assert!(frames >= RATE as usize / 2, "at least the first checkpoint: {frames} frames");
    assert_same_floats(&got, &fed[..got.len()]);
}
