//! From an audio stream to a `Transcript`: split the agent and customer channels, skip silence,
//! run Whisper on speech only, map every timestamp back to the original audio, drop Whisper's
//! inventions, and merge the channels by time. Memory stays bounded by the window length.

use qadesk_audio::Stream16k;
use qadesk_audio::vad::{SpeechSpan, VadConfig, speech_spans};
use qadesk_domain::{Role, Segment, Transcript, Word};

use crate::error::TranscribeError;
use crate::guard;
use crate::{DecodeOptions, RawSegment, RawWord, Transcription, Whisper};

const SAMPLES_PER_MS: usize = 16;

/// Which channel is whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelLayout {
    /// Left = agent, right = customer: the usual call-recorder export.
    AgentCustomer,
    CustomerAgent,
    /// Mix every channel into one speaker of unknown role.
    Mono,
}

#[derive(Debug, Clone)]
pub struct PipelineOptions {
    pub layout: ChannelLayout,
    /// Transcribe only what voice activity detection calls speech (the default); off, the
    /// whole audio goes to Whisper, as a naive pipeline would.
    pub skip_silence: bool,
    pub vad: VadConfig,
    pub decode: DecodeOptions,
    /// Transcribe two windows of speech at the same time, one Whisper thread each, instead of
    /// one after the other with all threads. Off by default: on two cores the two measured
    /// within run-to-run noise, and one at a time needs half the memory.
    pub parallel_chunks: bool,
    /// Audio decoded before a window is transcribed; bounds memory on long files.
    pub window_ms: u64,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            layout: ChannelLayout::AgentCustomer,
            skip_silence: true,
            vad: VadConfig::default(),
            decode: DecodeOptions::default(),
            parallel_chunks: false,
            window_ms: 120_000,
        }
    }
}

/// What a run did, for progress lines and benchmarks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PipelineReport {
    pub audio_ms: u64,
    /// Audio actually given to Whisper, summed over channels.
    pub transcribed_ms: u64,
    pub channels: u16,
    pub segments_dropped: usize,
    pub language: Option<String>,
}

/// One channel's audio waiting to be transcribed.
struct Track {
    role: Role,
    /// Samples from `offset_ms` on.
    samples: Vec<f32>,
    offset_ms: u64,
    /// Samples of this window that are done with, set while a window is processed.
    consumed: usize,
}

