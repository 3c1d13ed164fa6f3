//! Every supported coding decodes to the right codec name, duration (±20 ms) and channel count,
//! whatever the file is named.

mod common;

use common::*;
use qadesk_audio::telephone::{Law, write_g711_wav};
use qadesk_audio::{Audio16k, decode_16k, decode_16k_bytes};

/// Asserts codec, source rate, channel count, and a decoded duration of `seconds` ± 20 ms.
fn check(audio: &Audio16k, codec: &str, rate: u32, channels: u16, seconds: f64) {
    assert_eq!(audio.info.codec, codec);
    assert_eq!(audio.info.sample_rate, rate, "{codec}");
    assert_eq!(audio.info.channels, channels, "{codec}");
    assert_eq!(audio.channels.len(), usize::from(channels), "{codec}");
    let lengths: Vec<usize> = audio.channels.iter().map(Vec::len).collect();
    assert!(lengths.iter().all(|&len| len == lengths[0]), "{codec}: unequal channels {lengths:?}");
    let expected_ms = seconds * 1000.0;
    let decoded_ms = audio.duration_ms() as f64;
    assert!(
        (decoded_ms - expected_ms).abs() <= 20.0,
        "{codec}: decoded {decoded_ms} ms, expected {expected_ms} ms"
    );
    if let Some(stated) = audio.info.duration_ms {
        assert!((stated as f64 - expected_ms).abs() <= 20.0, "{codec}: header says {stated} ms");
    }
}

#[test]
fn integer_and_float_pcm_wav_of_every_width_decode() {
    let tone = sine(440.0, 22_050, 1.5, 0.5);
    for (bits, float, codec) in [
        (8, false, "pcm8"),
        (16, false, "pcm16"),
        (24, false, "pcm24"),
        (32, false, "pcm32"),
        (32, true, "float32"),
    ] {
        let bytes = hound_wav(std::slice::from_ref(&tone), 22_050, bits, float);
        let audio = decode_16k_bytes(bytes, Some("wav")).unwrap();
        check(&audio, codec, 22_050, 1, 1.5);
        let level = rms(middle(&audio.channels[0], 800));
        assert!((level - 0.5 / 2f32.sqrt()).abs() < 0.01, "{codec}: rms {level}");
    }
}

#[test]
fn float64_wav_decodes() {
    let tone = sine(300.0, 16_000, 1.0, 0.25);
    let data: Vec<u8> = tone.iter().flat_map(|&s| f64::from(s).to_le_bytes()).collect();
    let bytes = riff(&fmt_body(3, 1, 16_000, 64), &[], &data);
    let audio = decode_16k_bytes(bytes, None).unwrap();
    check(&audio, "float64", 16_000, 1, 1.0);
    // 16 kHz in, 16 kHz out: the samples pass through untouched.
    assert!(audio.channels[0].iter().zip(&tone).all(|(a, b)| (a - b).abs() < 1e-6));
}

#[test]
fn mulaw_and_alaw_wav_decode_at_8khz_and_keep_stereo() {
    let left = sine(500.0, 8_000, 2.0, 0.4);
    let right = sine(1_200.0, 8_000, 2.0, 0.1);
    for (law, codec) in [(Law::MuLaw, "mulaw"), (Law::ALaw, "alaw")] {
        let bytes = write_g711_wav(&[left.clone(), right.clone()], 8_000, law);
        let audio = decode_16k_bytes(bytes, Some("wav")).unwrap();
        check(&audio, codec, 8_000, 2, 2.0);
        let (l, r) = (middle(&audio.channels[0], 800), middle(&audio.channels[1], 800));
        assert!((rms(l) - 0.4 / 2f32.sqrt()).abs() < 0.01, "{codec} left rms {}", rms(l));
        assert!((rms(r) - 0.1 / 2f32.sqrt()).abs() < 0.005, "{codec} right rms {}", rms(r));
        assert!((zero_crossing_hz(l, 16_000) - 500.0).abs() < 5.0);
        assert!((zero_crossing_hz(r, 16_000) - 1_200.0).abs() < 5.0);
    }
}

