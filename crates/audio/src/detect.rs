//! Recognising the container from a file's leading bytes; the name of the file is only a hint.
//!
//! Nothing here decodes audio: it only decides which decoder gets the bytes, or why none does.

use crate::error::AudioError;

/// The containers qadesk decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    Wav,
    Flac,
    /// MPEG audio frames (layer 3, or layers 1 and 2), with or without an ID3v2 tag in front.
    Mpeg,
}

/// Decides the container from the first bytes of a file (`head`, up to 64 KiB).
pub(crate) fn sniff(head: &[u8], extension_hint: Option<&str>) -> Result<Container, AudioError> {
    if head.is_empty() {
        return Err(AudioError::Empty);
    }
    match head.get(..4) {
        Some(b"RIFF") => return riff_kind(head),
        Some(b"RIFX") => return Err(AudioError::unsupported("big-endian wav (rifx)")),
        Some(b"RF64") | Some(b"BW64") => {
            return Err(AudioError::unsupported("rf64 wav (the 64-bit wav for files over 4 gib)"));
        }
        Some(b"fLaC") => return Ok(Container::Flac),
        _ => {}
    }
    if head.starts_with(b"ID3") {
        // An ID3v2 tag can sit in front of FLAC as well as MPEG audio.
        let after = id3v2_len(head).and_then(|len| head.get(len..len + 4));
        return Ok(if after == Some(b"fLaC") { Container::Flac } else { Container::Mpeg });
    }
    if let Some(reason) = other_format(head) {
        return Err(reason);
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(AudioError::not_audio("it looks like a utf-16 text file"));
    }
    match mpeg_sync_at(head, 0) {
        Some(Sync::Mpeg) => return Ok(Container::Mpeg),
        Some(Sync::Adts) => return Err(AudioError::unsupported("aac audio (adts)")),
        None => {}
    }
    if looks_like_text(head) {
        return Err(AudioError::not_audio("it looks like a text file"));
    }
    // Some MP3 files start with junk (a partial frame, zero padding, a broken tag).
    if find_mpeg_frames(head).is_some() {
        return Ok(Container::Mpeg);
    }
    let hint = extension_hint.map(|hint| hint.trim_start_matches('.').to_ascii_lowercase());
    let named = match hint.as_deref() {
        Some(ext @ ("wav" | "wave" | "mp3" | "flac" | "mp2" | "mpga")) => {
            format!("; the name says .{ext}, but the content is not {ext} audio")
        }
        _ => String::new(),
    };
    Err(AudioError::not_audio(format!("unrecognised content (not wav, mp3 or flac){named}")))
}

fn riff_kind(head: &[u8]) -> Result<Container, AudioError> {
    match head.get(8..12) {
        Some(b"WAVE") => Ok(Container::Wav),
        Some(kind) => Err(AudioError::not_audio(format!(
            "a riff file of type '{}', not wave audio",
            String::from_utf8_lossy(kind).trim()
        ))),
        None => Err(AudioError::corrupt_header("wav", "the file ends inside the riff header")),
    }
}

/// Other well-known formats, so that the error says what the file is.
fn other_format(head: &[u8]) -> Option<AudioError> {
    let unsupported = |what: &str| Some(AudioError::unsupported(what));
    let not_audio = |what: &str| Some(AudioError::not_audio(what));
    if head.starts_with(b"OggS") {
        return unsupported("ogg audio (vorbis or opus)");
    }
    if head.get(4..8) == Some(b"ftyp") {
        return unsupported("mp4/m4a audio (aac)");
    }
    if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return unsupported("webm/matroska audio");
    }
    if head.starts_with(b"#!AMR") {
        return unsupported("amr audio");
    }
    if head.starts_with(b"FORM") && matches!(head.get(8..12), Some(b"AIFF") | Some(b"AIFC")) {
        return unsupported("aiff audio");
    }
    if head.starts_with(b".snd") {
        return unsupported("sun/next au audio");
    }
    if head.starts_with(b"caff") {
        return unsupported("core audio (caf)");
    }
    if head.starts_with(b"%PDF") {
        return not_audio("it looks like a pdf document");
    }
    if head.starts_with(b"PK\x03\x04") {
        return not_audio("it looks like a zip archive (or an office document)");
    }
    if head.starts_with(b"\x89PNG") || head.starts_with(b"GIF8") {
        return not_audio("it looks like an image");
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return not_audio("it looks like a jpeg image");
    }
    if head.starts_with(b"MThd") {
        return not_audio("it looks like a midi file (notes, not recorded sound)");
    }
    None
}

/// The size of an ID3v2 tag at the start of `head`, header and footer included.
fn id3v2_len(head: &[u8]) -> Option<usize> {
    let header = head.get(..10)?;
    let size = header[6..10].iter().try_fold(0usize, |acc, &byte| {
        // The size is "syncsafe": seven bits per byte, the top bit always clear.
        (byte < 0x80).then_some((acc << 7) | usize::from(byte))
    })?;
    let footer = if header[5] & 0x10 != 0 { 10 } else { 0 };
    Some(10 + size + footer)
}

