//! Bad input gets the right error and a message a user understands: zero-length, truncated,
//! corrupt, unsupported and mislabelled files.

mod common;

use common::*;
use qadesk_audio::telephone::{Law, write_g711_wav};
use qadesk_audio::{AudioError, decode_16k, decode_16k_bytes};

fn error_of(bytes: Vec<u8>, hint: Option<&str>) -> AudioError {
    match decode_16k_bytes(bytes, hint) {
        Ok(audio) => panic!("decoded {:?} instead of failing", audio.info),
        Err(err) => err,
    }
}

#[test]
fn a_zero_length_file_is_empty() {
    let err = error_of(Vec::new(), Some("wav"));
    assert!(matches!(err, AudioError::Empty));
    assert_eq!(err.to_string(), "empty file (0 bytes)");
    let err = decode_16k(tempfile::tempfile().unwrap(), Some("mp3")).unwrap_err();
    assert!(matches!(err, AudioError::Empty));
}

#[test]
fn a_wav_cut_short_under_a_second_is_truncated_and_says_how_much_is_missing() {
    let full = hound_wav(&[sine(440.0, 16_000, 2.0, 0.5)], 16_000, 16, false);
    let cut = full[..44 + 10_000].to_vec();
    let err = error_of(cut, Some("wav"));
    assert!(matches!(err, AudioError::Truncated { declared: 64_000, present: 10_000 }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "truncated: the data chunk declares 64000 bytes but only 10000 are present \
         (54000 bytes missing)"
    );
    // Cut inside the header itself.
    assert!(matches!(error_of(full[..30].to_vec(), None), AudioError::CorruptHeader { .. }));
}

#[test]
fn a_wav_cut_short_after_a_second_decodes_what_is_there() {
    let full = hound_wav(&[sine(440.0, 8_000, 3.0, 0.5)], 8_000, 16, false);
    // 1.5 s of the 3 s, ending in the middle of a sample.
    let cut = full[..44 + 24_001].to_vec();
    let audio = decode_16k_bytes(cut, None).unwrap();
    assert_eq!(audio.channels[0].len(), 24_000);
    assert_eq!(audio.info.duration_ms, Some(1_500));
    let g711 = write_g711_wav(&[sine(440.0, 8_000, 3.0, 0.5)], 8_000, Law::MuLaw);
    let audio = decode_16k_bytes(g711[..g711.len() - 8_000].to_vec(), None).unwrap();
    assert_eq!(audio.channels[0].len(), 32_000);
}

#[test]
fn a_text_file_named_wav_is_not_audio() {
    let text = b"Agent: Good morning, Nordlys Telecom, Anna speaking.\n".to_vec();
    let err = error_of(text, Some("wav"));
    assert!(matches!(err, AudioError::NotAudio { .. }), "{err:?}");
    assert_eq!(err.to_string(), "not an audio file: it looks like a text file");
    let utf8 = "Kunde: Hei, internettet mitt har vært nede siden i går — hjelp!\r\n".as_bytes();
    assert!(matches!(error_of(utf8.to_vec(), Some("mp3")), AudioError::NotAudio { .. }));
}

#[test]
fn binary_junk_is_not_audio_and_the_message_names_the_claimed_format() {
    let junk: Vec<u8> =
        (0..4_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 1).collect();
    let err = error_of(junk, Some("mp3"));
    assert!(matches!(err, AudioError::NotAudio { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "not an audio file: unrecognised content (not wav, mp3 or flac); the name says .mp3, \
         but the content is not mp3 audio"
    );
}

#[test]
fn unsupported_wav_format_tags_are_named() {
    let err = error_of(riff(&fmt_body(0x0055, 1, 8_000, 0), &[], &[0; 1_000]), Some("wav"));
    assert!(matches!(err, AudioError::Unsupported { .. }), "{err:?}");
    assert_eq!(err.to_string(), "wav format tag 0x0055 (mp3-in-wav) is not supported");
    let err = error_of(riff(&fmt_body(0x0031, 1, 8_000, 0), &[], &[0; 650]), None);
    assert_eq!(err.to_string(), "wav format tag 0x0031 (gsm 6.10) is not supported");
    let err = error_of(riff(&fmt_body(0x1234, 1, 8_000, 8), &[], &[0; 100]), None);
    assert_eq!(err.to_string(), "wav format tag 0x1234 is not supported");
    // An extensible file whose GUID is not one of the tag-carrying ones.
    let mut fmt = extensible_fmt_body(1, 1, 16_000, 16, 16);
    fmt[24..40].copy_from_slice(&[0xAB; 16]);
    let err = error_of(riff(&fmt, &[], &[0; 100]), None);
    assert!(err.to_string().starts_with("wav extensible sub-format abab"), "{err}");
}

#[test]
fn other_containers_are_named_as_unsupported() {
    for (head, message) in [
        (&b"OggS\0\x02\0\0\0\0\0\0\0\0"[..], "ogg audio (vorbis or opus) is not supported"),
        (&b"\0\0\0\x20ftypM4A \0\0\0\0"[..], "mp4/m4a audio (aac) is not supported"),
        (&b"#!AMR\n\x3c\x48"[..], "amr audio is not supported"),
        (&b"RIFX\0\0\0\x24WAVE"[..], "big-endian wav (rifx) is not supported"),
        (&[0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC][..], "aac audio (adts) is not supported"),
    ] {
        let err = error_of(head.to_vec(), None);
        assert!(matches!(err, AudioError::Unsupported { .. }), "{err:?}");
        assert_eq!(err.to_string(), message);
    }
    let err = error_of(b"RIFF\x04\0\0\0AVI LIST".to_vec(), Some("wav"));
    assert_eq!(err.to_string(), "not an audio file: a riff file of type 'AVI', not wave audio");
    let err = error_of(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3".to_vec(), Some("wav"));
    assert_eq!(err.to_string(), "not an audio file: it looks like a pdf document");
}

#[test]
fn corrupt_wav_headers_name_the_field_at_fault() {
    let data = [0u8; 32_000];
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (riff(&fmt_body(1, 0, 16_000, 16), &[], &data), "corrupt wav header: channel count is 0"),
        (riff(&fmt_body(1, 1, 0, 16), &[], &data), "corrupt wav header: sample rate is 0"),
        (
            riff(&fmt_body(1, 1, 16_000, 16)[..12], &[], &data),
            "corrupt wav header: fmt chunk is 12 bytes, at least 16 are needed",
        ),
        (b"RIFF\x04\0\0\0WAVE".to_vec(), "corrupt wav header: no fmt chunk before the end"),
        (
            riff(&fmt_body(1, 1, 16_000, 16), &[], &[])[..36].to_vec(),
            "corrupt wav header: no data chunk",
        ),
    ];
    for (bytes, message) in cases {
        let err = error_of(bytes, Some("wav"));
        assert!(matches!(err, AudioError::CorruptHeader { .. }), "{err:?}");
        assert_eq!(err.to_string(), message);
    }
    // Block align disagreeing with the channels and bit depth.
    let mut fmt = fmt_body(1, 2, 16_000, 16);
    fmt[12] = 3;
    let err = error_of(riff(&fmt, &[], &data), None);
    assert_eq!(
        err.to_string(),
        "corrupt wav header: block align is 3 but 2 channels of 16 bits need 4"
    );
}

#[test]
fn out_of_range_rates_and_channel_counts_are_unsupported() {
    let err = error_of(riff(&fmt_body(1, 1, 500, 16), &[], &[0; 2_000]), None);
    assert_eq!(
        err.to_string(),
        "a sample rate of 500 hz (qadesk reads 1000 to 384000 hz) is not supported"
    );
    let err = error_of(riff(&fmt_body(1, 40, 8_000, 8), &[], &[0; 4_000]), None);
    assert_eq!(err.to_string(), "a wav file with 40 channels (at most 32) is not supported");
}

#[test]
fn a_damaged_flac_or_mp3_header_is_corrupt() {
    let mut flac = data_file("tone-stereo-16k.flac");
    flac.truncate(20);
    let err = error_of(flac, Some("flac"));
    assert!(matches!(err, AudioError::CorruptHeader { container: "flac", .. }), "{err:?}");
    let mp3 = data_file("tone-stereo-44k.mp3");
    // The ID3 tag alone, with no audio after it.
    let tag_len = 10 + mp3[6..10].iter().fold(0usize, |acc, &b| (acc << 7) | usize::from(b));
    let err = error_of(mp3[..tag_len].to_vec(), Some("mp3"));
    assert!(err.to_string().starts_with("corrupt mp3"), "{err}");
}

#[test]
fn a_truncated_mp3_or_flac_decodes_what_is_there() {
    let mp3 = data_file("tone-stereo-44k.mp3");
    let audio = decode_16k_bytes(mp3[..mp3.len() / 2].to_vec(), None).unwrap();
    let seconds = audio.duration_ms() as f64 / 1000.0;
    assert!((0.5..1.0).contains(&seconds), "{seconds} s");
    let flac = data_file("tone-stereo-16k.flac");
    let audio = decode_16k_bytes(flac[..flac.len() / 2].to_vec(), None).unwrap();
    let seconds = audio.duration_ms() as f64 / 1000.0;
    assert!((0.5..1.0).contains(&seconds), "{seconds} s");
}
