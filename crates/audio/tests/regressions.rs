//! Inputs that once crashed or misbehaved, kept so they never do again; named after the issue
//! whose work found them.

mod common;

use common::*;
use qadesk_audio::{AudioError, decode_16k_bytes};

/// Found by the proptest in `no_panic.rs`: float WAVs holding huge values made rubato's inverse
/// FFT see infinities and panic ("Imaginary part of first value was non-zero").
#[test]
fn issue_3_huge_float_samples_do_not_panic_the_resampler() {
    for value in [1.0e30f32, -3.0e38, f32::INFINITY, f32::NAN] {
        let samples: Vec<f32> = (0..4_410).map(|i| if i % 7 == 0 { value } else { 0.1 }).collect();
        let data: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        let bytes = riff(&fmt_body(3, 1, 44_100, 32), &[], &data);
        let audio = decode_16k_bytes(bytes, None).unwrap();
        assert_eq!(audio.channels[0].len(), 1_600);
        assert!(audio.channels[0].iter().all(|s| s.is_finite() && s.abs() <= 128.0), "{value}");
    }
}

/// Every crash input the fuzzer found (see `fuzz/README.md`) decodes to `Ok` or `Err`.
#[test]
fn issue_3_fuzz_crash_inputs_decode_without_panicking() {
    let dir = data_path("fuzz");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let result = decode_16k_bytes(bytes, None);
        if let Err(err) = &result {
            assert!(!matches!(err, AudioError::Io(_)), "{}: {err}", path.display());
        }
        checked += 1;
    }
    assert!(checked > 0, "no regression inputs in {}", dir.display());
}
