//! Recording from an input device into a WAV file (feature `record`): device listing, format
//! choice, capture through `cpal`, incremental writing through `hound`. It never prints and
//! never installs signal handlers: progress goes to a callback and stopping is a flag, both owned
//! by the caller.
//!
//! The device's callback thread only copies each block into a bounded channel; the calling
//! thread writes, counts and checkpoints. Keeping file I/O off the audio thread means a slow disk
//! shows up as device overruns (counted and reported), not as a stalled audio driver, and a
//! device that delivers faster than real time (ALSA's `null` plugin) is paced by the writer
//! instead of filling memory.
//!
//! What survives each way out:
//! - a stop request or the `--seconds` limit (counted in frames, never by the clock): every
//!   frame captured so far is written and the header finalised;
//! - the device disappearing, or a fatal stream error: the same, and the error says how much
//!   was kept;
//! - a failed write (a full disk): the header is finalised if the file still accepts it;
//!   otherwise the header of the last checkpoint stands, which describes only data that was
//!   already written, so the file stays readable;
//! - the process being killed: every `checkpoint` (half a second of audio by default) the data
//!   is flushed and the header rewritten (hound's `flush`), so a killed recording is a valid WAV
//!   holding everything up to the last checkpoint.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Seek, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};

use crate::error::{Kept, RecordError};

/// The name that always means the system's default input device.
pub const DEFAULT_DEVICE: &str = "default";

/// Blocks the channel between the device thread and the writer holds. At a typical period of
/// 10–20 ms that is several seconds of audio: room for a disk hiccup before the device overruns.
const CHANNEL_BLOCKS: usize = 256;

/// How often the writer wakes without audio to look at the stop flag and the stall clock.
const TICK: Duration = Duration::from_millis(50);

/// An input device as the system names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDevice {
    /// What `--device` accepts: the backend's id (an ALSA PCM name such as `default`,
    /// `hw:CARD=0,DEV=0` or one from an asoundrc).
    pub id: String,
    /// The human description, when the system has one.
    pub description: Option<String>,
    /// Whether this is the system's default input.
    pub is_default: bool,
}

/// The sample coding written to the WAV file: the device's own, never converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleKind {
    /// 16-bit signed integer PCM.
    Int16,
    /// 32-bit signed integer PCM.
    Int32,
    /// 32-bit IEEE float.
    Float32,
}

impl SampleKind {
    /// "16-bit", "32-bit", "32-bit float".
    pub fn describe(self) -> &'static str {
        match self {
            SampleKind::Int16 => "16-bit",
            SampleKind::Int32 => "32-bit",
            SampleKind::Float32 => "32-bit float",
        }
    }

    fn spec(self, sample_rate: u32, channels: u16) -> hound::WavSpec {
        let (bits_per_sample, sample_format) = match self {
            SampleKind::Int16 => (16, hound::SampleFormat::Int),
            SampleKind::Int32 => (32, hound::SampleFormat::Int),
            SampleKind::Float32 => (32, hound::SampleFormat::Float),
        };
        hound::WavSpec { channels, sample_rate, bits_per_sample, sample_format }
    }
}

/// What is captured: the device's rate, channel count and sample coding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureFormat {
    /// Frames per second.
    pub sample_rate: u32,
    /// Channels per frame, as the device gives them (usually 1 or 2).
    pub channels: u16,
    /// The coding of each sample.
    pub sample: SampleKind,
}

impl std::fmt::Display for CaptureFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let channels = match self.channels {
            1 => "mono".to_string(),
            2 => "stereo".to_string(),
            n => format!("{n} channels"),
        };
        write!(f, "{} Hz, {channels}, {}", self.sample_rate, self.sample.describe())
    }
}

/// How a recording runs.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// Stop after this many seconds of audio, counted in frames at the device's rate (so a
    /// device that runs faster or slower than the clock still gives exactly this much).
    pub max_seconds: Option<f64>,
    /// Replace an existing file; otherwise an existing file is an error and left untouched.
    pub overwrite: bool,
    /// Seconds of audio between checkpoints (data flushed, header rewritten): the most a killed
    /// process can lose.
    pub checkpoint_seconds: f64,
    /// A device that delivers nothing for this long is treated as gone.
    pub stall_timeout: Duration,
    /// Seconds of audio between two progress reports.
    pub progress_seconds: f64,
}

