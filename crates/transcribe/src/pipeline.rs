//! From an audio stream to a `Transcript`: split the agent and customer channels, skip silence,
//! run Whisper on speech only, map every timestamp back to the original audio, drop Whisper's
//! inventions, and merge the channels by time. Memory stays bounded by the window length.

use qadesk_audio::Stream16k;
use qadesk_audio::vad::{SpeechSpan, VadConfig, speech_spans};
use qadesk_domain::{Role, Segment, Transcript, Word};

use crate::error::TranscribeError;
use crate::guard;
use crate::transcription::SAMPLES_PER_MS;
use crate::{CONTEXT_MARGIN_MS, DecodeOptions, RawSegment, RawWord, Transcription, Whisper};

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
/// The speech is packed speaker by speaker (each channel's stretches in time order, then the
/// next channel's) into chunks of up to 28 s, so that a chunk holds speech and little else and
/// at most one change of speaker. One speaker's stretches are joined with a short gap: a
/// segment Whisper runs over several of them is split again by its word times. Between
/// speakers the gap is long enough for Whisper to end its segment there; a segment that still
/// runs over both is transcribed again, stretch by stretch. Every stretch keeps the role of the
/// channel it came from.
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
    // Speaker by speaker: one speaker's stretches follow each other with short gaps.
    spans.sort_by_key(|s| (s.track, s.start_ms));
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
    // Word times tell where a segment running over several stretches of one speaker splits.
    let keep_words = decode.word_timestamps;
    decode.word_timestamps |= options.skip_silence;
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
        let raw = split_at_pieces(pieces, &transcription.segments);
        let placed = place_all(pieces, &raw);
        report.segments_dropped += raw.len().saturating_sub(placed.len());
        // A segment that runs over two speakers' stretches cannot be split reliably: those
        // stretches are transcribed again, each alone, and nothing else of them is kept.
        let two_speakers = |p: &Placed| {
            p.pieces.iter().any(|&i| pieces[i].stretch.track != pieces[p.pieces[0]].stretch.track)
        };
        let merged: Vec<usize> =
            placed.iter().filter(|p| two_speakers(p)).flat_map(|p| p.pieces.clone()).collect();
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

    if !keep_words {
        segments.iter_mut().for_each(|s| s.words.clear());
    }
    for track in tracks.iter_mut() {
        let consumed = track.consumed.min(track.samples.len());
        track.samples.drain(..consumed);
        track.offset_ms += (consumed / SAMPLES_PER_MS) as u64;
    }
    Ok(segments)
}