/// Transcribes a decoded stream; `progress` is told the audio time done so far and the total
/// when known.
pub fn transcribe_stream(
    whisper: &Whisper,
    mut stream: Stream16k,
    options: &PipelineOptions,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<(Transcript, PipelineReport), TranscribeError> {
    let info = stream.info().clone();
    let mix = options.layout == ChannelLayout::Mono || info.channels != 2;
    let roles: Vec<Role> = match (mix, options.layout) {
        (true, _) => vec![Role::Unknown],
        (false, ChannelLayout::CustomerAgent) => vec![Role::Customer, Role::Agent],
        (false, _) => vec![Role::Agent, Role::Customer],
    };
    let mut tracks: Vec<Track> = roles
        .iter()
        .map(|&role| Track { role, samples: Vec::new(), offset_ms: 0, consumed: 0 })
        .collect();
    let mut segments: Vec<Segment> = Vec::new();
    let mut report = PipelineReport { channels: info.channels, ..PipelineReport::default() };
    let mut decoded_ms = 0u64;
    let mut since_window_ms = 0u64;

    while let Some(block) = stream.next_block()? {
        let block_len = block.first().map_or(0, Vec::len);
        decoded_ms += (block_len / SAMPLES_PER_MS) as u64;
        since_window_ms += (block_len / SAMPLES_PER_MS) as u64;
        if mix {
            tracks[0].samples.extend(qadesk_audio::mix_to_mono(&block));
        } else {
            for (track, channel) in tracks.iter_mut().zip(block) {
                track.samples.extend(channel);
            }
        }
        // Without voice activity the whole file is one piece, as in a naive pipeline.
        // Counting what arrived since the last window (not what the tracks hold) keeps speech
        // carried over from one window from triggering the next one block after block.
        if options.skip_silence && since_window_ms >= options.window_ms {
            since_window_ms = 0;
            segments.extend(process_window(whisper, &mut tracks, options, false, &mut report)?);
            progress(decoded_ms, info.duration_ms);
        }
    }
    segments.extend(process_window(whisper, &mut tracks, options, true, &mut report)?);
    report.audio_ms = decoded_ms;
    progress(decoded_ms, Some(decoded_ms));

    segments.sort_by_key(|s| (s.start_ms, s.end_ms));
    let language = report.language.clone().or_else(|| options.decode.language.clone());
    Ok((Transcript { language, segments }, report))
}

/// Transcribes the speech the tracks hold. Unless `last`, speech that runs into the end of the
/// window stays in its track, to be finished with the next window.
///
/// The speech of both channels is packed, in time order, into chunks of up to 30 s: Whisper
/// encodes 30 s whatever it is given, so full chunks are what makes skipping silence pay, and
/// each stretch of speech keeps the role of the channel it came from.
fn process_window(
    whisper: &Whisper,
    tracks: &mut [Track],
    options: &PipelineOptions,
    last: bool,
    report: &mut PipelineReport,
) -> Result<Vec<Segment>, TranscribeError> {
    let mut spans: Vec<Stretch> = Vec::new();
    for (index, track) in tracks.iter_mut().enumerate() {
        let window_ms = (track.samples.len() / SAMPLES_PER_MS) as u64;
        let mut found = if options.skip_silence {
            speech_spans(&track.samples, &options.vad)
        } else {
            vec![SpeechSpan { start_ms: 0, end_ms: window_ms }]
        };
        let mut consumed = track.samples.len();
        if !last {
            // The last second always stays for the next window: speech may begin there that
            // voice activity could not yet tell from noise.
            let tail_ms = window_ms.saturating_sub(CARRY_MS);
            consumed = tail_ms as usize * SAMPLES_PER_MS;
            if let Some(open) = found.iter().position(|s| s.end_ms + CARRY_MS >= window_ms) {
                if found[open].end_ms - found[open].start_ms < CHUNK_MS {
                    // Speech running into the end of the window: finish it next time.
                    consumed = found[open].start_ms as usize * SAMPLES_PER_MS;
                    found.truncate(open);
                } else {
                    // Endless "speech" (hold music, a noisy line) is cut here, or it would be
                    // carried from window to window and memory would grow without bound.
                    found[open].end_ms = tail_ms.max(found[open].start_ms);
                    found.truncate(open + 1);
                }
            }
        }
        spans.extend(found.into_iter().filter(|s| s.end_ms > s.start_ms).map(|s| Stretch {
            track: index,
            start_ms: track.offset_ms + s.start_ms,
            len_ms: s.end_ms - s.start_ms,
        }));
        track.consumed = consumed;
    }
    spans.sort_by_key(|s| (s.start_ms, s.track));
    let chunks = if options.skip_silence {
        pack_chunks(&spans)
    } else {
        spans.iter().map(|s| vec![Piece::alone(*s)]).collect()
    };

    let threads = match options.decode.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get() as u32),
        n => n,
    };
    let workers = if options.parallel_chunks {
        PARALLEL_CHUNKS.min(threads).min(chunks.len().max(1) as u32)
    } else {
        1
    };
    let mut decode = options.decode.clone();
    decode.threads = (threads / workers).max(1);
    // One language for the whole call: found in the first chunk (or an earlier window), then
    // fixed, so that no short chunk is decoded as another language.
    if decode.language.is_none() {
        decode.language = report.language.clone();
    }
    let mut results = Vec::with_capacity(chunks.len());
    let mut rest: &[Vec<Piece>] = &chunks;
    if decode.language.is_none() && !chunks.is_empty() {
        let first = run_chunks(whisper, tracks, &chunks[..1], &decode, 1)?;
        decode.language = first.first().map(|t| t.language.clone());
        results.extend(first);
        rest = &chunks[1..];
    }
    results.extend(run_chunks(whisper, tracks, rest, &decode, workers as usize)?);

    let mut segments = Vec::new();
    let mut retry: Vec<Stretch> = Vec::new();
    for (pieces, transcription) in chunks.iter().zip(results) {
        report.transcribed_ms += pieces.iter().map(|p| p.stretch.len_ms).sum::<u64>();
        if report.language.is_none() {
            report.language = Some(transcription.language.clone());
        }
        let placed = place_all(pieces, &transcription.segments);
        report.segments_dropped += transcription.segments.len() - placed.len();
        // A segment that runs over two stretches of speech cannot be split reliably: those
        // stretches are transcribed again, each alone, and nothing else of them is kept.
        let merged: Vec<usize> =
            placed.iter().filter(|p| p.pieces.len() > 1).flat_map(|p| p.pieces.clone()).collect();
        retry.extend(merged.iter().map(|&i| pieces[i].stretch));
        for p in placed {
            if p.pieces.iter().any(|i| merged.contains(i)) {
                continue;
            }
            segments.push(p.into_segment(tracks, pieces));
        }
    }
    retry.sort_by_key(|s| (s.start_ms, s.track));
    retry.dedup();
    if !retry.is_empty() {
        let alone: Vec<Vec<Piece>> = retry.iter().map(|s| vec![Piece::alone(*s)]).collect();
        let results = run_chunks(whisper, tracks, &alone, &decode, workers as usize)?;
        for (pieces, transcription) in alone.iter().zip(results) {
            report.transcribed_ms += pieces[0].stretch.len_ms;
            let placed = place_all(pieces, &transcription.segments);
            report.segments_dropped += transcription.segments.len() - placed.len();
            segments.extend(placed.into_iter().map(|p| p.into_segment(tracks, pieces)));
        }
    }

    for track in tracks.iter_mut() {
        let consumed = track.consumed.min(track.samples.len());
        track.samples.drain(..consumed);
        track.offset_ms += (consumed / SAMPLES_PER_MS) as u64;
    }
    Ok(segments)
}

