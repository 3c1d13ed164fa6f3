//! Fuzz target: `decode_16k_bytes` must return `Ok` or `Err`, never panic, on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the extension hint, so that hint-dependent paths are explored too.
    let (hint, bytes) = match data.split_first() {
        Some((&selector, rest)) => {
            let hint = match selector % 4 {
                0 => None,
                1 => Some("wav"),
                2 => Some("mp3"),
                _ => Some("flac"),
            };
            (hint, rest)
        }
        None => (None, data),
    };
    if let Ok(audio) = qadesk_audio::decode_16k_bytes(bytes.to_vec(), hint) {
        assert_eq!(audio.channels.len(), usize::from(audio.info.channels));
        assert!(audio.channels.iter().all(|c| c.len() == audio.channels[0].len()));
        assert!(audio.channels.iter().flatten().all(|s| s.is_finite()));
    }
});
