//! Resampling to 16 kHz keeps tones (frequency and level), removes what 16 kHz cannot hold
//! instead of folding it back, and keeps lengths and timing exact.
#![allow(clippy::print_stdout)] // these tests print what they measure

mod common;

use common::*;
use qadesk_audio::decode_16k_bytes;
use qadesk_audio::telephone::resample;

/// A tone file at `rate` decoded to 16 kHz.
fn tone_at_16k(freq: f32, rate: u32, amplitude: f32) -> Vec<f32> {
    let wav = hound_wav(&[sine(freq, rate, 2.0, amplitude)], rate, 32, true);
    decode_16k_bytes(wav, None).unwrap().channels.remove(0)
}

#[test]
fn a_1khz_tone_keeps_its_frequency_and_level_from_every_common_rate() {
    for rate in [8_000, 11_025, 22_050, 32_000, 44_100, 48_000, 96_000] {
        let out = tone_at_16k(1_000.0, rate, 0.5);
        assert_eq!(out.len(), 32_000, "{rate} Hz: 2 s must give 32000 samples");
        let steady = middle(&out, 1_600);
        let hz = zero_crossing_hz(steady, 16_000);
        let level = rms(steady);
        assert!((hz - 1_000.0).abs() < 2.0, "{rate} Hz: tone came out at {hz} Hz");
        assert!((level - 0.5 / 2f32.sqrt()).abs() < 0.005, "{rate} Hz: rms {level}");
    }
}

#[test]
fn tones_above_8khz_are_removed_not_aliased() {
    // At 44.1 kHz these would fold to 6.1, 4.0 and 1.0 kHz under naive decimation.
    for freq in [9_900.0, 12_000.0, 15_000.0] {
        let out = tone_at_16k(freq, 44_100, 0.5);
        let level = rms(middle(&out, 1_600));
        let attenuation_db = 20.0 * (level / (0.5 / 2f32.sqrt())).log10();
        println!("{freq} Hz at 44.1 kHz -> 16 kHz: {attenuation_db:.1} dB");
        assert!(attenuation_db < -60.0, "{freq} Hz only attenuated {attenuation_db:.1} dB");
    }
}

#[test]
fn a_7_5khz_tone_is_inside_the_16khz_band_and_passes_unchanged() {
    // 7.5 kHz is below 16 kHz's Nyquist frequency (8 kHz), so a correct resampler keeps it; it is
    // a tone at 8 kHz telephone rate (next test) that must be removed.
    let out = tone_at_16k(7_500.0, 44_100, 0.5);
    let steady = middle(&out, 1_600);
    let gain_db = 20.0 * (rms(steady) / (0.5 / 2f32.sqrt())).log10();
    println!("7.5 kHz at 44.1 kHz -> 16 kHz: {gain_db:.2} dB");
    assert!(gain_db.abs() < 0.5, "gain {gain_db} dB");
    assert!((zero_crossing_hz(steady, 16_000) - 7_500.0).abs() < 5.0);
}

#[test]
fn a_7_5khz_tone_is_attenuated_strongly_when_going_to_8khz() {
    let tone = sine(7_500.0, 44_100, 2.0, 0.5);
    let out = resample(&tone, 44_100, 8_000);
    assert_eq!(out.len(), 16_000);
    let attenuation_db = 20.0 * (rms(middle(&out, 800)) / (0.5 / 2f32.sqrt())).log10();
    println!("7.5 kHz at 44.1 kHz -> 8 kHz: {attenuation_db:.1} dB");
    assert!(attenuation_db < -60.0, "only {attenuation_db:.1} dB");
    // While speech-band content passes.
    let speech_band = resample(&sine(1_000.0, 44_100, 2.0, 0.5), 44_100, 8_000);
    assert!((rms(middle(&speech_band, 800)) - 0.5 / 2f32.sqrt()).abs() < 0.005);
}

#[test]
fn resampling_keeps_timing_an_impulse_stays_in_place() {
    // 44 101 Hz shares no factor with 16 kHz and goes through the sinc resampler.
    for rate in [8_000u32, 44_100, 48_000, 44_101] {
        let mut clip = vec![0.0f32; rate as usize];
        let at = rate as usize / 2;
        clip[at] = 1.0;
        let out = resample(&clip, rate, 16_000);
        assert_eq!(out.len(), 16_000);
        let peak = out
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .map(|(index, _)| index)
            .unwrap();
        assert!(peak.abs_diff(8_000) <= 1, "{rate} Hz: impulse moved to {peak}");
    }
}

#[test]
fn output_length_is_the_input_length_scaled_by_the_rate_ratio() {
    for (frames, from, to) in [
        (0, 44_100, 16_000),
        (1, 8_000, 16_000),
        (441, 44_100, 16_000),
        (100_003, 48_000, 16_000),
        (12_345, 16_000, 8_000),
        (777, 22_050, 16_000),
    ] {
        let out = resample(&vec![0.1; frames], from, to);
        let expected =
            ((frames as u64 * u64::from(to) + u64::from(from) / 2) / u64::from(from)) as usize;
        assert_eq!(out.len(), expected, "{frames} frames {from} -> {to}");
    }
    assert!(resample(&[0.5; 10], 0, 16_000).is_empty());
}

#[test]
fn odd_sample_rates_resample_too() {
    // A rate sharing no factor with 16 kHz would need a one-second FFT: the sinc resampler
    // takes over, with the same anti-aliasing.
    let out = tone_at_16k(1_000.0, 44_101, 0.5);
    assert_eq!(out.len(), 32_000);
    let steady = middle(&out, 1_600);
    assert!((zero_crossing_hz(steady, 16_000) - 1_000.0).abs() < 2.0);
    assert!((rms(steady) - 0.5 / 2f32.sqrt()).abs() < 0.005);
    let alias = rms(middle(&tone_at_16k(12_000.0, 44_101, 0.5), 1_600));
    let attenuation_db = 20.0 * (alias / (0.5 / 2f32.sqrt())).log10();
    println!("12 kHz at 44.101 kHz -> 16 kHz (sinc): {attenuation_db:.1} dB");
    assert!(attenuation_db < -60.0, "only {attenuation_db:.1} dB");
}