impl Default for RecordOptions {
    fn default() -> Self {
        RecordOptions {
            max_seconds: None,
            overwrite: false,
            checkpoint_seconds: 0.5,
            stall_timeout: Duration::from_secs(5),
            progress_seconds: 0.1,
        }
    }
}

/// A progress report, about every `progress_seconds` of audio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Frames written so far.
    pub frames: u64,
    /// The device's rate, to turn frames into time.
    pub sample_rate: u32,
    /// The loudest sample since the previous report, 0.0 (silence) to 1.0 (full scale).
    pub peak: f32,
    /// Overruns so far: moments when the device had more audio than was read, so some was lost.
    pub overruns: u64,
}

impl Progress {
    /// Seconds of audio written so far.
    pub fn seconds(&self) -> f64 {
        self.frames as f64 / f64::from(self.sample_rate)
    }
}

/// Why a recording ended without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The caller's stop flag was raised (Ctrl-C).
    Requested,
    /// `max_seconds` of audio were captured.
    Limit,
    /// The file reached the 4 GiB a WAV header can describe (about 3 hours of 48 kHz stereo
    /// float, 6 hours in 16-bit).
    FileFull,
}

/// A finished recording: the file is complete and its header final.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    /// The device it came from.
    pub device: String,
    /// What was captured.
    pub format: CaptureFormat,
    /// Frames in the file.
    pub frames: u64,
    /// Why it ended.
    pub reason: StopReason,
    /// Overruns during the recording (see [`Progress::overruns`]).
    pub overruns: u64,
}

impl Recording {
    /// Seconds of audio in the file.
    pub fn seconds(&self) -> f64 {
        self.frames as f64 / f64::from(self.format.sample_rate)
    }
}

/// The input devices the system offers, the default one first.
pub fn input_devices() -> Result<Vec<InputDevice>, RecordError> {
    let host = host()?;
    let mut devices = vec![InputDevice {
        id: DEFAULT_DEVICE.to_string(),
        description: host
            .default_input_device()
            .and_then(|d| d.description().ok())
            .map(|d| d.name().to_string()),
        is_default: true,
    }];
    let listed = host.input_devices().map_err(|e| RecordError::Host { reason: cpal_reason(&e) })?;
    for device in listed {
        let Ok(id) = device.id() else { continue };
        if devices.iter().any(|d| d.id == id.id()) {
            continue;
        }
        devices.push(InputDevice {
            id: id.id().to_string(),
            description: device.description().ok().map(|d| d.name().to_string()),
            is_default: false,
        });
    }
    Ok(devices)
}

/// An input device opened for recording, with the format it will be captured in.
pub struct Recorder {
    device: cpal::Device,
    name: String,
    config: cpal::StreamConfig,
    format: CaptureFormat,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("device", &self.name)
            .field("format", &self.format)
            .finish()
    }
}

impl Recorder {
    /// Finds the device (`None` or `"default"`: the system default; otherwise an id from
    /// [`input_devices`], or its description) and chooses the format: the device's default
    /// configuration when it is 16-bit, 32-bit or float, else one of those at the same rate and
    /// channel count.
    pub fn open(device: Option<&str>) -> Result<Recorder, RecordError> {
        let host = host()?;
        let (device, name) = match device {
            None | Some(DEFAULT_DEVICE) => {
                let device = host.default_input_device().ok_or(RecordError::NoDefaultDevice)?;
                (device, DEFAULT_DEVICE.to_string())
            }
            Some(wanted) => find_device(&host, wanted)?,
        };
        let device_error =
            |e: cpal::Error| RecordError::Device { device: name.clone(), reason: cpal_reason(&e) };
        let default = device.default_input_config().map_err(device_error)?;
        let supported: Vec<_> = device.supported_input_configs().map_err(device_error)?.collect();
        let (config, sample) = choose_config(&default, &supported).ok_or_else(|| {
            let mut offered: Vec<String> =
                supported.iter().map(|c| c.sample_format().to_string()).collect();
            offered.sort();
            offered.dedup();
            RecordError::NoUsableFormat { device: name.clone(), offered: offered.join(", ") }
        })?;
        let format =
            CaptureFormat { sample_rate: config.sample_rate, channels: config.channels, sample };
        Ok(Recorder { device, name, config, format })
    }

    /// The device's name as given (or `default`).
    pub fn device(&self) -> &str {
        &self.name
    }

