//! Stereo test calls built from real speech clips: the agent on the left, the customer on the
//! right, realistic pauses between turns, line noise under everything.

use std::path::{Path, PathBuf};

const RATE: usize = 16_000;

fn mono(path: &Path) -> Vec<f32> {
    let audio = qadesk_audio::decode_16k(std::fs::File::open(path).expect("clip"), Some("wav"))
        .expect("decodes");
    qadesk_audio::mix_to_mono(&audio.channels)
}

pub struct Call {
    pub path: PathBuf,
    pub reference: String,
    pub seconds: f64,
    pub silence_share: f64,
    /// When each turn is said: (start, end) in milliseconds.
    pub turns_ms: Vec<(u64, u64)>,
}

/// A call of alternating turns with pauses of 1.5–4.5 s between them.
pub fn build_call(dir: &Path, index: usize, turns: &[(PathBuf, String)]) -> Call {
    let mut channels = vec![Vec::<f32>::new(), Vec::<f32>::new()];
    let mut reference = Vec::new();
    let mut speech_samples = 0usize;
    let mut cursor = RATE; // one second of ringing before the agent speaks
    let mut turns_ms = Vec::new();
    for (turn, (clip, text)) in turns.iter().enumerate() {
        let samples = mono(clip);
        let side = turn % 2;
        let end = cursor + samples.len();
        turns_ms.push(((cursor * 1000 / RATE) as u64, (end * 1000 / RATE) as u64));
        for channel in &mut channels {
            channel.resize(end.max(channel.len()), 0.0);
        }
        channels[side][cursor..end].copy_from_slice(&samples);
        speech_samples += samples.len();
        reference.push(text.clone());
        let pause_ms = 1_500 + ((index * 7 + turn * 13) % 7) * 500;
        cursor = end + pause_ms * RATE / 1_000;
    }
    // Line noise under everything, about -50 dBFS, as on a real telephone line: digital
    // silence would flatter any pipeline.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64 ^ index as u64;
    for channel in &mut channels {
        channel.resize(cursor, 0.0);
        for sample in channel.iter_mut() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            *sample += ((seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.01;
        }
    }
    let path = dir.join(format!("call-{index:02}.wav"));
    std::fs::write(&path, qadesk_audio::write_wav_16bit(&channels, RATE as u32))
        .expect("write call");
    Call {
        path,
        reference: reference.join(" "),
        seconds: cursor as f64 / RATE as f64,
        silence_share: 1.0 - speech_samples as f64 / cursor as f64,
        turns_ms,
    }
}

/// `count` calls of `turns` turns each, cycling through the real-speech clips.
pub fn build_calls(dir: &Path, count: usize, turns: usize) -> Vec<Call> {
    let clips = super::speech_clips();
    (0..count)
        .map(|i| {
            let chosen: Vec<(PathBuf, String)> =
                (0..turns).map(|t| clips[(i * 5 + t * 3) % clips.len()].clone()).collect();
            build_call(dir, i, &chosen)
        })
        .collect()
}