/// Text files: valid UTF-8 with no control characters other than whitespace.
fn looks_like_text(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(1024)];
    let valid = match std::str::from_utf8(sample) {
        Ok(_) => true,
        // A multi-byte character cut off by the sample's end is still text.
        Err(err) => err.error_len().is_none(),
    };
    valid
        && sample
            .iter()
            .all(|&b| b >= 0x20 && b != 0x7F || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sync {
    Mpeg,
    Adts,
}

/// A valid MPEG audio frame at `at` that is followed by another one (when the data reaches it).
fn mpeg_sync_at(head: &[u8], at: usize) -> Option<Sync> {
    let bytes = head.get(at..at + 4)?;
    if bytes[0] != 0xFF || bytes[1] & 0xE0 != 0xE0 {
        return None;
    }
    if bytes[1] & 0x06 == 0 {
        // Layer bits 00 under a 12-bit sync are AAC in an ADTS stream.
        return (bytes[1] & 0xF6 == 0xF0).then_some(Sync::Adts);
    }
    let first = MpegHeader::parse(bytes)?;
    let next = at + first.frame_len;
    match head.get(next..next + 4) {
        Some(following) => {
            let second = MpegHeader::parse(following)?;
            (second.version == first.version && second.layer == first.layer).then_some(Sync::Mpeg)
        }
        // The sample ends before the next frame: one good header is all the evidence there is.
        None => Some(Sync::Mpeg),
    }
}

/// The offset of the first run of three consecutive MPEG frames in `head`, if any.
fn find_mpeg_frames(head: &[u8]) -> Option<usize> {
    (0..head.len().saturating_sub(4)).find(|&at| {
        let Some(first) = head.get(at..at + 4).and_then(MpegHeader::parse) else {
            return false;
        };
        let next = at + first.frame_len;
        mpeg_sync_at(head, next) == Some(Sync::Mpeg) && head.len() > next + 4
    })
}

/// The fields of an MPEG audio frame header needed to find the next frame.
#[derive(Debug, Clone, Copy)]
struct MpegHeader {
    version: u8,
    layer: u8,
    frame_len: usize,
}

impl MpegHeader {
    fn parse(bytes: &[u8]) -> Option<MpegHeader> {
        let &[b0, b1, b2, _] = bytes else { return None };
        if b0 != 0xFF || b1 & 0xE0 != 0xE0 {
            return None;
        }
        // Version: 0 = MPEG 2.5, 2 = MPEG 2, 3 = MPEG 1 (1 is reserved).
        let version = (b1 >> 3) & 0x03;
        // Layer: 1 = layer III, 2 = layer II, 3 = layer I (0 is reserved).
        let layer = (b1 >> 1) & 0x03;
        let bitrate_index = usize::from(b2 >> 4);
        let rate_index = usize::from((b2 >> 2) & 0x03);
        let padding = usize::from((b2 >> 1) & 0x01);
        if version == 1
            || layer == 0
            || bitrate_index == 0
            || bitrate_index == 15
            || rate_index == 3
        {
            return None;
        }
        const RATES: [[u32; 3]; 4] =
            [[11025, 12000, 8000], [0, 0, 0], [22050, 24000, 16000], [44100, 48000, 32000]];
        const KBPS_V1_L1: [u32; 15] =
            [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448];
        const KBPS_V1_L2: [u32; 15] =
            [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384];
        const KBPS_V1_L3: [u32; 15] =
            [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
        const KBPS_V2_L1: [u32; 15] =
            [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256];
        const KBPS_V2_L23: [u32; 15] =
            [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
        let rate = RATES[usize::from(version)][rate_index];
        let mpeg1 = version == 3;
        let kbps = match (mpeg1, layer) {
            (true, 3) => KBPS_V1_L1[bitrate_index],
            (true, 2) => KBPS_V1_L2[bitrate_index],
            (true, _) => KBPS_V1_L3[bitrate_index],
            (false, 3) => KBPS_V2_L1[bitrate_index],
            (false, _) => KBPS_V2_L23[bitrate_index],
        };
        let bits_per_second = kbps * 1000;
        let frame_len = match layer {
            3 => (12 * bits_per_second / rate) as usize * 4 + padding * 4,
            1 if !mpeg1 => (72 * bits_per_second / rate) as usize + padding,
            _ => (144 * bits_per_second / rate) as usize + padding,
        };
        Some(MpegHeader { version, layer, frame_len })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mpeg1_layer3_frame_length_matches_the_standard_formula() {
        // 128 kbit/s, 44.1 kHz, no padding: 144 * 128000 / 44100 = 417 bytes.
        let header = MpegHeader::parse(&[0xFF, 0xFB, 0x90, 0x64]).map(|h| h.frame_len);
        assert_eq!(header, Some(417));
    }

    #[test]
    fn id3_tag_length_is_syncsafe() {
        let head = [b'I', b'D', b'3', 4, 0, 0, 0, 0, 0x02, 0x01];
        assert_eq!(id3v2_len(&head), Some(10 + 257));
    }
}