#[test]
fn wave_format_extensible_wavs_decode_by_their_sub_format() {
    let tone = sine(440.0, 16_000, 1.0, 0.5);
    let pcm16 = pcm16_bytes(&[tone.clone(), tone.clone()]);
    let bytes = riff(&extensible_fmt_body(1, 2, 16_000, 16, 16), &[], &pcm16);
    check(&decode_16k_bytes(bytes, None).unwrap(), "pcm16", 16_000, 2, 1.0);

    // 20 valid bits in a 24-bit container, left-justified as the format requires.
    let pcm24: Vec<u8> = tone
        .iter()
        .flat_map(|&s| {
            let value = ((s * 524_287.0).round() as i32) << 4;
            value.to_le_bytes()[..3].to_vec()
        })
        .collect();
    let bytes = riff(&extensible_fmt_body(1, 1, 16_000, 24, 20), &[], &pcm24);
    let audio = decode_16k_bytes(bytes, None).unwrap();
    check(&audio, "pcm24", 16_000, 1, 1.0);
    assert!(audio.channels[0].iter().zip(&tone).all(|(a, b)| (a - b).abs() < 1e-4));

    let float: Vec<u8> = tone.iter().flat_map(|s| s.to_le_bytes()).collect();
    let bytes = riff(&extensible_fmt_body(3, 1, 16_000, 32, 32), &[], &float);
    check(&decode_16k_bytes(bytes, None).unwrap(), "float32", 16_000, 1, 1.0);

    let mulaw: Vec<u8> = sine(440.0, 8_000, 1.0, 0.5)
        .iter()
        .map(|&s| qadesk_audio::telephone::encode_mulaw(s))
        .collect();
    let bytes = riff(&extensible_fmt_body(7, 1, 8_000, 8, 8), &[], &mulaw);
    check(&decode_16k_bytes(bytes, None).unwrap(), "mulaw", 8_000, 1, 1.0);
}

#[test]
fn list_chunks_and_odd_sized_chunks_before_the_data_are_skipped() {
    let tone = sine(440.0, 16_000, 1.0, 0.5);
    let data = pcm16_bytes(std::slice::from_ref(&tone));
    let list: &[u8] = b"INFOISFT\x07\0\0\0qadesk\0\0";
    let odd: &[u8] = b"odd";
    let bytes = riff(&fmt_body(1, 1, 16_000, 16), &[(b"LIST", list), (b"junk", odd)], &data);
    let audio = decode_16k_bytes(bytes, None).unwrap();
    check(&audio, "pcm16", 16_000, 1, 1.0);
    assert!((audio.channels[0][100] - tone[100]).abs() < 1e-4);
}

