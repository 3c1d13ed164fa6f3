//! MP3 (MPEG audio) and FLAC decoding through `symphonia`, one packet at a time.
//!
//! Every call into symphonia is guarded so that a decoder bug on hostile bytes becomes an error,
//! not a crash, and damaged packets in the middle of a file are skipped, not fatal.

use std::panic::{AssertUnwindSafe, catch_unwind};

use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::common::Limit;
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::{MediaSourceStream, MediaSourceStreamOptions};
use symphonia::core::meta::MetadataOptions;

use crate::AudioInfo;
use crate::detect::Container;
use crate::error::AudioError;
use crate::input::Input;
use crate::riff::{MAX_CHANNELS, MAX_RATE, MIN_RATE};
use crate::source::{Source, sanitize};

/// Consecutive undecodable packets after which a stream is judged corrupt rather than damaged.
const MAX_BAD_PACKETS: usize = 64;

pub(crate) fn open(
    input: Input,
    container: Container,
) -> Result<(AudioInfo, Box<dyn Source>), AudioError> {
    let label = if container == Container::Flac { "flac" } else { "mp3" };
    let stream = MediaSourceStream::new(Box::new(input), MediaSourceStreamOptions::default());
    let mut hint = Hint::new();
    hint.with_extension(label);
    // Cover art is of no use here; skipping it keeps memory small.
    let mut meta = MetadataOptions::default();
    meta.limit_visual_bytes = Limit::Maximum(0);
    let reader = guarded(|| {
        symphonia::default::get_probe().probe(&hint, stream, FormatOptions::default(), meta)
    })
    .map_err(|err| header_error(label, err))?;

    let track = reader
        .default_track(TrackType::Audio)
        .ok_or_else(|| AudioError::corrupt_header(label, "no audio track"))?;
    let track_id = track.id;
    let total_frames = track.num_frames;
    let params =
        track.codec_params.as_ref().and_then(|params| params.audio()).cloned().ok_or_else(
            || AudioError::corrupt_header(label, "no codec parameters for the track"),
        )?;
    let decoder = guarded(|| {
        symphonia::default::get_codecs()
            .make_audio_decoder(&params, &AudioDecoderOptions::default())
    })
    .map_err(|err| header_error(label, err))?;
    let codec = decoder.codec_info().short_name.to_owned();

    let mut source = SymphoniaSource {
        label,
        reader,
        decoder,
        track_id,
        channels: 0,
        sample_rate: 0,
        frames_done: 0,
        first: None,
        ended: false,
    };
    // The first packet fixes the rate and channel count (an MP3 header may say little) and proves
    // that the stream decodes at all.
    let first = source
        .decode_next()?
        .ok_or_else(|| AudioError::corrupt_data(label, "no audio frame could be decoded"))?;
    let (rate, planes) = first;
    if !(MIN_RATE..=MAX_RATE).contains(&rate) {
        return Err(AudioError::unsupported(format!("a sample rate of {rate} hz")));
    }
    if planes.is_empty() || planes.len() > usize::from(MAX_CHANNELS) {
        return Err(AudioError::unsupported(format!(
            "a {label} stream with {} channels",
            planes.len()
        )));
    }
    source.sample_rate = rate;
    source.channels = planes.len();
    source.first = Some(planes);
    let info = AudioInfo {
        codec,
        sample_rate: rate,
        channels: source.channels as u16,
        duration_ms: total_frames.map(|frames| frames.saturating_mul(1000) / u64::from(rate)),
    };
    Ok((info, Box::new(source)))
}

/// A decoded packet: its sample rate and its samples, one `Vec` per channel.
type Decoded = (u32, Vec<Vec<f32>>);

struct SymphoniaSource {
    label: &'static str,
    reader: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    channels: usize,
    sample_rate: u32,
    frames_done: u64,
    first: Option<Vec<Vec<f32>>>,
    ended: bool,
}

