//! No byte sequence makes the decoder panic: random bytes, and valid WAV, G.711, FLAC and MP3
//! files with flipped bytes, overwritten header fields, cuts and insertions, all give `Ok` with
//! well-formed audio or an `Err`.

mod common;

use common::*;
use proptest::prelude::*;
use qadesk_audio::decode_16k_bytes;
use qadesk_audio::telephone::{Law, write_g711_wav};

fn seeds() -> Vec<Vec<u8>> {
    let tone = sine(440.0, 8_000, 0.3, 0.5);
    let mp3 = data_file("tone-mono-22k.mp3");
    let tag_len = 10 + mp3[6..10].iter().fold(0usize, |acc, &b| (acc << 7) | usize::from(b));
    vec![
        hound_wav(&[tone.clone(), tone.clone()], 8_000, 16, false),
        hound_wav(std::slice::from_ref(&tone), 44_100, 24, false),
        hound_wav(std::slice::from_ref(&tone), 8_000, 32, true),
        write_g711_wav(std::slice::from_ref(&tone), 8_000, Law::MuLaw),
        write_g711_wav(&[tone.clone(), tone.clone()], 8_000, Law::ALaw),
        riff(
            &extensible_fmt_body(1, 1, 16_000, 16, 16),
            &[(b"LIST", b"INFOabc")],
            &pcm16_bytes(&[tone]),
        ),
        data_file("tone-mono-44k.flac")[..6_000].to_vec(),
        mp3[..3_000].to_vec(),
        mp3[tag_len..tag_len + 3_000].to_vec(),
    ]
}

/// Decodes and checks that whatever comes back is well formed.
fn decode_never_panics(bytes: Vec<u8>, hint: Option<&str>) {
    if let Ok(audio) = decode_16k_bytes(bytes, hint) {
        assert_eq!(audio.channels.len(), usize::from(audio.info.channels));
        assert!(audio.channels.iter().all(|c| c.len() == audio.channels[0].len()));
        assert!(audio.channels.iter().flatten().all(|s| s.is_finite()));
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, value: u8 },
    Overwrite32 { at: usize, value: u32 },
    Cut { at: usize },
    Insert { at: usize, bytes: Vec<u8> },
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len().max(1);
    match mutation {
        Mutation::Flip { at, value } => {
            if let Some(byte) = bytes.get_mut(at % len) {
                *byte ^= value | 1;
            }
        }
        Mutation::Overwrite32 { at, value } => {
            // Mostly header fields: the first 64 bytes.
            let at = at % 64;
            if at + 4 <= bytes.len() {
                bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
            }
        }
        Mutation::Cut { at } => bytes.truncate(at % len),
        Mutation::Insert { at, bytes: extra } => {
            let at = at % len;
            bytes.splice(at.min(bytes.len())..at.min(bytes.len()), extra.iter().copied());
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(at, value)| Mutation::Flip { at, value }),
        3 => (any::<usize>(), prop_oneof![Just(0u32), Just(u32::MAX), Just(1), Just(0xFFFE), any::<u32>()])
            .prop_map(|(at, value)| Mutation::Overwrite32 { at, value }),
        1 => any::<usize>().prop_map(|at| Mutation::Cut { at }),
        1 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..64))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

fn hint() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![Just(None), Just(Some("wav")), Just(Some("mp3")), Just(Some("flac"))]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4_096), hint in hint()) {
        decode_never_panics(bytes, hint);
    }

    #[test]
    fn random_bytes_behind_a_known_magic_never_panic(
        magic in prop_oneof![
            Just(b"RIFF\x24\0\0\0WAVEfmt ".to_vec()),
            Just(b"fLaC".to_vec()),
            Just(b"ID3\x04\0\0\0\0\0\x10".to_vec()),
            Just(vec![0xFF, 0xFB, 0x90, 0x64]),
            Just(vec![0xFF, 0xF3, 0x40, 0xC4]),
        ],
        tail in proptest::collection::vec(any::<u8>(), 0..4_096),
    ) {
        decode_never_panics([magic, tail].concat(), None);
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_500, ..ProptestConfig::default() })]

    #[test]
    fn mutated_valid_files_never_panic(
        seed in 0usize..9,
        mutations in proptest::collection::vec(mutation(), 1..12),
        hint in hint(),
    ) {
        let mut bytes = seeds().swap_remove(seed);
        for mutation in &mutations {
            apply(&mut bytes, mutation);
        }
        decode_never_panics(bytes, hint);
    }
}