/// Transcribes chunks, `workers` at a time; results in chunk order.
fn run_chunks(
    whisper: &Whisper,
    tracks: &[Track],
    chunks: &[Vec<Piece>],
    decode: &DecodeOptions,
    workers: usize,
) -> Result<Vec<Transcription>, TranscribeError> {
    let transcribe = |pieces: &Vec<Piece>| whisper.transcribe(&chunk_audio(tracks, pieces), decode);
    if workers <= 1 || chunks.len() <= 1 {
        return chunks.iter().map(transcribe).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Result<Transcription, TranscribeError>>> =
        (0..chunks.len()).map(|_| None).collect();
    let done = std::sync::Mutex::new(&mut results);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(pieces) = chunks.get(i) else { break };
                    let result = transcribe(pieces);
                    if let Ok(mut slots) = done.lock() {
                        slots[i] = Some(result);
                    }
                }
            });
        }
    });
    results.into_iter().map(|r| r.unwrap_or(Err(TranscribeError::Worker))).collect()
}

/// A stretch of one channel's speech, in audio time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stretch {
    track: usize,
    start_ms: u64,
    len_ms: u64,
}

/// A stretch placed in a chunk handed to Whisper.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    chunk_ms: u64,
    stretch: Stretch,
}

impl Piece {
    fn alone(stretch: Stretch) -> Piece {
        Piece { chunk_ms: 0, stretch }
    }

    fn chunk_end(&self) -> u64 {
        self.chunk_ms + self.stretch.len_ms
    }

    /// The audio time of chunk time `t`, taken to the nearer edge of this piece when outside.
    fn audio_time(&self, t: u64) -> u64 {
        self.stretch.start_ms + (t.clamp(self.chunk_ms, self.chunk_end()) - self.chunk_ms)
    }
}

/// A Whisper segment with the pieces it substantially covers, its cleaned text, and its
/// words in audio time.
struct Placed {
    pieces: Vec<usize>,
    start_ms: u64,
    end_ms: u64,
    text: String,
    confidence: f32,
    words: Vec<Word>,
}

impl Placed {
    fn into_segment(self, tracks: &[Track], pieces: &[Piece]) -> Segment {
        let piece = &pieces[self.pieces[0]];
        Segment {
            confidence: Some(self.confidence.clamp(0.0, 1.0)),
            words: self.words,
            ..Segment::timed(
                tracks[piece.stretch.track].role,
                self.start_ms,
                self.end_ms,
                self.text,
            )
        }
    }
}

/// Places each segment on the pieces it covers and cleans its text; invented segments (over
/// silence, phantoms, loops; see [`guard`]) are left out.
fn place_all(pieces: &[Piece], raw: &[RawSegment]) -> Vec<Placed> {
    let mut placed = Vec::new();
    // Repeats are compared within one stretch: the same "Yes." in two stretches is two answers.
    let mut previous: Vec<Option<String>> = vec![None; pieces.len()];
    for segment in raw {
        let Some((covered, start_ms, end_ms)) = place(pieces, segment.start_ms, segment.end_ms)
        else {
            continue;
        };
        let piece = covered[0];
        let Some(text) = guard::clean(segment, previous[piece].as_deref()) else { continue };
        previous[piece] = Some(text.clone());
        let words = place_words(pieces, &covered, &segment.words, (start_ms, end_ms));
        let confidence = segment.avg_token_prob;
        placed.push(Placed { pieces: covered, start_ms, end_ms, text, confidence, words });
    }
    placed
}

/// Windows of speech transcribed at the same time, one Whisper state each; each more costs
/// another state's memory.
const PARALLEL_CHUNKS: u32 = 2;