impl SymphoniaSource {
    /// The next decoded packet of the track, with its sample rate; `None` at the end.
    fn decode_next(&mut self) -> Result<Option<Decoded>, AudioError> {
        let label = self.label;
        let mut bad_packets = 0;
        while !self.ended {
            let packet = match guarded(|| self.reader.next_packet()) {
                Ok(Some(packet)) => packet,
                Ok(None) => break,
                Err(SymphoniaError::IoError(_)) | Err(SymphoniaError::ResetRequired) => {
                    // A file cut short ends inside a frame: what was decoded stands.
                    break;
                }
                Err(SymphoniaError::Unsupported(what)) => {
                    return Err(AudioError::unsupported(format!("{label} feature: {what}")));
                }
                Err(err) => {
                    if self.frames_done > 0 {
                        break;
                    }
                    return Err(AudioError::corrupt_data(label, err.to_string()));
                }
            };
            if packet.track_id != self.track_id {
                continue;
            }
            let decoded = guarded(|| {
                self.decoder.decode(&packet).map(|buffer| {
                    let mut planes: Vec<Vec<f32>> = Vec::new();
                    buffer.copy_to_vecs_planar::<f32>(&mut planes);
                    (buffer.spec().rate(), planes)
                })
            });
            match decoded {
                Ok((_, planes)) if planes.first().is_none_or(Vec::is_empty) => {}
                Ok(decoded) => return Ok(Some(decoded)),
                Err(SymphoniaError::DecodeError(_)) | Err(SymphoniaError::IoError(_)) => {
                    // One damaged packet (a bit error, a broken frame) loses a few milliseconds;
                    // a run of them means the data is not really this codec.
                    bad_packets += 1;
                    if bad_packets > MAX_BAD_PACKETS {
                        return Err(AudioError::corrupt_data(
                            label,
                            format!("{bad_packets} packets in a row failed to decode"),
                        ));
                    }
                }
                Err(SymphoniaError::ResetRequired) => self.decoder.reset(),
                Err(SymphoniaError::Unsupported(what)) => {
                    return Err(AudioError::unsupported(format!("{label} feature: {what}")));
                }
                Err(err) => return Err(AudioError::corrupt_data(label, err.to_string())),
            }
        }
        self.ended = true;
        Ok(None)
    }
}

impl Source for SymphoniaSource {
    fn next_chunk(&mut self) -> Result<Option<Vec<Vec<f32>>>, AudioError> {
        let planes = match self.first.take() {
            Some(planes) => planes,
            None => match self.decode_next()? {
                None => return Ok(None),
                Some((rate, _)) if rate != self.sample_rate => {
                    return Err(AudioError::unsupported(format!(
                        "a {} stream whose sample rate changes from {} to {rate} hz",
                        self.label, self.sample_rate
                    )));
                }
                Some((_, planes)) => planes,
            },
        };
        let planes = fit_channels(planes, self.channels);
        self.frames_done += planes.first().map_or(0, Vec::len) as u64;
        Ok(Some(planes))
    }
}

/// MPEG streams may switch between mono and stereo frames; the output keeps the first count.
fn fit_channels(mut planes: Vec<Vec<f32>>, channels: usize) -> Vec<Vec<f32>> {
    for sample in planes.iter_mut().flatten() {
        *sample = sanitize(*sample);
    }
    planes.truncate(channels);
    while planes.len() < channels {
        let copy = planes.last().cloned().unwrap_or_default();
        planes.push(copy);
    }
    planes
}

/// Runs a symphonia call, turning a panic inside it into a decode error.
fn guarded<T>(
    call: impl FnOnce() -> symphonia::core::errors::Result<T>,
) -> symphonia::core::errors::Result<T> {
    catch_unwind(AssertUnwindSafe(call)).unwrap_or_else(|_| {
        Err(SymphoniaError::DecodeError("the decoder failed on malformed data"))
    })
}

fn header_error(label: &'static str, err: SymphoniaError) -> AudioError {
    match err {
        SymphoniaError::IoError(_) => {
            AudioError::corrupt_header(label, "the file ends before the first audio frame")
        }
        SymphoniaError::Unsupported(what) if what.contains("probe") => {
            AudioError::corrupt_header(label, "no valid stream header found")
        }
        SymphoniaError::Unsupported(what) => {
            AudioError::unsupported(format!("{label} feature: {what}"))
        }
        other => AudioError::corrupt_header(label, other.to_string()),
    }
}
