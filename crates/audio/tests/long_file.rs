//! A two-hour 48 kHz stereo recording decodes block by block in bounded memory.
//!
//! Alone in its test binary so that the process's peak memory is this test's.
#![allow(clippy::print_stdout)] // these tests print what they measure

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use qadesk_audio::Stream16k;

const RATE: u32 = 48_000;
const CHANNELS: u16 = 2;
const SECONDS: u64 = 2 * 60 * 60;

/// Streams a silent 16-bit WAV of `SECONDS` to `file`, a megabyte at a time.
fn write_long_silence(file: File) -> u64 {
    let data_len = SECONDS * u64::from(RATE) * u64::from(CHANNELS) * 2;
    let data_len32 = u32::try_from(data_len).unwrap();
    let mut out = BufWriter::new(file);
    out.write_all(b"RIFF").unwrap();
    out.write_all(&(36 + data_len32).to_le_bytes()).unwrap();
    out.write_all(b"WAVEfmt ").unwrap();
    out.write_all(&16u32.to_le_bytes()).unwrap();
    out.write_all(&1u16.to_le_bytes()).unwrap();
    out.write_all(&CHANNELS.to_le_bytes()).unwrap();
    out.write_all(&RATE.to_le_bytes()).unwrap();
    out.write_all(&(RATE * u32::from(CHANNELS) * 2).to_le_bytes()).unwrap();
    out.write_all(&(CHANNELS * 2).to_le_bytes()).unwrap();
    out.write_all(&16u16.to_le_bytes()).unwrap();
    out.write_all(b"data").unwrap();
    out.write_all(&data_len32.to_le_bytes()).unwrap();
    let silence = vec![0u8; 1 << 20];
    let mut left = data_len;
    while left > 0 {
        let n = left.min(silence.len() as u64) as usize;
        out.write_all(&silence[..n]).unwrap();
        left -= n as u64;
    }
    out.flush().unwrap();
    data_len
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

#[test]
fn a_two_hour_stereo_file_decodes_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two-hours.wav");
    let data_len = write_long_silence(File::create(&path).unwrap());
    let peak_before = peak_rss_mib();

    let started = Instant::now();
    let mut stream = Stream16k::open(File::open(&path).unwrap(), Some("wav")).unwrap();
    assert_eq!(stream.info().duration_ms, Some(SECONDS * 1000));
    let (mut blocks, mut frames, mut largest) = (0u64, 0u64, 0usize);
    while let Some(block) = stream.next_block().unwrap() {
        assert_eq!(block.len(), usize::from(CHANNELS));
        largest = largest.max(block[0].len());
        frames += block[0].len() as u64;
        blocks += 1;
        assert!(block.iter().all(|plane| plane.iter().all(|&s| s == 0.0)));
    }
    let elapsed = started.elapsed();
    let peak_after = peak_rss_mib();

    println!(
        "2 h of 48 kHz stereo ({:.2} GB): {blocks} blocks, largest {largest} frames ({:.2} s), \
         decoded in {:.1} s; peak RSS before {peak_before:?} MiB, after {peak_after:?} MiB",
        data_len as f64 / 1e9,
        largest as f64 / 16_000.0,
        elapsed.as_secs_f64()
    );
    assert_eq!(frames, SECONDS * 16_000);
    assert!(largest <= 2 * 16_000, "a block of {largest} frames is over 2 s");
    // The file is 1.4 GB and the decoded audio would be 0.9 GB: staying under 100 MiB proves
    // neither is ever held whole.
    if let Some(peak) = peak_after {
        assert!(peak < 100.0, "peak resident memory {peak:.0} MiB");
    }
}