    /// What will be captured.
    pub fn format(&self) -> CaptureFormat {
        self.format
    }

    /// Records into `path` until `stop` is raised, `max_seconds` are captured, the device goes
    /// away or a write fails. The file is written as audio arrives and is a readable WAV at
    /// every checkpoint; see the module documentation for what each way out keeps.
    pub fn record(
        self,
        path: &Path,
        options: &RecordOptions,
        stop: &AtomicBool,
        mut on_progress: impl FnMut(&Progress),
    ) -> Result<Recording, RecordError> {
        // The stream is built before the file is created and started after, so that a device
        // that refuses to open leaves no file behind, and no audio arrives before there is a
        // file for it.
        let (sender, receiver) = sync_channel(CHANNEL_BLOCKS);
        let open = Arc::new(AtomicBool::new(true));
        let stream = self.build_stream(sender, Arc::clone(&open))?;
        let file = create(path, options.overwrite)?;
        let spec = self.format.sample.spec(self.format.sample_rate, self.format.channels);
        let started = hound::WavWriter::new(BufWriter::new(file), spec)
            .map_err(|e| RecordError::Write { reason: hound_reason(&e), kept: Kept::NOTHING })
            .and_then(|wav| {
                stream.play().map(|()| wav).map_err(|e| RecordError::Device {
                    device: self.name.clone(),
                    reason: cpal_reason(&e),
                })
            });
        let wav = match started {
            Ok(wav) => wav,
            Err(error) => {
                // Nothing was captured: an empty file would only block a retry without --force.
                let _ = std::fs::remove_file(path);
                return Err(error);
            }
        };
        let outcome =
            write_events(wav, self.format, &receiver, &open, options, stop, &mut on_progress);
        // The receiver goes first: a device callback blocked on a full channel then returns,
        // so dropping the stream (which joins the device thread) cannot wait on it.
        drop(receiver);
        if matches!(outcome, Err(Failure::DeviceLost { stalled: true, .. })) {
            // A driver that stopped delivering may be stuck inside a read that never returns;
            // joining its thread would hang a recording that is already safely finalised. The
            // thread and the device handle are left to the end of the process instead.
            std::mem::forget(stream);
        } else {
            drop(stream);
        }
        match outcome {
            Ok((frames, reason, overruns)) => {
                Ok(Recording { device: self.name, format: self.format, frames, reason, overruns })
            }
            Err(failure) => Err(failure.into_error(&self.name)),
        }
    }

    fn build_stream(
        &self,
        sender: SyncSender<Event>,
        open: Arc<AtomicBool>,
    ) -> Result<cpal::Stream, RecordError> {
        let errors = sender.clone();
        let on_error = move |error: cpal::Error| {
            match error.kind() {
                // Counted, not waited for: a full channel means the writer is busy anyway.
                cpal::ErrorKind::Xrun => {
                    let _ = errors.try_send(Event::Overrun);
                }
                // Neither loses audio: a refused real-time priority only risks overruns, and a
                // changed route keeps the stream delivering.
                cpal::ErrorKind::RealtimeDenied | cpal::ErrorKind::DeviceChanged => {}
                // Queued behind the blocks already delivered, so the writer keeps all of them
                // and then stops; a closed channel means it has stopped already.
                _ => {
                    let _ = errors.send(Event::Fatal(cpal_reason(&error)));
                }
            }
        };
        let device_error = |e: cpal::Error| RecordError::Device {
            device: self.name.clone(),
            reason: cpal_reason(&e),
        };
        let stream = match self.format.sample {
            SampleKind::Int16 => self.device.build_input_stream(
                self.config,
                deliver(sender, open, Block::Int16),
                on_error,
                None,
            ),
            SampleKind::Int32 => self.device.build_input_stream(
                self.config,
                deliver(sender, open, Block::Int32),
                on_error,
                None,
            ),
            SampleKind::Float32 => self.device.build_input_stream(
                self.config,
                deliver(sender, open, Block::Float32),
                on_error,
                None,
            ),
        };
        stream.map_err(device_error)
    }
}

