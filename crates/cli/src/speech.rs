//! Turning recordings into transcripts for the commands: model lookup, options from the
//! command line, a progress bar, and sidecar roles for mono recordings.

use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use qadesk_audio::AudioInfo;
use qadesk_domain::Transcript;
use qadesk_transcribe::pipeline::{
    ChannelLayout, PipelineOptions, PipelineReport, roles_from_sidecar, transcribe_stream,
};
use qadesk_transcribe::{DecodeOptions, Whisper};
use qadesk_transcript::{Format, SpeakerMap};

use crate::args::{Channels, SpeechArgs};

pub const AUDIO_EXTENSIONS: &[&str] = &["wav", "mp3", "flac"];

/// True when the file name says it is a recording qadesk can decode.
pub fn is_audio(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A loaded model and the options to run it with; built once per command.
pub struct Speech {
    whisper: Whisper,
    options: PipelineOptions,
    /// One line per file being transcribed, so files transcribed at once each show their own.
    bars: MultiProgress,
}

impl Speech {
    pub fn load(args: &SpeechArgs, language: &str, jobs: usize) -> anyhow::Result<Speech> {
        let path = qadesk_transcribe::find_model(args.model.as_deref(), Some(Path::new(".")))?;
        let whisper = Whisper::load(&path)
            .with_context(|| format!("cannot load the model {}", path.display()))?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
        let threads = args.threads.unwrap_or_else(|| (cores / jobs.max(1) as u32).max(1));
        let options = PipelineOptions {
            layout: match args.channels {
                Channels::AgentCustomer => ChannelLayout::AgentCustomer,
                Channels::CustomerAgent => ChannelLayout::CustomerAgent,
                Channels::Mono => ChannelLayout::Mono,
            },
            skip_silence: !args.no_vad,
            parallel_chunks: args.parallel_windows,
            decode: DecodeOptions {
                language: (language != "auto").then(|| language.to_string()),
                beam_size: args.beam,
                word_timestamps: false,
                threads,
                full_context: args.full_context,
            },
            ..PipelineOptions::default()
        };
        Ok(Speech { whisper, options, bars: MultiProgress::new() })
    }

    /// Whether segments carry each word with its time (whisper.cpp's token timestamps).
    pub fn set_word_timestamps(&mut self, on: bool) {
        self.options.decode.word_timestamps = on;
    }

    /// Wall time spent inside whisper.cpp so far, summed over threads.
    pub fn whisper_time(&self) -> std::time::Duration {
        self.whisper.busy_time()
    }

    /// The model file's name, to say where a transcript came from.
    pub fn model_name(&self) -> String {
        self.whisper.path().file_name().map_or_else(
            || self.whisper.path().display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// Transcribes one recording, with a progress bar when `progress` is on.
    pub fn transcribe(
        &self,
        path: &Path,
        progress: bool,
    ) -> Result<(Transcript, PipelineReport), String> {
        self.transcribe_with_info(path, progress).map(|(t, report, _)| (t, report))
    }

    /// Like [`Speech::transcribe`], also returning what the file's header said.
    pub fn transcribe_with_info(
        &self,
        path: &Path,
        progress: bool,
    ) -> Result<(Transcript, PipelineReport, AudioInfo), String> {
        let shown = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| format!("{shown}: cannot open: {e}"))?;
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let stream = qadesk_audio::Stream16k::open(file, extension.as_deref())
            .map_err(|e| format!("{shown}: {e}"))?;
        let info = stream.info().clone();
        let bar = if progress { self.bars.add(ProgressBar::new(1)) } else { ProgressBar::hidden() };
        bar.set_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30}] {pos}/{len} s audio, {elapsed} elapsed, eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(
            path.file_name().map_or(shown.clone(), |n| n.to_string_lossy().into_owned()),
        );
        let mut on_progress = |done_ms: u64, total_ms: Option<u64>| {
            if let Some(total) = total_ms {
                bar.set_length(total / 1000);
            }
            bar.set_position(done_ms / 1000);
        };
        let result = transcribe_stream(&self.whisper, stream, &self.options, &mut on_progress);
        bar.finish_and_clear();
        self.bars.remove(&bar);
        let (mut transcript, report) = result.map_err(|e| format!("{shown}: {e}"))?;
        // Everything but a stereo file split by channel is transcribed as one unknown speaker.
        if (report.channels != 2 || self.options.layout == ChannelLayout::Mono)
            && let Some(sidecar) = sidecar_of(path)
        {
            let roles = read_sidecar(&sidecar)?;
            roles_from_sidecar(&mut transcript, &roles);
        }
        Ok((transcript, report, info))
    }
}

/// `NAME.speakers.{txt,json,vtt,srt}` beside `NAME.wav`, if there is one.
fn sidecar_of(audio: &Path) -> Option<PathBuf> {
    let stem = audio.file_stem()?.to_string_lossy().into_owned();
    ["txt", "json", "vtt", "srt"]
        .iter()
        .map(|ext| audio.with_file_name(format!("{stem}.speakers.{ext}")))
        .find(|p| p.is_file())
}

fn read_sidecar(path: &Path) -> Result<Transcript, String> {
    crate::inputs::read_transcript(path, None::<Format>, &SpeakerMap::default())
}
