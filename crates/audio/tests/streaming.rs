//! Streaming decoding gives the same samples as whole-file decoding, in blocks of at most a
//! second, and stereo channels stay apart all the way.

mod common;

use std::io::Write;

use common::*;
use qadesk_audio::telephone::{Law, write_g711_wav};
use qadesk_audio::{Stream16k, decode_16k, decode_16k_bytes, mix_to_mono, write_wav_16bit};

fn stream_all(bytes: Vec<u8>) -> (Vec<Vec<f32>>, usize) {
    let mut stream = Stream16k::from_bytes(bytes, None).unwrap();
    let mut channels = vec![Vec::new(); usize::from(stream.info().channels)];
    let mut largest = 0;
    while let Some(block) = stream.next_block().unwrap() {
        assert_eq!(block.len(), channels.len());
        largest = largest.max(block[0].len());
        assert!(block.iter().all(|plane| plane.len() == block[0].len()));
        for (channel, plane) in channels.iter_mut().zip(block) {
            channel.extend(plane);
        }
    }
    // Exhausted streams stay exhausted.
    assert!(stream.next_block().unwrap().is_none());
    (channels, largest)
}

#[test]
fn streaming_and_whole_file_decoding_give_the_same_samples() {
    let left = sine(440.0, 44_100, 3.3, 0.5);
    let right = noise(left.len(), 0.3, 11);
    let files = [
        hound_wav(&[left.clone(), right.clone()], 44_100, 16, false),
        write_g711_wav(&[left[..20_000].to_vec()], 8_000, Law::MuLaw),
        data_file("tone-stereo-44k.mp3"),
        data_file("tone-stereo-16k.flac"),
    ];
    for bytes in files {
        let whole = decode_16k_bytes(bytes.clone(), None).unwrap();
        let (streamed, largest) = stream_all(bytes);
        assert!(largest <= 16_000, "{}: block of {largest} frames", whole.info.codec);
        assert_eq!(streamed, whole.channels, "{}", whole.info.codec);
    }
}

#[test]
fn decoding_from_a_file_equals_decoding_from_bytes() {
    let bytes = hound_wav(&[sine(300.0, 48_000, 1.0, 0.5)], 48_000, 24, false);
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(&bytes).unwrap();
    let from_file = decode_16k(file, Some("wav")).unwrap();
    assert_eq!(from_file, decode_16k_bytes(bytes, Some("wav")).unwrap());
}

#[test]
fn stereo_channels_stay_separate_and_mono_mixes_them() {
    // Agent on the left, customer on the right, never at the same time.
    let rate = 8_000;
    let mut left = sine(600.0, rate, 2.0, 0.5);
    let mut right = sine(1_500.0, rate, 2.0, 0.5);
    left[8_000..].iter_mut().for_each(|s| *s = 0.0);
    right[..8_000].iter_mut().for_each(|s| *s = 0.0);
    for bytes in [
        write_g711_wav(&[left.clone(), right.clone()], rate, Law::ALaw),
        hound_wav(&[left.clone(), right.clone()], rate, 16, false),
    ] {
        let audio = decode_16k_bytes(bytes, None).unwrap();
        let (l, r) = (&audio.channels[0], &audio.channels[1]);
        assert!((zero_crossing_hz(&l[1_000..15_000], 16_000) - 600.0).abs() < 3.0);
        assert!(rms(&l[17_000..]) < 1e-3, "left leaks into the right's turn");
        assert!((zero_crossing_hz(&r[17_000..31_000], 16_000) - 1_500.0).abs() < 3.0);
        assert!(rms(&r[..15_000]) < 1e-3, "right leaks into the left's turn");

        let mono = mix_to_mono(&audio.channels);
        assert_eq!(mono.len(), l.len());
        assert!((rms(&mono[1_000..15_000]) - rms(&l[1_000..15_000]) / 2.0).abs() < 0.005);
    }
    assert!(mix_to_mono(&[]).is_empty());
    assert_eq!(mix_to_mono(&[vec![1.0, 1.0], vec![0.0]]), vec![0.5, 0.5]);
}

#[test]
fn the_16bit_writer_round_trips_through_the_decoder() {
    let left = sine(440.0, 16_000, 0.5, 0.5);
    let right = noise(8_000, 0.2, 3);
    let bytes = write_wav_16bit(&[left.clone(), right.clone()], 16_000);
    let audio = decode_16k_bytes(bytes, None).unwrap();
    assert_eq!(audio.info.codec, "pcm16");
    for (decoded, source) in audio.channels.iter().zip([&left, &right]) {
        assert_eq!(decoded.len(), source.len());
        assert!(decoded.iter().zip(source.iter()).all(|(a, b)| (a - b).abs() < 1.0 / 16_000.0));
    }
    // No channels: a valid, empty mono file.
    let empty = decode_16k_bytes(write_wav_16bit(&[], 16_000), None).unwrap();
    assert_eq!((empty.info.channels, empty.frames()), (1, 0));
}