/// The device callback: copy the block and hand it to the writer. A blocking send paces a
/// device that runs faster than real time; on a real device it only blocks when the disk has
/// fallen seconds behind, and the device then reports an overrun.
fn deliver<T: Copy + Send + 'static>(
    sender: SyncSender<Event>,
    open: Arc<AtomicBool>,
    wrap: fn(Vec<T>) -> Block,
) -> impl FnMut(&[T], &cpal::InputCallbackInfo) + Send + 'static {
    move |data: &[T], _: &cpal::InputCallbackInfo| {
        if open.load(Ordering::Acquire) {
            let _ = sender.send(Event::Samples(wrap(data.to_vec())));
        }
    }
}

fn host() -> Result<cpal::Host, RecordError> {
    // `default_host` panics when the audio system cannot start (e.g. a broken ALSA
    // configuration); asking for the platform's first host by id reports it as an error.
    let id = cpal::available_hosts()
        .into_iter()
        .next()
        .ok_or_else(|| RecordError::Host { reason: "no audio system on this platform".into() })?;
    cpal::host_from_id(id).map_err(|e| RecordError::Host { reason: cpal_reason(&e) })
}

fn find_device(host: &cpal::Host, wanted: &str) -> Result<(cpal::Device, String), RecordError> {
    let devices: Vec<cpal::Device> =
        host.input_devices().map_err(|e| RecordError::Host { reason: cpal_reason(&e) })?.collect();
    let id_of = |d: &cpal::Device| d.id().map(|id| id.id().to_string()).ok();
    let by_id = devices.iter().find(|d| id_of(d).as_deref() == Some(wanted));
    let by_description =
        || devices.iter().find(|d| d.description().is_ok_and(|desc| desc.name() == wanted));
    match by_id.or_else(by_description) {
        Some(device) => Ok((device.clone(), wanted.to_string())),
        None => {
            let mut available = vec![DEFAULT_DEVICE.to_string()];
            available.extend(devices.iter().filter_map(id_of));
            Err(RecordError::DeviceNotFound { name: wanted.to_string(), available })
        }
    }
}

/// The device's default configuration if its sample coding is one we write, else the same rate
/// and channel count in 16-bit, then float, then 32-bit.
fn choose_config(
    default: &cpal::SupportedStreamConfig,
    supported: &[cpal::SupportedStreamConfigRange],
) -> Option<(cpal::StreamConfig, SampleKind)> {
    let kind = |format: cpal::SampleFormat| match format {
        cpal::SampleFormat::I16 => Some(SampleKind::Int16),
        cpal::SampleFormat::F32 => Some(SampleKind::Float32),
        cpal::SampleFormat::I32 => Some(SampleKind::Int32),
        _ => None,
    };
    // A 32-bit default (common on USB and HDMI hardware) doubles the file for no gain in
    // speech; 16-bit or float at the same rate is preferred when the device offers it.
    if let Some(sample @ (SampleKind::Int16 | SampleKind::Float32)) = kind(default.sample_format())
    {
        return Some((default.config(), sample));
    }
    let rate = default.sample_rate();
    for wanted in [cpal::SampleFormat::I16, cpal::SampleFormat::F32, cpal::SampleFormat::I32] {
        let found = supported.iter().find(|range| {
            range.sample_format() == wanted
                && range.channels() == default.channels()
                && range.contains_rate(rate)
        });
        if let Some(range) = found {
            return Some((range.with_sample_rate(rate).config(), kind(wanted)?));
        }
    }
    None
}

fn create(path: &Path, overwrite: bool) -> Result<File, RecordError> {
    let mut options = OpenOptions::new();
    options.write(true);
    // `create_new` makes the existence check and the creation one step, so two recorders (or a
    // file appearing meanwhile) cannot overwrite each other.
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    options.open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            RecordError::Exists { path: path.to_path_buf() }
        } else {
            RecordError::Create { path: path.to_path_buf(), source }
        }
    })
}

fn cpal_reason(error: &cpal::Error) -> String {
    // cpal's messages start with a capital and sometimes end with a period; ours do neither.
    let text = error.to_string();
    let text = text.trim_end_matches('.');
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => format!("{:?}", error.kind()).to_lowercase(),
    }
}