#[test]
fn an_odd_chunk_written_without_its_pad_byte_is_still_read() {
    let data = pcm16_bytes(&[sine(440.0, 16_000, 1.0, 0.5)]);
    // Build by hand: a 3-byte chunk followed directly by `data`, as buggy writers do.
    let mut body = b"WAVEfmt ".to_vec();
    body.extend_from_slice(&16u32.to_le_bytes());
    body.extend_from_slice(&fmt_body(1, 1, 16_000, 16));
    body.extend_from_slice(b"note\x03\0\0\0abc");
    body.extend_from_slice(b"data");
    body.extend_from_slice(&(data.len() as u32).to_le_bytes());
    body.extend_from_slice(&data);
    let mut bytes = b"RIFF".to_vec();
    bytes.extend_from_slice(&(body.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&body);
    check(&decode_16k_bytes(bytes, None).unwrap(), "pcm16", 16_000, 1, 1.0);
}

#[test]
fn an_unfinished_recording_with_no_data_size_decodes_to_the_end_of_the_file() {
    let data = pcm16_bytes(&[sine(440.0, 16_000, 1.2, 0.5)]);
    let mut bytes = riff(&fmt_body(1, 1, 16_000, 16), &[], &data);
    let size_at = bytes.len() - data.len() - 4;
    bytes[size_at..size_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    check(&decode_16k_bytes(bytes.clone(), None).unwrap(), "pcm16", 16_000, 1, 1.2);
    bytes[size_at..size_at + 4].copy_from_slice(&0u32.to_le_bytes());
    check(&decode_16k_bytes(bytes, None).unwrap(), "pcm16", 16_000, 1, 1.2);
}

#[test]
fn mp3_files_decode_with_and_without_an_id3_tag() {
    // tone-stereo-44k.mp3 starts with an ID3v2 tag; tone-mono-22k.mp3 is MPEG-2 layer III.
    let audio = decode_16k_bytes(data_file("tone-stereo-44k.mp3"), Some("mp3")).unwrap();
    check(&audio, "mp3", 44_100, 2, 1.5);
    let (l, r) = (middle(&audio.channels[0], 1600), middle(&audio.channels[1], 1600));
    assert!((zero_crossing_hz(l, 16_000) - 440.0).abs() < 5.0);
    assert!((zero_crossing_hz(r, 16_000) - 1_000.0).abs() < 5.0);

    let tagged = data_file("tone-mono-22k.mp3");
    let audio = decode_16k_bytes(tagged.clone(), Some("mp3")).unwrap();
    check(&audio, "mp3", 22_050, 1, 1.2);

    // Without its ID3 tag the file starts with a bare frame sync (and the Xing/LAME frame).
    assert_eq!(&tagged[..3], b"ID3");
    let tag_len = 10 + tagged[6..10].iter().fold(0usize, |acc, &b| (acc << 7) | usize::from(b));
    let bare = tagged[tag_len..].to_vec();
    assert_eq!(bare[0], 0xFF);
    check(&decode_16k_bytes(bare, None).unwrap(), "mp3", 22_050, 1, 1.2);
}

#[test]
fn flac_files_decode() {
    let audio =
        decode_16k(std::fs::File::open(data_path("tone-stereo-16k.flac")).unwrap(), None).unwrap();
    check(&audio, "flac", 16_000, 2, 1.5);
    let (l, r) = (middle(&audio.channels[0], 100), middle(&audio.channels[1], 100));
    assert!((zero_crossing_hz(l, 16_000) - 440.0).abs() < 5.0);
    assert!((zero_crossing_hz(r, 16_000) - 1_000.0).abs() < 5.0);
    assert!((rms(l) - 0.05 / 2f32.sqrt()).abs() < 0.002);

    let audio = decode_16k_bytes(data_file("tone-mono-44k.flac"), Some("flac")).unwrap();
    check(&audio, "flac", 44_100, 1, 1.0);
}

#[test]
fn the_content_decides_the_container_not_the_name() {
    let wav = hound_wav(&[sine(440.0, 8_000, 1.0, 0.5)], 8_000, 16, false);
    check(&decode_16k_bytes(wav, Some("mp3")).unwrap(), "pcm16", 8_000, 1, 1.0);
    let mp3 = data_file("tone-stereo-44k.mp3");
    check(&decode_16k_bytes(mp3, Some("wav")).unwrap(), "mp3", 44_100, 2, 1.5);
    let flac = data_file("tone-mono-44k.flac");
    check(&decode_16k_bytes(flac, Some("mp3")).unwrap(), "flac", 44_100, 1, 1.0);
}

#[test]
fn real_speech_in_mp3_decodes_to_its_length() {
    // whisper.cpp's jfk sample (11.0 s), re-encoded at 32 kbit/s; see tests/data/README.md.
    let audio = decode_16k_bytes(data_file("jfk-16k.mp3"), Some("mp3")).unwrap();
    check(&audio, "mp3", 16_000, 1, 11.0);
}

#[test]
fn multichannel_wav_keeps_every_channel() {
    let channels: Vec<Vec<f32>> =
        (0..6).map(|c| sine(200.0 * (c + 1) as f32, 48_000, 1.0, 0.3)).collect();
    let audio = decode_16k_bytes(hound_wav(&channels, 48_000, 24, false), None).unwrap();
    check(&audio, "pcm24", 48_000, 6, 1.0);
    for (index, channel) in audio.channels.iter().enumerate() {
        let hz = zero_crossing_hz(middle(channel, 1600), 16_000);
        assert!((hz - 200.0 * (index + 1) as f32).abs() < 5.0, "channel {index}: {hz} Hz");
    }
}