/// Silence put between two stretches of speech in one chunk. Whisper ends a segment at a
/// pause this long (measured: with 0.5 s it ran sentences of different turns together), so
/// each segment stays within one stretch and keeps its channel's role.
const GAP_MS: u64 = 1_500;
/// Whisper reads 30 s at a time; chunks stay under that so none spills into a second window.
const CHUNK_MS: u64 = 28_000;
/// Speech this close to the end of a window may continue in the next one.
const CARRY_MS: u64 = 1_000;

/// Maps a segment's chunk times to audio times through the pieces of speech it covers.
/// Whisper's segment times are coarse (often whole seconds), so a segment may stray a little
/// into a neighbouring piece: only pieces it covers substantially count. Returns the indices
/// of those pieces and the audio times; `None` for a segment that covers no speech at all
/// (Whisper hearing words in the silence between pieces).
fn place(pieces: &[Piece], start_ms: u64, end_ms: u64) -> Option<(Vec<usize>, u64, u64)> {
    // whisper.cpp sometimes gives a segment no length: treat it as a point in time.
    let end_ms = end_ms.max(start_ms + 1);
    let overlap = |p: &Piece| end_ms.min(p.chunk_end()).saturating_sub(start_ms.max(p.chunk_ms));
    let best = (0..pieces.len())
        .max_by_key(|&i| overlap(&pieces[i]))
        .filter(|&i| overlap(&pieces[i]) > 0)?;
    let mut covered: Vec<usize> = (0..pieces.len())
        .filter(|&i| {
            let o = overlap(&pieces[i]);
            o > 0 && (o * 5 >= pieces[i].stretch.len_ms * 2 || o >= 1_000)
        })
        .collect();
    if covered.is_empty() {
        covered.push(best);
    }
    let first = &pieces[covered[0]];
    let last = &pieces[covered[covered.len() - 1]];
    Some((covered.clone(), first.audio_time(start_ms), last.audio_time(end_ms)))
}

/// Maps word times from chunk time to audio time through the segment's pieces: a word in a
/// piece moves with it, a word in the silence between pieces goes to the nearer piece's edge.
/// Words stay within their segment and in order.
fn place_words(
    pieces: &[Piece],
    covered: &[usize],
    words: &[RawWord],
    (segment_start, segment_end): (u64, u64),
) -> Vec<Word> {
    let to_audio = |t: u64| {
        let distance = |p: &Piece| {
            if t < p.chunk_ms { p.chunk_ms - t } else { t.saturating_sub(p.chunk_end()) }
        };
        covered
            .iter()
            .map(|&i| &pieces[i])
            .min_by_key(|p| distance(p))
            .map_or(segment_start, |piece| piece.audio_time(t))
    };
    let mut cursor = segment_start;
    words
        .iter()
        .filter(|w| !w.text.trim().is_empty())
        .map(|w| {
            let start_ms = to_audio(w.start_ms).clamp(cursor, segment_end);
            let end_ms = to_audio(w.end_ms).clamp(start_ms, segment_end);
            cursor = start_ms;
            Word {
                start_ms,
                end_ms,
                text: w.text.trim().to_owned(),
                confidence: Some(w.prob.clamp(0.0, 1.0)),
            }
        })
        .collect()
}