fn hound_reason(error: &hound::Error) -> String {
    match error {
        hound::Error::IoError(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// One block of interleaved samples as the device delivered it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Int16(Vec<i16>),
    Int32(Vec<i32>),
    Float32(Vec<f32>),
}

impl Block {
    fn len(&self) -> usize {
        match self {
            Block::Int16(s) => s.len(),
            Block::Int32(s) => s.len(),
            Block::Float32(s) => s.len(),
        }
    }

    /// Writes the first `count` samples; returns the peak of what was written (0.0 to 1.0).
    fn write<W: Write + Seek>(
        &self,
        count: usize,
        wav: &mut hound::WavWriter<W>,
    ) -> Result<f32, hound::Error> {
        let mut peak = 0.0f32;
        match self {
            Block::Int16(samples) => {
                for &s in &samples[..count] {
                    wav.write_sample(s)?;
                    peak = peak.max(f32::from(s).abs() / 32768.0);
                }
            }
            Block::Int32(samples) => {
                for &s in &samples[..count] {
                    wav.write_sample(s)?;
                    peak = peak.max((s as f64).abs() as f32 / 2_147_483_648.0);
                }
            }
            Block::Float32(samples) => {
                for &s in &samples[..count] {
                    wav.write_sample(s)?;
                    // A NaN from a broken driver must not freeze the meter at NaN.
                    if s.is_finite() {
                        peak = peak.max(s.abs().min(1.0));
                    }
                }
            }
        }
        Ok(peak)
    }
}

/// What the device thread tells the writer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Event {
    Samples(Block),
    /// The device had more audio than was read in time: some was lost, recording goes on.
    Overrun,
    /// The stream cannot go on (device unplugged, stream invalidated): stop and keep what we have.
    Fatal(String),
}

/// Why the writer stopped early; turned into a [`RecordError`] naming the device.
#[derive(Debug)]
pub(crate) enum Failure {
    /// `stalled`: the device went silent rather than reporting an error.
    DeviceLost {
        reason: String,
        kept: Kept,
        stalled: bool,
    },
    Write {
        reason: String,
        kept: Kept,
    },
}

impl Failure {
    fn into_error(self, device: &str) -> RecordError {
        match self {
            Failure::DeviceLost { reason, kept, .. } => {
                RecordError::DeviceLost { device: device.to_string(), reason, kept }
            }
            Failure::Write { reason, kept } => RecordError::Write { reason, kept },
        }
    }
}

/// The writer: takes blocks from the device until a way out, writes them, checkpoints, reports
/// progress, then finalises. Returns (frames, reason, overruns), or what went wrong and what was
/// kept. Generic over the sink so that failing disks can be tested in memory.
pub(crate) fn write_events<W: Write + Seek>(
    mut wav: hound::WavWriter<W>,
    format: CaptureFormat,
    events: &Receiver<Event>,
    open: &AtomicBool,
    options: &RecordOptions,
    stop: &AtomicBool,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<(u64, StopReason, u64), Failure> {
    let rate = f64::from(format.sample_rate);
    let channels = usize::from(format.channels.max(1));
    let frames_for = |seconds: f64| (seconds * rate).round().max(1.0) as u64;
    let asked = options.max_seconds.map(|s| (s * rate).round() as u64);
    let fits = frames_that_fit(format);
    let limit = Some(asked.map_or(fits, |asked| asked.min(fits)));
    let checkpoint_every = frames_for(options.checkpoint_seconds);
    let progress_every = frames_for(options.progress_seconds);
    let kept = |frames: u64| Kept { frames, sample_rate: format.sample_rate };

    let mut frames = 0u64;
    let mut checkpointed = 0u64;
    let mut reported = 0u64;
    let mut peak = 0.0f32;
    let mut overruns = 0u64;
    let mut last_audio = Instant::now();
    let mut draining = false;
    let mut failure = None;

    let reason = loop {
        if limit.is_some_and(|limit| frames >= limit) {
            break if asked.is_some_and(|asked| frames >= asked) {
                StopReason::Limit
            } else {
                StopReason::FileFull
            };
        }
        let event = if draining {
            match events.try_recv() {
                Ok(event) => event,
                Err(_) => break StopReason::Requested,
            }
        } else if stop.load(Ordering::Acquire) {
            // Take what the device already delivered, then stop: closing first keeps the
            // channel from refilling while it drains.
            open.store(false, Ordering::Release);
            draining = true;
            continue;
        } else {
            match events.recv_timeout(TICK) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => {
                    if last_audio.elapsed() >= options.stall_timeout {
                        let reason = format!(
                            "no audio arrived for {} s",
                            options.stall_timeout.as_secs_f64()
                        );
                        failure = Some((reason, true));
                        break StopReason::Requested;
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    failure = Some(("the capture stream ended".to_string(), false));
                    break StopReason::Requested;
                }
            }
        };
        match event {
            Event::Samples(block) => {
                last_audio = Instant::now();
                let room = limit.map_or(u64::MAX, |limit| limit - frames);
                let whole_frames = (block.len() / channels) as u64;
                let take = whole_frames.min(room);
                let samples = usize::try_from(take).unwrap_or(usize::MAX) * channels;
                match block.write(samples, &mut wav) {
                    Ok(block_peak) => peak = peak.max(block_peak),
                    Err(error) => {
                        open.store(false, Ordering::Release);
                        return Err(finalize_after_write_error(
                            wav,
                            hound_reason(&error),
                            kept(checkpointed),
                        ));
                    }
                }
                frames += take;
                if frames - checkpointed >= checkpoint_every {
                    if let Err(error) = wav.flush() {
                        open.store(false, Ordering::Release);
                        return Err(finalize_after_write_error(
                            wav,
                            hound_reason(&error),
                            kept(checkpointed),
                        ));
                    }
                    checkpointed = frames;
                }
                if frames - reported >= progress_every {
                    on_progress(&Progress {
                        frames,
                        sample_rate: format.sample_rate,
                        peak,
                        overruns,
                    });
                    reported = frames;
                    peak = 0.0;
                }
            }
            Event::Overrun => overruns += 1,
            Event::Fatal(reason) => {
                failure = Some((reason, false));
                break StopReason::Requested;
            }
        }
    };
    open.store(false, Ordering::Release);
    on_progress(&Progress { frames, sample_rate: format.sample_rate, peak, overruns });

    match wav.finalize() {
        Ok(()) => match failure {
            None => Ok((frames, reason, overruns)),
            Some((reason, stalled)) => {
                Err(Failure::DeviceLost { reason, kept: kept(frames), stalled })
            }
        },
        // Finalising writes the buffered tail and the header; if that fails the header of the
        // last checkpoint is what a reader sees.
        Err(error) => {
            Err(Failure::Write { reason: hound_reason(&error), kept: kept(checkpointed) })
        }
    }
}

/// The most frames a WAV file can hold: its sizes are 32-bit, and hound counts in them too, so
/// going past this would wrap the header's length rather than fail.
fn frames_that_fit(format: CaptureFormat) -> u64 {
    let bytes_per_sample = match format.sample {
        SampleKind::Int16 => 2,
        SampleKind::Int32 | SampleKind::Float32 => 4,
    };
    // Room for the header, which the RIFF size includes.
    let data_bytes = u64::from(u32::MAX) - 128;
    data_bytes / (bytes_per_sample * u64::from(format.channels.max(1)))
}

/// After a failed write: try once more to finalise (the disk may accept the header, which only
/// overwrites bytes already there). If it does, everything hound counted is on disk; if not, the
/// last checkpoint's header describes the file.
fn finalize_after_write_error<W: Write + Seek>(
    wav: hound::WavWriter<W>,
    reason: String,
    checkpoint: Kept,
) -> Failure {
    let channels = u64::from(wav.spec().channels.max(1));
    let counted = u64::from(wav.len()) / channels;
    let kept = match wav.finalize() {
        Ok(()) => Kept { frames: counted, sample_rate: checkpoint.sample_rate },
        Err(_) => checkpoint,
    };
    Failure::Write { reason, kept }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, SeekFrom};

    use super::*;

    /// A disk of `capacity` bytes: writing past it writes what fits and then fails with "no space
    /// left on device", as a full file system does; overwriting bytes already there succeeds.
    struct SmallDisk {
        data: Cursor<Vec<u8>>,
        capacity: usize,
    }

    impl Write for SmallDisk {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let position = self.data.position() as usize;
            let fits = self.capacity.saturating_sub(position).min(buf.len());
            if fits == 0 && !buf.is_empty() {
                return Err(std::io::Error::from_raw_os_error(28));
            }
            self.data.write(&buf[..fits])
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Seek for SmallDisk {
        fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
            self.data.seek(to)
        }
    }

    const MONO_16K: CaptureFormat =
        CaptureFormat { sample_rate: 16_000, channels: 1, sample: SampleKind::Int16 };

    fn samples(count: usize, offset: usize) -> Vec<i16> {
        (0..count).map(|i| ((i + offset) * 7919 % 65_536) as u16 as i16).collect()
    }

    /// Runs the writer over `events` (then a closed channel) into `sink`.
    fn run<W: Write + Seek>(
        sink: W,
        events: Vec<Event>,
        options: &RecordOptions,
    ) -> Result<(u64, StopReason, u64), Failure> {
        let (sender, receiver) = sync_channel(events.len() + 1);
        for event in events {
            sender.send(event).expect("channel has room");
        }
        drop(sender);
        let spec = MONO_16K.sample.spec(MONO_16K.sample_rate, MONO_16K.channels);
        let wav = hound::WavWriter::new(sink, spec).expect("header fits");
        let open = AtomicBool::new(true);
        let stop = AtomicBool::new(false);
        write_events(wav, MONO_16K, &receiver, &open, options, &stop, &mut |_| {})
    }

    fn read_back(bytes: Vec<u8>) -> Vec<i16> {
        let reader = hound::WavReader::new(Cursor::new(bytes)).expect("a readable wav file");
        reader.into_samples::<i16>().collect::<Result<_, _>>().expect("every sample reads")
    }

    #[test]
    fn the_format_is_the_device_default_or_16_bit_float_32_bit_at_its_rate() {
        use cpal::SampleFormat::{F32, I16, I24, I32, U8};
        let unknown = cpal::SupportedBufferSize::Unknown;
        let range = |channels, format| {
            cpal::SupportedStreamConfigRange::new(channels, 8_000, 96_000, unknown, format)
        };
        let default = |format| cpal::SupportedStreamConfig::new(2, 48_000, unknown, format);
        let chosen = |default_format, offered: &[(u16, cpal::SampleFormat)]| {
            let supported: Vec<_> = offered.iter().map(|&(c, f)| range(c, f)).collect();
            choose_config(&default(default_format), &supported)
                .map(|(config, kind)| (config.channels, config.sample_rate, kind))
        };
        // The default when it is 16-bit or float.
        assert_eq!(chosen(F32, &[(2, F32), (2, I16)]), Some((2, 48_000, SampleKind::Float32)));
        assert_eq!(chosen(I16, &[(2, I16)]), Some((2, 48_000, SampleKind::Int16)));
        // A 32-bit default gives way to 16-bit, then float, at the same rate and channels.
        assert_eq!(
            chosen(I32, &[(1, I16), (2, I32), (2, F32), (2, I16)]),
            Some((2, 48_000, SampleKind::Int16))
        );
        assert_eq!(chosen(I32, &[(2, I32), (2, F32)]), Some((2, 48_000, SampleKind::Float32)));
        assert_eq!(chosen(I24, &[(2, I24), (2, I32)]), Some((2, 48_000, SampleKind::Int32)));
        // Nothing qadesk writes.
        assert_eq!(chosen(U8, &[(2, U8), (1, I16)]), None);
    }

    #[test]
    fn a_file_stops_before_the_wav_size_fields_would_overflow() {
        let stereo_float =
            CaptureFormat { sample_rate: 48_000, channels: 2, sample: SampleKind::Float32 };
        let frames = frames_that_fit(stereo_float);
        assert_eq!(frames, 536_870_895);
        assert!(frames * 8 + 128 <= u64::from(u32::MAX));
        // Over three hours, as the documentation says.
        assert_eq!(frames / 48_000 / 60, 186);
        assert_eq!(frames_that_fit(MONO_16K) / 16_000 / 3600, 37);
    }

    #[test]
    fn stops_at_the_frame_limit_whatever_the_block_sizes() {
        let fed: Vec<i16> = samples(10_000, 0);
        let events = fed.chunks(997).map(|c| Event::Samples(Block::Int16(c.to_vec()))).collect();
        let options = RecordOptions { max_seconds: Some(0.5), ..RecordOptions::default() };
        let mut bytes = Cursor::new(Vec::new());
        let (frames, reason, _) = run(&mut bytes, events, &options).expect("recorded");
        assert_eq!((frames, reason), (8_000, StopReason::Limit));
        assert_eq!(read_back(bytes.into_inner()), fed[..8_000]);
    }

    #[test]
    fn a_lost_device_keeps_and_finalises_everything_before_it() {
        let events = vec![
            Event::Samples(Block::Int16(samples(3_000, 0))),
            Event::Overrun,
            Event::Samples(Block::Int16(samples(2_000, 3_000))),
            Event::Fatal("device not available".into()),
            Event::Samples(Block::Int16(samples(500, 5_000))),
        ];
        let mut bytes = Cursor::new(Vec::new());
        let failure = run(&mut bytes, events, &RecordOptions::default()).expect_err("device lost");
        let Failure::DeviceLost { reason, kept, stalled } = failure else { panic!("{failure:?}") };
        assert_eq!((reason.as_str(), kept.frames, stalled), ("device not available", 5_000, false));
        assert_eq!(read_back(bytes.into_inner()), samples(5_000, 0));
        let message = Failure::DeviceLost { reason, kept, stalled }.into_error("hw:CARD=1,DEV=0");
        assert_eq!(
            message.to_string(),
            "input device `hw:CARD=1,DEV=0` stopped delivering audio (device not available); \
             kept 0.3 s (5000 frames) in the file"
        );
    }

    #[test]
    fn a_full_disk_leaves_a_readable_file_of_what_was_written() {
        // Room for the 44-byte header and 5000 samples; checkpoints every 1600 frames (0.1 s).
        let disk = SmallDisk { data: Cursor::new(Vec::new()), capacity: 44 + 10_000 };
        let mut disk = BufWriter::with_capacity(1024, disk);
        let fed = samples(8_000, 0);
        let events = fed.chunks(800).map(|c| Event::Samples(Block::Int16(c.to_vec()))).collect();
        let options = RecordOptions { checkpoint_seconds: 0.1, ..RecordOptions::default() };
        let failure = run(&mut disk, events, &options).expect_err("the disk fills up");
        let Failure::Write { reason, kept } = failure else { panic!("{failure:?}") };
        assert!(reason.contains("No space left on device"), "{reason}");
        // `into_parts` leaves the unwritable tail in the buffer instead of flushing it.
        let bytes = disk.into_parts().0.data.into_inner();
        let back = read_back(bytes);
        assert_eq!(back.len() as u64, kept.frames);
        // The last checkpoint before the disk filled was at 4800 frames.
        assert_eq!(kept.frames, 4_800);
        assert_eq!(back, fed[..4_800]);
    }

    #[test]
    fn the_stop_flag_drains_what_the_device_already_delivered() {
        let (sender, receiver) = sync_channel(8);
        for offset in [0, 1_000, 2_000] {
            sender.send(Event::Samples(Block::Int16(samples(1_000, offset)))).expect("room");
        }
        let spec = MONO_16K.sample.spec(MONO_16K.sample_rate, MONO_16K.channels);
        let mut bytes = Cursor::new(Vec::new());
        let wav = hound::WavWriter::new(&mut bytes, spec).expect("header");
        let (open, stop) = (AtomicBool::new(true), AtomicBool::new(true));
        let (frames, reason, _) = write_events(
            wav,
            MONO_16K,
            &receiver,
            &open,
            &RecordOptions::default(),
            &stop,
            &mut |_| {},
        )
        .expect("stopped");
        assert_eq!((frames, reason), (3_000, StopReason::Requested));
        assert!(!open.load(Ordering::Acquire), "the device callback is told to stop sending");
        assert_eq!(read_back(bytes.into_inner()), samples(3_000, 0));
    }

    #[test]
    fn a_silent_device_is_treated_as_gone_after_the_stall_timeout() {
        let (_sender, receiver) = sync_channel::<Event>(1);
        let spec = MONO_16K.sample.spec(MONO_16K.sample_rate, MONO_16K.channels);
        let mut bytes = Cursor::new(Vec::new());
        let wav = hound::WavWriter::new(&mut bytes, spec).expect("header");
        let options =
            RecordOptions { stall_timeout: Duration::from_millis(120), ..RecordOptions::default() };
        let (open, stop) = (AtomicBool::new(true), AtomicBool::new(false));
        let failure = write_events(wav, MONO_16K, &receiver, &open, &options, &stop, &mut |_| {})
            .expect_err("stalled");
        let Failure::DeviceLost { reason, kept, stalled } = failure else { panic!("{failure:?}") };
        assert_eq!(
            (reason.as_str(), kept.frames, stalled),
            ("no audio arrived for 0.12 s", 0, true)
        );
        assert!(read_back(bytes.into_inner()).is_empty());
    }
}
