//! G.711 μ-law and A-law: every code round-trips, quantisation error stays within the standard's
//! step sizes, and G.711 WAV files decode back to what was encoded.
#![allow(clippy::print_stdout)] // these tests print what they measure

mod common;

use common::*;
use qadesk_audio::decode_16k_bytes;
use qadesk_audio::telephone::{
    Law, decode_alaw, decode_mulaw, encode_alaw, encode_mulaw, resample, write_g711_wav,
};

#[test]
fn every_code_decodes_and_reencodes_to_itself() {
    for byte in 0..=255u8 {
        // μ-law has two zeros (0xFF and 0x7F); both decode to 0, which encodes as 0xFF.
        let expected_mulaw = if byte == 0x7F { 0xFF } else { byte };
        assert_eq!(encode_mulaw(decode_mulaw(byte)), expected_mulaw, "mu-law {byte:#04x}");
        assert_eq!(encode_alaw(decode_alaw(byte)), byte, "a-law {byte:#04x}");
    }
}

#[test]
fn known_codes_match_g711() {
    // Silence, and the full-scale codes, from the G.711 tables.
    assert_eq!(encode_mulaw(0.0), 0xFF);
    assert_eq!(encode_mulaw(1.0), 0x80);
    assert_eq!(encode_mulaw(-1.0), 0x00);
    assert_eq!(decode_mulaw(0x80), 32_124.0 / 32_768.0);
    assert_eq!(encode_alaw(0.0), 0xD5);
    assert_eq!(encode_alaw(1.0), 0xAA);
    assert_eq!(encode_alaw(-1.0), 0x2A);
    assert_eq!(decode_alaw(0xAA), 32_256.0 / 32_768.0);
    assert_eq!(decode_alaw(0xD5), 8.0 / 32_768.0);
}

#[test]
fn quantisation_error_is_within_half_a_step() {
    // Both laws keep 4 mantissa bits per segment: the error is at most half a step, which is
    // 1/32 of the lowest value of its segment, plus a few 16-bit units (μ-law's bias of 132 moves
    // segment edges by 132/32 units; rounding to 16 bits adds half a unit).
    let mut worst_mu = 0.0f32;
    let mut worst_a = 0.0f32;
    for i in -20_000..=20_000 {
        let x = i as f32 / 20_000.0 * 0.97;
        let mu_error = (decode_mulaw(encode_mulaw(x)) - x).abs();
        let a_error = (decode_alaw(encode_alaw(x)) - x).abs();
        assert!(mu_error <= x.abs() / 32.0 + 5.0 / 32_768.0, "mu-law {x}: error {mu_error}");
        assert!(a_error <= x.abs() / 32.0 + 8.5 / 32_768.0, "a-law {x}: error {a_error}");
        worst_mu = worst_mu.max(mu_error / x.abs().max(0.01));
        worst_a = worst_a.max(a_error / x.abs().max(0.01));
    }
    println!(
        "worst relative error above 1 % of full scale: mu-law {worst_mu:.4}, a-law {worst_a:.4}"
    );
}

#[test]
fn a_speech_level_tone_survives_g711_with_a_good_signal_to_noise_ratio() {
    // 1013 Hz rather than 1 kHz, so that the samples do not repeat every eight.
    let tone = sine(1_013.0, 8_000, 1.0, 0.3);
    for (law, encode, decode) in [
        (Law::MuLaw, encode_mulaw as fn(f32) -> u8, decode_mulaw as fn(u8) -> f32),
        (Law::ALaw, encode_alaw, decode_alaw),
    ] {
        let noise: Vec<f32> = tone.iter().map(|&x| decode(encode(x)) - x).collect();
        let snr_db = 20.0 * (rms(&tone) / rms(&noise)).log10();
        println!("{law:?}: snr {snr_db:.1} dB");
        // G.711 gives about 38 dB for a loud sine.
        assert!(snr_db > 33.0, "{law:?}: snr {snr_db:.1} dB");
    }
}

#[test]
fn g711_wav_files_decode_to_exactly_the_decoded_codes() {
    let left = sine(700.0, 16_000, 0.5, 0.5);
    let right = noise(8_000, 0.2, 7);
    for (law, tag, decode) in
        [(Law::MuLaw, 7u16, decode_mulaw as fn(u8) -> f32), (Law::ALaw, 6, decode_alaw)]
    {
        let bytes = write_g711_wav(&[left.clone(), right.clone()], 16_000, law);
        assert_eq!(&bytes[..4], b"RIFF");
        assert_eq!(u16::from_le_bytes([bytes[20], bytes[21]]), tag);
        let audio = decode_16k_bytes(bytes, None).unwrap();
        // At 16 kHz there is no resampling, so the samples are the table values.
        let encode = if law == Law::MuLaw { encode_mulaw } else { encode_alaw };
        for (channel, source) in audio.channels.iter().zip([&left, &right]) {
            assert_eq!(channel.len(), source.len());
            for (&got, &x) in channel.iter().zip(source.iter()) {
                assert_eq!(got, decode(encode(x)));
            }
        }
    }
}

#[test]
fn an_odd_number_of_g711_bytes_is_padded_and_still_decodes() {
    let bytes = write_g711_wav(&[sine(440.0, 8_001, 1.0, 0.5)], 8_001, Law::ALaw);
    assert_eq!(bytes.len() % 2, 0);
    let audio = decode_16k_bytes(bytes, None).unwrap();
    assert_eq!(audio.info.duration_ms, Some(1_000));
    // 8001 frames at 8001 Hz are one second: 16000 frames at 16 kHz.
    assert_eq!(audio.channels[0].len(), 16_000);
}

#[test]
fn making_an_8khz_telephone_copy_of_16khz_speech_keeps_it_intelligible() {
    // What a benchmark does to clean 16 kHz speech: 8 kHz, μ-law, stereo.
    let speech_band = sine(1_000.0, 16_000, 1.0, 0.4);
    let narrow = resample(&speech_band, 16_000, 8_000);
    assert_eq!(narrow.len(), 8_000);
    let bytes = write_g711_wav(&[narrow.clone(), vec![0.0; narrow.len()]], 8_000, Law::MuLaw);
    let back = decode_16k_bytes(bytes, None).unwrap();
    assert_eq!(back.info.codec, "mulaw");
    assert_eq!(back.channels[0].len(), 16_000);
    let steady = middle(&back.channels[0], 800);
    assert!((rms(steady) - 0.4 / 2f32.sqrt()).abs() < 0.01);
    assert!((zero_crossing_hz(steady, 16_000) - 1_000.0).abs() < 3.0);
    assert!(back.channels[1].iter().all(|&s| s.abs() < 1e-3));
}