/// Packs stretches into chunks of at most [`CHUNK_MS`] (a longer one gets a chunk of its own).
fn pack_chunks(stretches: &[Stretch]) -> Vec<Vec<Piece>> {
    let mut chunks: Vec<Vec<Piece>> = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    let mut cursor = 0;
    for &stretch in stretches {
        if !current.is_empty() && cursor + GAP_MS + stretch.len_ms > CHUNK_MS {
            chunks.push(std::mem::take(&mut current));
            cursor = 0;
        }
        if !current.is_empty() {
            cursor += GAP_MS;
        }
        current.push(Piece { chunk_ms: cursor, stretch });
        cursor += stretch.len_ms;
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// The chunk's samples: each piece from its own channel, with [`GAP_MS`] of silence between.
fn chunk_audio(tracks: &[Track], pieces: &[Piece]) -> Vec<f32> {
    let total = pieces.last().map_or(0, Piece::chunk_end) as usize * SAMPLES_PER_MS;
    let mut audio = vec![0.0; total];
    for piece in pieces {
        let track = &tracks[piece.stretch.track];
        let local =
            piece.stretch.start_ms.saturating_sub(track.offset_ms) as usize * SAMPLES_PER_MS;
        let from = local.min(track.samples.len());
        let to = (local + piece.stretch.len_ms as usize * SAMPLES_PER_MS).min(track.samples.len());
        let at = piece.chunk_ms as usize * SAMPLES_PER_MS;
        audio[at..at + (to - from)].copy_from_slice(&track.samples[from..to]);
    }
    audio
}

/// Gives roles to a mono transcript from a sidecar transcript of the same call: each segment
/// takes the role of the sidecar utterance it overlaps most.
pub fn roles_from_sidecar(transcript: &mut Transcript, sidecar: &Transcript) {
    for segment in &mut transcript.segments {
        let (Some(start), Some(end)) = (segment.start_ms, segment.end_ms) else { continue };
        let best = sidecar
            .segments
            .iter()
            .filter_map(|s| {
                let (a, b) = s.span()?;
                let overlap = end.min(b).saturating_sub(start.max(a));
                (overlap > 0).then_some((overlap, s.speaker))
            })
            .max_by_key(|(overlap, _)| *overlap);
        if let Some((_, role)) = best {
            segment.speaker = role;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stretch(track: usize, start_ms: u64, len_ms: u64) -> Stretch {
        Stretch { track, start_ms, len_ms }
    }

    #[test]
    fn stretches_of_both_channels_pack_into_chunks_with_gaps() {
        let chunks = pack_chunks(&[
            stretch(0, 1_000, 10_000),
            stretch(1, 12_000, 10_000),
            stretch(0, 30_000, 10_000),
        ]);
        assert_eq!(chunks.len(), 2);
        assert_eq!(
            chunks[0],
            vec![
                Piece { chunk_ms: 0, stretch: stretch(0, 1_000, 10_000) },
                Piece { chunk_ms: 10_000 + GAP_MS, stretch: stretch(1, 12_000, 10_000) }
            ]
        );
        assert_eq!(chunks[1], vec![Piece::alone(stretch(0, 30_000, 10_000))]);
    }

    #[test]
    fn chunk_times_map_back_to_the_speech_they_cover() {
        let pieces = vec![
            Piece { chunk_ms: 0, stretch: stretch(0, 190, 5_320) },
            Piece { chunk_ms: 5_820, stretch: stretch(1, 14_020, 4_060) },
            Piece { chunk_ms: 10_380, stretch: stretch(0, 26_590, 5_380) },
        ];
        assert_eq!(place(&pieces, 1_000, 3_000), Some((vec![0], 1_190, 3_190)));
        // Coarse times: a segment starting at 5 s, where the previous one ended, belongs to
        // the piece it mostly covers, from that piece's start.
        assert_eq!(place(&pieces, 5_000, 10_000), Some((vec![1], 14_020, 18_080)));
        assert_eq!(place(&pieces, 10_000, 16_000), Some((vec![2], 26_590, 31_970)));
        // A segment covering two pieces names both.
        assert_eq!(place(&pieces, 2_000, 9_000), Some((vec![0, 1], 2_190, 17_200)));
        // A segment of no length is a point in the piece it falls in.
        assert_eq!(place(&pieces, 2_000, 2_000), Some((vec![0], 2_190, 2_191)));
        // Wholly inside the silence between pieces: invented.
        assert_eq!(place(&pieces, 5_400, 5_700), None);
    }

    #[test]
    fn chunk_audio_takes_each_piece_from_its_channel_with_silent_gaps() {
        let track = |value: f32, role| Track {
            role,
            samples: vec![value; 48_000],
            offset_ms: 1_000,
            consumed: 0,
        };
        let tracks = vec![track(0.5, Role::Agent), track(-0.5, Role::Customer)];
        let pieces = vec![
            Piece { chunk_ms: 0, stretch: stretch(0, 1_000, 500) },
            Piece { chunk_ms: 1_000, stretch: stretch(1, 3_000, 500) },
        ];
        let audio = chunk_audio(&tracks, &pieces);
        assert_eq!(audio.len(), 1_500 * 16);
        assert_eq!(audio[0], 0.5);
        assert_eq!(audio[700 * 16], 0.0);
        assert_eq!(audio[1_200 * 16], -0.5);
    }

    #[test]
    fn sidecar_roles_go_to_the_most_overlapping_utterance() {
        let mut t = Transcript {
            language: None,
            segments: vec![
                Segment::timed(Role::Unknown, 0, 3_000, "hello"),
                Segment::timed(Role::Unknown, 3_200, 6_000, "hi"),
            ],
        };
        let sidecar = Transcript {
            language: None,
            segments: vec![
                Segment::timed(Role::Agent, 0, 3_100, "x"),
                Segment::timed(Role::Customer, 3_100, 6_500, "y"),
            ],
        };
        roles_from_sidecar(&mut t, &sidecar);
        assert_eq!(t.segments[0].speaker, Role::Agent);
        assert_eq!(t.segments[1].speaker, Role::Customer);
    }
}