/// Transcribes chunks, `workers` at a time; results in chunk order. A chunk whose decoding ran
/// away under a cut context is transcribed again with the whole 30 s context.
fn run_chunks(
    whisper: &Whisper,
    tracks: &[Track],
    chunks: &[Vec<Piece>],
    decode: &DecodeOptions,
    workers: usize,
) -> Result<Vec<Transcription>, TranscribeError> {
    let transcribe = |pieces: &Vec<Piece>| {
        let audio = chunk_audio(tracks, pieces);
        let first = whisper.transcribe(&audio, decode)?;
        if decode.full_context || !ran_away(&first, (audio.len() / SAMPLES_PER_MS) as u64) {
            return Ok(first);
        }
        whisper.transcribe(&audio, &DecodeOptions { full_context: true, ..decode.clone() })
    };
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

/// Whether a decode went wrong (a phrase repeated on and on): it was cut off at its token
/// budget, or words of a segment run past the end of `audio_ms` of audio by more than the
/// context's margin (Whisper found no end for them and filled the window). With a cut context
/// this happens on short windows of speech; the same audio in a whole 30 s window decodes
/// normally.
fn ran_away(transcription: &Transcription, audio_ms: u64) -> bool {
    transcription.cut_off
        || transcription
            .segments
            .iter()
            .any(|s| s.end_ms > audio_ms + CONTEXT_MARGIN_MS && guard::has_words(&s.text))
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

    /// How far chunk time `t` lies outside this piece (0 inside it).
    fn distance(&self, t: u64) -> u64 {
        if t < self.chunk_ms { self.chunk_ms - t } else { t.saturating_sub(self.chunk_end()) }
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

/// Splits each segment that runs over several stretches of the same speaker by where its words
/// fall: a word goes to the stretch nearest its middle, and a stretch no word fell in stays
/// with the part before it. Segments within one stretch, without words, or over stretches of
/// different speakers are kept as they are.
fn split_at_pieces(pieces: &[Piece], raw: &[RawSegment]) -> Vec<RawSegment> {
    let mut out = Vec::with_capacity(raw.len());
    for segment in raw {
        let covered = place(pieces, segment.start_ms, segment.end_ms).map(|(c, _, _)| c);
        let Some(covered) = covered.filter(|c| c.len() > 1) else {
            out.push(segment.clone());
            continue;
        };
        let track = pieces[covered[0]].stretch.track;
        if segment.words.is_empty() || covered.iter().any(|&i| pieces[i].stretch.track != track) {
            out.push(segment.clone());
            continue;
        }
        // Each word goes to the covered stretch nearest its middle, never to one before the
        // previous word's: `groups` holds positions in `covered`, rising.
        let nearest = |w: &RawWord| {
            let middle = (w.start_ms + w.end_ms) / 2;
            (0..covered.len()).min_by_key(|&k| pieces[covered[k]].distance(middle)).unwrap_or(0)
        };
        let mut groups: Vec<(usize, Vec<RawWord>)> = Vec::new();
        for word in &segment.words {
            let at = nearest(word).max(groups.last().map_or(0, |(at, _)| *at));
            match groups.last_mut() {
                Some((last, words)) if *last == at => words.push(word.clone()),
                _ => groups.push((at, vec![word.clone()])),
            }
        }
        // Word times are rough, so a part's times come from the stretches: it runs from the
        // start of the stretch its first word fell in to the end of the stretch before the
        // next part's, so that together the parts cover every stretch the segment covered;
        // the first part keeps the segment's start and the last its end.
        for k in 0..groups.len() {
            let first = if k == 0 { 0 } else { groups[k].0 };
            let last = groups.get(k + 1).map_or(covered.len() - 1, |(next, _)| next - 1);
            let (from, to) = (&pieces[covered[first]], &pieces[covered[last]]);
            let start_ms = if k == 0 {
                segment.start_ms.clamp(from.chunk_ms, from.chunk_end())
            } else {
                from.chunk_ms
            };
            let end_ms = if k + 1 == groups.len() {
                segment.end_ms.clamp(to.chunk_ms, to.chunk_end())
            } else {
                to.chunk_end()
            };
            let words = &groups[k].1;
            let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
            let avg_token_prob = words.iter().map(|w| w.prob).sum::<f32>() / words.len() as f32;
            out.push(RawSegment {
                start_ms,
                end_ms: end_ms.max(start_ms),
                text,
                avg_token_prob,
                words: words.clone(),
                ..segment.clone()
            });
        }
    }
    out
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
    // Whisper's times are coarse, voice activity knows where each stretch's speech starts and
    // ends: the first segment in a stretch starts with it and the last ends with it, so that
    // no speech falls outside every segment (redacting audio by segment relies on it).
    for (i, piece) in pieces.iter().enumerate() {
        let stretch = piece.stretch;
        if let Some(first) = placed.iter_mut().find(|p| p.pieces[0] == i) {
            first.start_ms = first.start_ms.min(stretch.start_ms);
        }
        if let Some(last) = placed.iter_mut().rev().find(|p| p.pieces.last() == Some(&i)) {
            last.end_ms = last.end_ms.max(stretch.start_ms + stretch.len_ms);
        }
    }
    placed
}

/// Windows of speech transcribed at the same time, one Whisper state each; each more costs
/// another state's memory.
const PARALLEL_CHUNKS: u32 = 2;

/// Silence put between two speakers' stretches in one chunk. Whisper ends a segment at a
/// pause this long (measured: with 0.5 s it ran sentences of different turns together), so
/// each segment stays with one speaker and keeps its channel's role.
const SPEAKER_CHANGE_GAP_MS: u64 = 1_500;
/// Silence put between two stretches of the same speaker. Only the word times have to tell
/// them apart, so the gap is short: measured on the benchmark's calls, 0.2 s encoded 23 % less
/// audio than 1.5 s at the same word error rate; 0.1 s and 0.3 s were no better.
const SAME_SPEAKER_GAP_MS: u64 = 200;
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
    // Over a change of speaker the last piece's audio may come before the first's (each
    // speaker's speech is packed in turn); such a segment is transcribed again, and its times
    // here only have to stay in order.
    let start = first.audio_time(start_ms);
    Some((covered.clone(), start, last.audio_time(end_ms).max(start)))
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
        covered
            .iter()
            .map(|&i| &pieces[i])
            .min_by_key(|p| p.distance(t))
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
        let gap = match current.last() {
            Some(previous) if previous.stretch.track == stretch.track => SAME_SPEAKER_GAP_MS,
            _ => SPEAKER_CHANGE_GAP_MS,
        };
        if !current.is_empty() && cursor + gap + stretch.len_ms > CHUNK_MS {
            chunks.push(std::mem::take(&mut current));
            cursor = 0;
        }
        if !current.is_empty() {
            cursor += gap;
        }
        current.push(Piece { chunk_ms: cursor, stretch });
        cursor += stretch.len_ms;
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// The chunk's samples: each piece from its own channel, with the silence the packing left
/// between them.
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
    fn stretches_pack_speaker_by_speaker_with_short_gaps_within_a_speaker() {
        // As `process_window` orders them: the first channel's stretches, then the second's.
        let chunks = pack_chunks(&[
            stretch(0, 1_000, 10_000),
            stretch(0, 30_000, 10_000),
            stretch(1, 12_000, 6_000),
            stretch(1, 41_000, 10_000),
        ]);
        assert_eq!(chunks.len(), 2);
        let same = 10_000 + SAME_SPEAKER_GAP_MS;
        assert_eq!(
            chunks[0],
            vec![
                Piece { chunk_ms: 0, stretch: stretch(0, 1_000, 10_000) },
                Piece { chunk_ms: same, stretch: stretch(0, 30_000, 10_000) },
                Piece {
                    chunk_ms: same + 10_000 + SPEAKER_CHANGE_GAP_MS,
                    stretch: stretch(1, 12_000, 6_000)
                },
            ]
        );
        assert_eq!(chunks[1], vec![Piece::alone(stretch(1, 41_000, 10_000))]);
    }

    fn word(start_ms: u64, end_ms: u64, text: &str) -> RawWord {
        RawWord { start_ms, end_ms, text: text.into(), prob: 0.5 }
    }

    fn raw(start_ms: u64, end_ms: u64, words: Vec<RawWord>) -> RawSegment {
        let text = words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        RawSegment { start_ms, end_ms, text, no_speech_prob: 0.1, avg_token_prob: 0.9, words }
    }

    #[test]
    fn a_segment_over_one_speakers_stretches_splits_by_its_words() {
        let pieces = vec![
            Piece { chunk_ms: 0, stretch: stretch(0, 5_000, 3_000) },
            Piece { chunk_ms: 3_200, stretch: stretch(0, 20_000, 4_000) },
            Piece { chunk_ms: 8_700, stretch: stretch(1, 9_000, 4_000) },
        ];
        let over_both = raw(
            0,
            7_000,
            vec![
                word(100, 900, "Good"),
                word(900, 2_800, "morning."),
                // A word a little early still goes to the stretch nearest its middle.
                word(3_000, 3_800, "Your"),
                word(3_800, 7_000, "order?"),
            ],
        );
        let split = split_at_pieces(&pieces, &[over_both]);
        assert_eq!(split.len(), 2);
        assert_eq!(
            (split[0].start_ms, split[0].end_ms, split[0].text.as_str()),
            (0, 3_000, "Good morning.")
        );
        assert_eq!(
            (split[1].start_ms, split[1].end_ms, split[1].text.as_str()),
            (3_200, 7_000, "Your order?")
        );
        assert_eq!(split[1].words.len(), 2);
        assert!((split[0].avg_token_prob - 0.5).abs() < 1e-6, "the words' mean");
        // Placed, each lands in its own stretch in audio time.
        let placed = place_all(&pieces, &split);
        assert_eq!((placed[0].start_ms, placed[0].end_ms), (5_000, 8_000));
        // The last segment of a stretch ends with it.
        assert_eq!((placed[1].start_ms, placed[1].end_ms), (20_000, 24_000));

        // Over two speakers, or without words, a segment is left for the caller to retry.
        let over_speakers =
            raw(2_000, 10_000, vec![word(2_000, 2_500, "Yes."), word(9_000, 9_500, "No.")]);
        let mut no_words = raw(0, 7_000, Vec::new());
        no_words.text = "Good morning. Your order?".into();
        let kept = split_at_pieces(&pieces, &[over_speakers.clone(), no_words.clone()]);
        assert_eq!(kept, vec![over_speakers, no_words]);
    }

    #[test]
    fn a_runaway_is_cut_off_or_has_words_past_the_end_of_the_audio() {
        let looped = |end_ms, text: &str| Transcription {
            language: "en".into(),
            segments: vec![RawSegment { text: text.into(), ..raw(0, end_ms, Vec::new()) }],
            cut_off: false,
        };
        assert!(ran_away(&looped(30_000, "10 of clubs. 10 of clubs. 10 of clubs."), 1_400));
        assert!(!ran_away(&looped(3_000, "10 of clubs."), 1_400), "within the margin");
        assert!(!ran_away(&looped(30_000, "[BLANK_AUDIO]"), 1_400), "no words");
        let cut = Transcription { cut_off: true, ..looped(1_400, "10 of clubs. 10 of") };
        assert!(ran_away(&cut, 1_400), "stopped at the token budget");
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

        // Over a change of speaker, where the second speaker's audio comes first: times stay
        // in order, and placing the words does not fail.
        let turned = vec![
            Piece { chunk_ms: 0, stretch: stretch(0, 30_000, 3_000) },
            Piece { chunk_ms: 4_500, stretch: stretch(1, 5_000, 3_000) },
        ];
        assert_eq!(place(&turned, 1_000, 6_500), Some((vec![0, 1], 31_000, 31_000)));
        let words = [
            RawWord { start_ms: 1_000, end_ms: 2_000, text: "Yes".into(), prob: 0.9 },
            RawWord { start_ms: 5_000, end_ms: 6_000, text: "no".into(), prob: 0.9 },
        ];
        let placed = place_words(&turned, &[0, 1], &words, (31_000, 31_000));
        assert!(placed.iter().all(|w| w.start_ms == 31_000 && w.end_ms == 31_000), "{placed:?}");
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
